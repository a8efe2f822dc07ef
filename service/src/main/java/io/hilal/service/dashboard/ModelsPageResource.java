package io.hilal.service.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.dashboard.DashboardSession;
import io.hilal.core.experiments.ExperimentService;
import io.hilal.core.reco.ModelStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The models page: what the tenant's recommendations are trained on and how well they score. */
@Path("/dashboard/models")
@Produces(MediaType.TEXT_HTML)
@SignedIn
public class ModelsPageResource {
    private final ModelStore models;
    private final ExperimentService experiments;
    private final ObjectMapper mapper;
    private final Pages pages = new Pages();

    public ModelsPageResource(
            ModelStore models, ExperimentService experiments, ObjectMapper mapper) {
        this.models = models;
        this.experiments = experiments;
        this.mapper = mapper;
    }

    @GET
    public Response models(@Context ContainerRequestContext request) {
        DashboardSession session = DashboardFeature.session(request);
        String tenantId = session.tenantId();
        return pages.view(
                200,
                session,
                "models",
                "models",
                "Models",
                ModelsPage.of(
                        models.active(tenantId),
                        models.versions(tenantId),
                        models.recentTraining(tenantId),
                        experiments.reports(tenantId),
                        mapper));
    }
}
