package io.hilal.service.recommendations;

import io.hilal.core.reco.ModelDao;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** The tenant's trained models with their offline metrics, and on-demand training. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    private final ModelStore models;

    public ModelResource(ModelStore models) {
        this.models = models;
    }

    public record ModelsResponse(
            List<ModelVersion> items, List<ModelDao.TrainingStatus> training) {}

    public record TrainResponse(String requestId, String status) {}

    @GET
    @RequiresScope(Scope.READ)
    public ModelsResponse list(@Context SecurityContext security) {
        String tenantId = AuthFeature.principal(security).tenantId();
        return new ModelsResponse(models.versions(tenantId), models.recentTraining(tenantId));
    }

    /**
     * Queues a training run; the campaign worker picks it up within seconds. 429 with Retry-After
     * when the tenant's training-time quota is used up today.
     */
    @POST
    @Path("/train")
    @RequiresScope(Scope.ADMIN)
    public Response train(@Context SecurityContext security) {
        String tenantId = AuthFeature.principal(security).tenantId();
        models.requireTrainingTimeLeft(tenantId);
        String requestId = models.requestTraining(tenantId);
        return Response.accepted(new TrainResponse(requestId, "pending")).build();
    }
}
