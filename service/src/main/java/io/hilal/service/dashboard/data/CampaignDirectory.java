package io.hilal.service.dashboard.data;

import java.util.List;
import java.util.Optional;

/**
 * What the dashboard needs to know about a tenant's campaigns, and the two actions it offers. Kept
 * this small so the campaigns feature implements it over its own tables ({@link ServiceCampaigns});
 * {@link LedgerCampaigns} lists the campaigns found only in the send ledger, read-only.
 */
public interface CampaignDirectory {
    /**
     * One campaign as the list shows it: status (e.g. {@code draft}, {@code scheduled}, {@code
     * paused}), a description of its audience, its holdout share (0–1, null when unknown), and
     * which of the two actions its status allows ({@code launchable}: a draft to launch or a paused
     * campaign to resume).
     */
    record Campaign(
            String campaignId,
            String name,
            String status,
            String audience,
            Double holdoutShare,
            boolean launchable,
            boolean pausable) {
        /** A campaign that cannot be launched or paused from here. */
        public Campaign(
                String campaignId,
                String name,
                String status,
                String audience,
                Double holdoutShare) {
            this(campaignId, name, status, audience, holdoutShare, false, false);
        }
    }

    /** The tenant's campaigns, newest first. */
    List<Campaign> campaigns(String tenantId);

    /** One campaign of the tenant; empty when the tenant has none with this id. */
    default Optional<Campaign> campaign(String tenantId, String campaignId) {
        return campaigns(tenantId).stream()
                .filter(campaign -> campaign.campaignId().equals(campaignId))
                .findFirst();
    }

    /** Whether {@link #launch} and {@link #pause} do anything; the page hides them otherwise. */
    boolean controllable();

    /**
     * Launches (or resumes) a campaign of the tenant; 404 for another tenant's. A refusal (no
     * sender identity, wrong status) is a {@code HilalException} whose detail the page shows.
     */
    void launch(String tenantId, String campaignId);

    /** Pauses a campaign of the tenant; 404 for another tenant's. */
    void pause(String tenantId, String campaignId);
}
