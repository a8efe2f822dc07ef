package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.program.ProgramLiftService;
import io.hilal.service.dashboard.data.LiftReports;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The lift pages: every campaign's lift side by side with the program holdout's report, and one
 * campaign's (or journey's) full report. They show the reports the lift API serves, so both say the
 * same.
 */
@Path("/dashboard/lift")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class LiftPagesResource {
    private final LiftReports lift;
    private final ProgramLiftService program;
    private final Pages pages = new Pages();

    public LiftPagesResource(LiftReports lift, ProgramLiftService program) {
        this.lift = lift;
        this.program = program;
    }

    @GET
    public Response lift(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        return pages.view(
                200,
                session,
                "lift",
                "lift",
                "Lift",
                LiftPage.of(
                        lift.reports(session.tenantId()),
                        lift.windowDays(),
                        program.report(session.tenantId())));
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
