package io.hilal.service.reports;

import io.hilal.core.lift.LiftCsv;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.lift.LiftSummary;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The tenant's lift across campaigns: {@code GET /v1/lift} lists, per campaign and window, the
 * newest stored report's headline and the history of every daily recomputation (the lift over
 * time), optionally for one {@code campaign} or {@code window}. With {@code Accept: text/csv} it is
 * one row per stored report.
 */
@Path("/v1/lift")
public class LiftOverviewResource {
    private final LiftReportService reports;

    public LiftOverviewResource(LiftReportService reports) {
        this.reports = reports;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, LiftResource.TEXT_CSV})
    @RequiresScope(Scope.READ)
    public Response list(
            @Context SecurityContext security,
            @Context HttpHeaders headers,
            @QueryParam("campaign") String campaignId,
            @QueryParam("window") String window) {
        String tenantId = AuthFeature.principal(security).tenantId();
        Integer days = window == null || window.isEmpty() ? null : reports.windowDays(window);
        LiftReportService.Overview overview = reports.overview(tenantId, campaignId, days);
        if (LiftResource.wantsCsv(headers)) {
            List<LiftSummary> rows = new ArrayList<>();
            overview.items().forEach(item -> rows.addAll(item.history()));
            return Response.ok(LiftCsv.history(rows), LiftResource.TEXT_CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"lift.csv\"")
                    .build();
        }
        return Response.ok(overview, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
