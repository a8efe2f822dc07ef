package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.Checks;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.service.recommendations.RecommendationCache;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The customer rows page: what one customer's home page recommends, and why. */
@Path("/dashboard/customers")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class CustomerRowsPageResource {
    private static final int ROWS = 5;
    private static final int ITEMS_PER_ROW = 6;

    private final RecommendationCache recommendations;
    private final Pages pages = new Pages();

    public CustomerRowsPageResource(RecommendationCache recommendations) {
        this.recommendations = recommendations;
    }

    @GET
    public Response customers(
            @QueryParam("customer") String customer, @Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String customerId = customer == null ? null : customer.strip();
        if (customerId == null || customerId.isEmpty()) {
            return page(200, session, CustomerRowsPage.form());
        }
        Checks checks = new Checks().id("customer", customerId, true);
        if (!checks.ok()) {
            return page(
                    400,
                    session,
                    CustomerRowsPage.refused(
                            customerId, "A customer id " + checks.errors().get(0).message() + "."));
        }
        String tenantId = session.tenantId();
        Rows rows =
                recommendations.rows(
                        tenantId,
                        customerId,
                        RowsService.Context.HOME,
                        RowsFilter.NONE,
                        ROWS,
                        ITEMS_PER_ROW);
        return page(
                200,
                session,
                CustomerRowsPage.of(customerId, rows, recommendations.model(tenantId)));
    }

    private Response page(int status, DashboardSession session, CustomerRowsPage view) {
        return pages.view(status, session, "customers", "customers", "Customer rows", view);
    }
}
