package io.hilal.service.dashboard;

import io.hilal.core.campaigns.sending.SendState;
import io.hilal.core.dashboard.DashboardQueries;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The send ledger's states as the campaign pages tabulate them: one column per state. */
final class LedgerStates {
    static final List<SendState> COLUMNS =
            List.of(
                    SendState.PLANNED,
                    SendState.SENDING,
                    SendState.SENT,
                    SendState.HELD_OUT,
                    SendState.SUPPRESSED,
                    SendState.DEFERRED,
                    SendState.EXPIRED,
                    SendState.FAILED,
                    SendState.UNKNOWN_INFLIGHT);

    /** A column title. */
    record Header(String state) {}

    /** A state's count, as shown. */
    record Cell(String state, String count) {}

    private LedgerStates() {}

    static List<Header> headers() {
        return COLUMNS.stream().map(state -> new Header(Text.label(state))).toList();
    }

    /** One row of counts; states without sends (or no counts at all) show 0. */
    static List<Cell> cells(Map<SendState, Long> counts) {
        return COLUMNS.stream()
                .map(
                        state ->
                                new Cell(
                                        Text.label(state),
                                        Text.count(
                                                counts == null
                                                        ? 0
                                                        : counts.getOrDefault(state, 0L))))
                .toList();
    }

    /** The ledger's counts by campaign (or journey) id and state. */
    static Map<String, Map<SendState, Long>> byCampaign(List<DashboardQueries.StateCount> rows) {
        Map<String, Map<SendState, Long>> counts = new LinkedHashMap<>();
        for (DashboardQueries.StateCount count : rows) {
            counts.computeIfAbsent(count.campaignId(), id -> new EnumMap<>(SendState.class))
                    .merge(SendState.valueOf(count.state()), count.sends(), Long::sum);
        }
        return counts;
    }
}
