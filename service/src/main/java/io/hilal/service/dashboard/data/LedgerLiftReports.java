package io.hilal.service.dashboard.data;

import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.dashboard.RepeatPurchaseLift;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Lift measured on request from the send ledger and the order lines: each campaign's matured sends
 * (at least {@code windowDays} old), treated against held out.
 */
public final class LedgerLiftReports implements LiftReports {
    private final Jdbi jdbi;
    private final CampaignDirectory campaigns;
    private final Clock clock;
    private final int windowDays;

    public LedgerLiftReports(Jdbi jdbi, CampaignDirectory campaigns, Clock clock, int windowDays) {
        this.jdbi = jdbi;
        this.campaigns = campaigns;
        this.clock = clock;
        this.windowDays = windowDays;
    }

    @Override
    public int windowDays() {
        return windowDays;
    }

    @Override
    public List<Report> reports(String tenantId) {
        List<Report> reports = new ArrayList<>();
        for (CampaignDirectory.Campaign campaign : campaigns.campaigns(tenantId)) {
            reports.add(measure(tenantId, campaign));
        }
        return reports;
    }

    @Override
    public Optional<Report> report(String tenantId, String campaignId) {
        return campaigns.campaign(tenantId, campaignId).map(found -> measure(tenantId, found));
    }

    private Report measure(String tenantId, CampaignDirectory.Campaign campaign) {
        Instant now = clock.instant();
        List<DashboardQueries.Exposure> exposures =
                jdbi.onDemand(DashboardQueries.class)
                        .exposures(tenantId, campaign.campaignId(), now);
        return new Report(
                campaign.campaignId(),
                campaign.name(),
                RepeatPurchaseLift.measure(exposures, windowDays, now));
    }
}
