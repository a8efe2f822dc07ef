package io.hilal.service.recommendations;

import io.hilal.core.experiments.Experiment;
import io.hilal.core.experiments.ExperimentReport;
import io.hilal.core.experiments.ExperimentRequest;
import io.hilal.core.experiments.ExperimentService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/**
 * {@code /v1/experiments}: start an experiment between two "Picked for you" models, list them, read
 * one with its report, and stop it. Starting and stopping need the {@code admin} scope, as training
 * does; reading needs {@code read}.
 */
@Path("/v1/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {
    private final ExperimentService experiments;
    private final ServedRecommendations served;

    public ExperimentResource(ExperimentService experiments, ServedRecommendations served) {
        this.experiments = experiments;
        this.served = served;
    }

    public record ExperimentsResponse(List<Experiment> items) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.ADMIN)
    public Response create(@Context SecurityContext security, ExperimentRequest request) {
        String tenantId = AuthFeature.principal(security).tenantId();
        Experiment experiment =
                experiments.create(
                        tenantId,
                        request == null
                                ? new ExperimentRequest(null, null, null, null, null)
                                : request);
        served.experimentChanged(tenantId);
        return Response.status(Response.Status.CREATED).entity(experiment).build();
    }

    @GET
    @RequiresScope(Scope.READ)
    public ExperimentsResponse list(@Context SecurityContext security) {
        return new ExperimentsResponse(
                experiments.list(AuthFeature.principal(security).tenantId()));
    }

    /** The experiment with its report so far. */
    @GET
    @Path("/{id}")
    @RequiresScope(Scope.READ)
    public ExperimentReport get(
            @Context SecurityContext security, @PathParam("id") String experimentId) {
        return experiments.report(AuthFeature.principal(security).tenantId(), experimentId);
    }

    @POST
    @Path("/{id}/stop")
    @RequiresScope(Scope.ADMIN)
    public Experiment stop(
            @Context SecurityContext security, @PathParam("id") String experimentId) {
        String tenantId = AuthFeature.principal(security).tenantId();
        Experiment stopped = experiments.stop(tenantId, experimentId);
        served.experimentChanged(tenantId);
        return stopped;
    }
}
