package io.hilal.service.dashboard;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo's campaign sent, for the dashboard's page of that campaign: the emails the embedded
 * SMTP capture received (the first few, rendered) and the ledger counts by state. Empty outside the
 * demo.
 */
public final class DemoOutbox {
    /** One captured email. */
    public record Email(String to, String subject, String text, String html) {}

    /** A finished demo campaign of a tenant. */
    public record Snapshot(
            String tenantId,
            String campaignName,
            String campaignId,
            int received,
            List<Email> emails,
            Map<String, Long> counts) {}

    private volatile Snapshot snapshot;

    public Snapshot snapshot() {
        return snapshot;
    }

    /** The snapshot of this tenant's campaign, if it is the demo's. */
    public Optional<Snapshot> of(String tenantId, String campaignId) {
        Snapshot current = snapshot;
        return current != null
                        && current.tenantId().equals(tenantId)
                        && current.campaignId().equals(campaignId)
                ? Optional.of(current)
                : Optional.empty();
    }

    public void publish(Snapshot snapshot) {
        this.snapshot = snapshot;
    }
}
