package io.hilal.core.campaigns;

import java.time.Instant;

/** A campaign as the API shows it: its definition (defaults filled in) and its lifecycle. */
public record Campaign(
        String id,
        String name,
        CampaignStatus status,
        double holdoutShare,
        CampaignRequest.Audience audience,
        CampaignRequest.Offer offer,
        CampaignRequest.Schedule schedule,
        CampaignRequest.Limits limits,
        Instant createdAt,
        Instant updatedAt,
        Instant launchedAt) {

    /** The definition part, as it was stored. */
    public CampaignRequest definition() {
        return new CampaignRequest(name, audience, holdoutShare, offer, schedule, limits);
    }
}
