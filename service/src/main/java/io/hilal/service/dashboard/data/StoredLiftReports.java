package io.hilal.service.dashboard.data;

import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.dashboard.RepeatPurchaseLift;
import io.hilal.core.lift.CampaignNotFoundException;
import io.hilal.core.lift.LiftReport;
import io.hilal.core.lift.LiftReportService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The reports {@link LiftReportService} stores (the worker recomputes them daily while a window is
 * open), computed and stored on first request when there is none yet, as {@code GET
 * /v1/campaigns/{id}/lift} does; so the dashboard and the API show the same numbers. The curves are
 * measured from the ledger on request.
 */
public final class StoredLiftReports implements LiftReports {
    private final LiftReportService reports;
    private final DashboardCampaigns campaigns;
    private final Jdbi jdbi;
    private final Clock clock;

    public StoredLiftReports(
            LiftReportService reports, DashboardCampaigns campaigns, Jdbi jdbi, Clock clock) {
        this.reports = reports;
        this.campaigns = campaigns;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public int windowDays() {
        return reports.options().defaultWindowDays();
    }

    @Override
    public List<Report> reports(String tenantId) {
        List<Report> found = new ArrayList<>();
        for (DashboardCampaigns.Campaign campaign : campaigns.campaigns(tenantId)) {
            latest(tenantId, campaign).ifPresent(found::add);
        }
        return found;
    }

    @Override
    public Optional<Report> report(String tenantId, String campaignId) {
        return campaigns.campaign(tenantId, campaignId).flatMap(found -> latest(tenantId, found));
    }

    @Override
    public RepeatPurchaseLift.Result curves(String tenantId, String campaignId) {
        Instant now = clock.instant();
        return RepeatPurchaseLift.measure(
                jdbi.onDemand(DashboardQueries.class).exposures(tenantId, campaignId, now),
                windowDays(),
                now);
    }

    /** The newest report, empty for a campaign without a ledger (a draft). */
    private Optional<Report> latest(String tenantId, DashboardCampaigns.Campaign campaign) {
        try {
            LiftReport report =
                    reports.latestOrComputeReport(tenantId, campaign.campaignId(), windowDays());
            return Optional.of(new Report(campaign.campaignId(), campaign.name(), report));
        } catch (CampaignNotFoundException e) {
            return Optional.empty();
        }
    }
}
