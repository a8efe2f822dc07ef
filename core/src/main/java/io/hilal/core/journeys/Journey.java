package io.hilal.core.journeys;

import io.hilal.core.campaigns.CampaignRequest;
import java.time.Instant;

/** A journey as the API shows it: its definition (defaults filled in) and its status. */
public record Journey(
        String id,
        String name,
        JourneyKind kind,
        JourneyStatus status,
        String delay,
        double holdoutShare,
        String validFor,
        CampaignRequest.Offer offer,
        CampaignRequest.Limits limits,
        Instant createdAt,
        Instant updatedAt) {}
