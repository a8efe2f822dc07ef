package io.hilal.core.events;

import java.util.List;

/** One result per event, in request order, and the counts of each status. */
public record IngestResult(int accepted, int duplicates, int rejected, List<EventResult> results) {
    static IngestResult of(List<EventResult> results) {
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (EventResult result : results) {
            switch (result.status()) {
                case EventResult.ACCEPTED -> accepted++;
                case EventResult.DUPLICATE -> duplicates++;
                default -> rejected++;
            }
        }
        return new IngestResult(accepted, duplicates, rejected, List.copyOf(results));
    }
}
