package io.hilal.service.dashboard.data;

import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.core.error.ConflictException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The campaigns a tenant's send ledger knows of, before campaigns have a table of their own: their
 * ids and how many customers each run planned. Read-only: launching and pausing need the campaigns
 * feature.
 */
public final class LedgerCampaigns implements CampaignDirectory {
    private final Jdbi jdbi;

    public LedgerCampaigns(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<Campaign> campaigns(String tenantId) {
        Map<String, Long> audience = new LinkedHashMap<>();
        DashboardQueries queries = jdbi.onDemand(DashboardQueries.class);
        for (DashboardQueries.StateCount count : queries.ledgerCounts(tenantId)) {
            audience.merge(count.campaignId(), count.sends(), Long::sum);
        }
        // Journeys send through the ledger too; the dashboard lists them in a section of their own.
        queries.journeyIds(tenantId).forEach(audience::remove);
        List<Campaign> campaigns = new ArrayList<>();
        audience.forEach(
                (campaignId, sends) ->
                        campaigns.add(
                                new Campaign(
                                        campaignId,
                                        campaignId,
                                        "in ledger",
                                        sends + (sends == 1 ? " recipient" : " recipients"),
                                        null)));
        return campaigns;
    }

    @Override
    public boolean controllable() {
        return false;
    }

    @Override
    public void launch(String tenantId, String campaignId) {
        throw new ConflictException(
                "campaign_controls_unavailable", "Launching needs the campaigns API");
    }

    @Override
    public void pause(String tenantId, String campaignId) {
        throw new ConflictException(
                "campaign_controls_unavailable", "Pausing needs the campaigns API");
    }
}
