package io.hilal.service.pods;

import io.hilal.core.pods.Placement;
import io.hilal.core.pods.PodService;
import io.hilal.core.pods.TenantMover;
import io.hilal.service.platform.auth.OperatorOnly;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The operator's pods: the databases tenants are spread over, where each tenant is, and moving a
 * tenant from one to another (README, "Tenant pods").
 */
@Path("/v1/operator")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@OperatorOnly
public class PodResource {
    private final PodService pods;

    public PodResource(PodService pods) {
        this.pods = pods;
    }

    /**
     * {@code passwordEnv}: the environment variable holding the password, rather than it; {@code
     * homeCredentials}: neither, connect with the home database's password (asked explicitly).
     */
    public record AddPodRequest(
            String podId,
            String jdbcUrl,
            String user,
            String password,
            String passwordEnv,
            Boolean homeCredentials) {}

    public record PodStatusRequest(String status) {}

    public record MoveRequest(String tenantId, String targetPod) {}

    @GET
    @Path("/pods")
    public Map<String, List<PodService.PodView>> list() {
        return Map.of("items", pods.list());
    }

    @POST
    @Path("/pods")
    public Response add(AddPodRequest request) {
        AddPodRequest body =
                request == null ? new AddPodRequest(null, null, null, null, null, null) : request;
        return Response.status(201)
                .entity(
                        pods.add(
                                body.podId(),
                                body.jdbcUrl(),
                                body.user(),
                                body.password(),
                                body.passwordEnv(),
                                Boolean.TRUE.equals(body.homeCredentials())))
                .build();
    }

    @PUT
    @Path("/pods/{podId}/status")
    public PodService.PodView setStatus(
            @PathParam("podId") String podId, PodStatusRequest request) {
        return pods.setStatus(podId, request == null ? null : request.status());
    }

    @GET
    @Path("/placements/{tenantId}")
    public Placement placement(@PathParam("tenantId") String tenantId) {
        return pods.placement(tenantId);
    }

    /** Moves the tenant and answers when it is done: copied, caught up, switched, verified. */
    @POST
    @Path("/moves")
    public TenantMover.MoveReport move(MoveRequest request) {
        MoveRequest body = request == null ? new MoveRequest(null, null) : request;
        return pods.move(body.tenantId(), body.targetPod());
    }
}
