package io.hilal.service.reports;

import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.lift.LiftCsv;
import io.hilal.core.lift.LiftReport;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * A campaign's lift report: {@code GET /v1/campaigns/{id}/lift?window=30} as JSON, or as CSV with
 * {@code Accept: text/csv} (or at {@link LiftCsvResource /v1/campaigns/{id}/lift.csv}). The newest
 * stored report is served (the worker recomputes open ones daily); if none is stored yet, one is
 * computed now. {@code POST} recomputes on demand. Campaigns are known here by their send ledger
 * only, so this works whatever else manages campaigns; a campaign without ledger rows, another
 * tenant's, or a journey's (its lift is at /v1/journeys/{id}/lift) is a 404 {@code not_found}, as
 * on every other campaign route.
 */
@Path("/v1/campaigns/{id}/lift")
public class LiftResource {
    static final String TEXT_CSV = "text/csv";

    private final LiftReportService reports;
    private final CampaignService campaigns;

    public LiftResource(LiftReportService reports, CampaignService campaigns) {
        this.reports = reports;
        this.campaigns = campaigns;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
    @RequiresScope(Scope.READ)
    public Response get(
            @Context SecurityContext security,
            @Context HttpHeaders headers,
            @PathParam("id") String campaignId,
            @QueryParam("window") String window) {
        String tenantId = AuthFeature.principal(security).tenantId();
        campaigns.requireNotJourney(tenantId, campaignId);
        int days = reports.windowDays(window);
        if (wantsCsv(headers)) {
            return csv(reports.latestOrComputeReport(tenantId, campaignId, days));
        }
        return Response.ok(
                        reports.latestOrCompute(tenantId, campaignId, days),
                        MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /** Recomputes the report now and stores it (the history keeps the earlier ones). */
    @POST
    @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
    @RequiresScope(Scope.CAMPAIGNS)
    public Response recompute(
            @Context SecurityContext security,
            @Context HttpHeaders headers,
            @PathParam("id") String campaignId,
            @QueryParam("window") String window) {
        String tenantId = AuthFeature.principal(security).tenantId();
        campaigns.requireNotJourney(tenantId, campaignId);
        LiftReport report = reports.compute(tenantId, campaignId, reports.windowDays(window));
        return wantsCsv(headers)
                ? csv(report)
                : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response csv(LiftReport report) {
        String name =
                "lift-"
                        + report.campaignId().replaceAll("[^A-Za-z0-9_-]", "_")
                        + "-"
                        + report.windowDays()
                        + "d.csv";
        return Response.ok(LiftCsv.report(report), TEXT_CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    /** An Accept header that prefers CSV to JSON. */
    static boolean wantsCsv(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(TEXT_CSV))) {
                return true;
            }
        }
        return false;
    }
}
