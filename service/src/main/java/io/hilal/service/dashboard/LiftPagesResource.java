package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.ValidationException;
import io.hilal.core.program.ProgramHoldoutService;
import io.hilal.core.program.ProgramLiftService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.dashboard.data.LiftReports;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.Optional;

/**
 * The lift pages: every campaign's lift side by side with the program holdout's report (and, for a
 * session with the {@code campaigns} scope, the form that sets its share), and one campaign's (or
 * journey's) full report. They show the reports the lift API serves, so both say the same.
 */
@Path("/dashboard/lift")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class LiftPagesResource {
    private final LiftReports lift;
    private final ProgramLiftService program;
    private final ProgramHoldoutService holdouts;
    private final Pages pages = new Pages();

    public LiftPagesResource(
            LiftReports lift, ProgramLiftService program, ProgramHoldoutService holdouts) {
        this.lift = lift;
        this.program = program;
        this.holdouts = holdouts;
    }

    @GET
    public Response lift(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return liftPage(
                session,
                200,
                session.has(Scope.CAMPAIGNS)
                        ? ProgramControl.of(holdouts.get(session.tenantId()))
                        : null);
    }

    /**
     * The program holdout's share from the Lift page's form, in percent: set as {@code PUT
     * /v1/program-holdout} sets it (the same validation, logged as the same operator action), then
     * back to the page. A share that is not a number from 0 to 20 shows the page again with why,
     * and changes nothing.
     */
    @POST
    @Path("program-holdout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.CAMPAIGNS)
    public Response setProgramHoldout(
            @FormParam("share") String share, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        try {
            holdouts.put(session.tenantId(), ProgramControl.share(share));
        } catch (ValidationException e) {
            return liftPage(
                    session,
                    e.status(),
                    ProgramControl.refused(holdouts.get(session.tenantId()), share));
        }
        return Pages.withHeaders(Response.seeOther(UriBuilder.fromPath("/dashboard/lift").build()))
                .build();
    }

    private Response liftPage(DashboardSession session, int status, ProgramControl control) {
        return pages.view(
                status,
                session,
                "lift",
                "lift",
                "Lift",
                LiftPage.of(
                        lift.reports(session.tenantId()),
                        lift.windowDays(),
                        program.report(session.tenantId()),
                        control));
    }

    @GET
    @Path("{campaignId}")
    public Response liftReport(
            @PathParam("campaignId") String campaignId, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        Optional<LiftReports.Report> report = lift.report(session.tenantId(), campaignId);
        if (report.isEmpty()) {
            return pages.notFound(
                    session, "lift", "There is no lift report for " + campaignId + ".");
        }
        return pages.view(
                200,
                session,
                "lift-report",
                "lift",
                "Lift of " + report.get().campaignName(),
                LiftHeadline.of(report.get()),
                LiftReportPage.of(
                        report.get().report(), lift.curves(session.tenantId(), campaignId)));
    }
}
