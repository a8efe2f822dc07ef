package io.hilal.service.dashboard;

import io.hilal.core.journeys.Journey;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.dashboard.data.DashboardCampaigns;
import java.util.List;

/**
 * The campaigns page: each campaign with its sends by state, a badge for sends of unknown fate and
 * for a demo outbox; then the journeys, with their sends and their rolling lift so far.
 */
record CampaignsPage(
        List<CampaignRow> campaigns,
        boolean hasCampaigns,
        List<LedgerStates.Header> states,
        List<JourneyRow> journeys,
        boolean hasJourneys,
        int window) {

    /**
     * A campaign's line; {@code unknown} counts its sends of unknown fate nobody decided on yet
     * (null: none).
     */
    record CampaignRow(
            String campaignId,
            String name,
            String status,
            String audience,
            String holdout,
            List<LedgerStates.Cell> counts,
            String unknown,
            boolean demoOutbox) {
        static CampaignRow of(
                DashboardCampaigns.Campaign campaign,
                List<LedgerStates.Cell> counts,
                Long unknown,
                boolean demoOutbox) {
            return new CampaignRow(
                    campaign.campaignId(),
                    campaign.name(),
                    campaign.status(),
                    campaign.audience(),
                    Format.percent(campaign.holdoutShare()),
                    counts,
                    unknown == null ? null : Text.count(unknown),
                    demoOutbox);
        }
    }

    /** A journey's line; {@code lift} is null before anyone entered. */
    record JourneyRow(
            String journeyId,
            String name,
            String kind,
            String status,
            String delay,
            String holdout,
            List<LedgerStates.Cell> counts,
            LiftHeadline lift) {
        static JourneyRow of(Journey journey, List<LedgerStates.Cell> counts, LiftHeadline lift) {
            return new JourneyRow(
                    journey.id(),
                    journey.name(),
                    journey.kind().wireName().replace('_', ' '),
                    journey.status().wireName(),
                    journey.delay(),
                    Format.percent(journey.holdoutShare()),
                    counts,
                    lift);
        }
    }

    static CampaignsPage of(List<CampaignRow> campaigns, List<JourneyRow> journeys, int window) {
        return new CampaignsPage(
                campaigns,
                !campaigns.isEmpty(),
                LedgerStates.headers(),
                journeys,
                !journeys.isEmpty(),
                window);
    }
}
