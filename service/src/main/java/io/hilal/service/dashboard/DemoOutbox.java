package io.hilal.service.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What the demo's campaign sent, for the start page: the emails the embedded SMTP capture received
 * (the first few, rendered) and the ledger counts by state. Empty outside the demo.
 */
public final class DemoOutbox {
    /** One captured email. */
    public record Email(String to, String subject, String text, String html) {}

    /** A finished demo campaign. */
    public record Snapshot(
            String campaignName,
            String campaignId,
            int received,
            List<Email> emails,
            Map<String, Long> counts) {}

    private volatile Snapshot snapshot;

    public Snapshot snapshot() {
        return snapshot;
    }

    public void publish(Snapshot snapshot) {
        this.snapshot = snapshot;
    }
}
