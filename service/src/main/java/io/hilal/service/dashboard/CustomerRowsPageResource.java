package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.error.Checks;
import io.hilal.core.reco.CustomerSignalsDao;
import io.hilal.core.reco.ModelDao;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.RecommendationModel;
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
import java.time.Instant;
import java.util.List;

/** The customer rows page: what one customer's home page recommends, and why. */
@Path("/dashboard/customers")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class CustomerRowsPageResource {
    private static final int ROWS = 5;
    private static final int ITEMS_PER_ROW = 6;

    private final RecommendationCache recommendations;
    private final CustomerSignalsDao customers;
    private final ModelStore models;
    private final Pages pages = new Pages();

    public CustomerRowsPageResource(
            RecommendationCache recommendations, CustomerSignalsDao customers, ModelStore models) {
        this.recommendations = recommendations;
        this.customers = customers;
        this.models = models;
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
                CustomerRowsPage.of(
                        customerId,
                        rows,
                        recommendations.model(tenantId),
                        () -> standing(tenantId, customerId)));
    }

    /** What Hilal has of the customer, and of the model serving them. */
    private CustomerRowsPage.Standing standing(String tenantId, String customerId) {
        RecommendationModel model = recommendations.model(tenantId);
        Instant trainedTo = recommendations.trainedTo(tenantId).orElse(null);
        boolean known = customers.signalsVersion(tenantId, customerId).isPresent();
        boolean bought =
                known
                        && !customers
                                .signals(tenantId, customerId, model.trainedAt())
                                .history()
                                .isEmpty();
        return new CustomerRowsPage.Standing(
                known, bought, model.knows(customerId), trainedTo, nextTraining(tenantId));
    }

    private CustomerRowsPage.NextTraining nextTraining(String tenantId) {
        List<String> statuses =
                models.recentTraining(tenantId).stream()
                        .map(ModelDao.TrainingStatus::status)
                        .toList();
        if (statuses.contains("RUNNING")) {
            return CustomerRowsPage.NextTraining.RUNNING;
        }
        if (statuses.contains("PENDING")) {
            return CustomerRowsPage.NextTraining.QUEUED;
        }
        return models.dueForNightlyTraining(tenantId)
                ? CustomerRowsPage.NextTraining.NIGHTLY
                : CustomerRowsPage.NextTraining.NONE;
    }

    private Response page(int status, DashboardSession session, CustomerRowsPage view) {
        return pages.view(status, session, "customers", "customers", "Customer rows", view);
    }
}
