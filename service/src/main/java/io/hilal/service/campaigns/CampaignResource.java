package io.hilal.service.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Idempotency;
import io.hilal.core.api.Page;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignDao;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.error.ValidationException;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.function.Supplier;

/**
 * {@code /v1/campaigns}: create and edit drafts, list, preview, launch, pause, resume, cancel, read
 * the send ledger, and decide on sends of unknown fate after a crash (resend or close). Every POST
 * honours an {@code Idempotency-Key} header.
 */
@Path("/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {
    private final CampaignService campaigns;
    private final Idempotency idempotency;
    private final ObjectMapper mapper;

    public CampaignResource(
            CampaignService campaigns, Idempotency idempotency, ObjectMapper mapper) {
        this.campaigns = campaigns;
        this.idempotency = idempotency;
        this.mapper = mapper;
    }

    /** The body of a preview: which customer to render for (optional). */
    public record PreviewRequest(String customerId) {}

    @POST
    @RequiresScope(Scope.CAMPAIGNS)
    public Response create(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            String body)
            throws JsonProcessingException {
        CampaignRequest request = read(body, CampaignRequest.class);
        String tenantId = tenant(security);
        return idempotent(tenantId, key, uri, body, 201, () -> campaigns.create(tenantId, request));
    }

    @GET
    @RequiresScope(Scope.READ)
    public Page<Campaign> list(
            @Context SecurityContext security,
            @QueryParam("status") String status,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return campaigns.page(tenant(security), status, cursor, Cursors.limit(limit, 20, 100));
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.READ)
    public Campaign get(@Context SecurityContext security, @PathParam("id") String id) {
        return campaigns.get(tenant(security, id), id);
    }

    @PUT
    @Path("/{id}")
    @RequiresScope(Scope.CAMPAIGNS)
    public Campaign update(
            @Context SecurityContext security, @PathParam("id") String id, String body)
            throws JsonProcessingException {
        return campaigns.update(tenant(security, id), id, read(body, CampaignRequest.class));
    }

    @POST
    @Path("/{id}/preview")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response preview(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            @PathParam("id") String id,
            String body)
            throws JsonProcessingException {
        PreviewRequest request =
                body == null || body.isBlank()
                        ? new PreviewRequest(null)
                        : mapper.readValue(body, PreviewRequest.class);
        String tenantId = tenant(security, id);
        return idempotent(
                tenantId,
                key,
                uri,
                body,
                200,
                () -> campaigns.preview(tenantId, id, request.customerId()));
    }

    @POST
    @Path("/{id}/launch")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response launch(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            @PathParam("id") String id,
            String body) {
        String tenantId = tenant(security, id);
        return idempotent(
                tenantId, key, uri, body, 200, () -> campaigns.launchPlanned(tenantId, id));
    }

    @POST
    @Path("/{id}/pause")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response pause(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            @PathParam("id") String id,
            String body) {
        String tenantId = tenant(security, id);
        return idempotent(tenantId, key, uri, body, 200, () -> campaigns.pause(tenantId, id));
    }

    @POST
    @Path("/{id}/resume")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response resume(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            @PathParam("id") String id,
            String body) {
        String tenantId = tenant(security, id);
        return idempotent(tenantId, key, uri, body, 200, () -> campaigns.resume(tenantId, id));
    }

    @POST
    @Path("/{id}/cancel")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response cancel(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            @PathParam("id") String id,
            String body) {
        String tenantId = tenant(security, id);
        return idempotent(tenantId, key, uri, body, 200, () -> campaigns.cancel(tenantId, id));
    }

    /** The campaign's sends of unknown fate after a worker stopped, waiting for a decision. */
    @GET
    @Path("/{id}/unknown-sends")
    @RequiresScope(Scope.READ)
    public CampaignService.UnknownFate unknownSends(
            @Context SecurityContext security, @PathParam("id") String id) {
        return campaigns.unknownFate(tenant(security, id), id);
    }

    /** Sends the campaign's sends of unknown fate again (a marketer's decision). */
    @POST
    @Path("/{id}/unknown-sends/resend")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response resendUnknown(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            @PathParam("id") String id,
            String body) {
        String tenantId = tenant(security, id);
        return idempotent(
                tenantId, key, uri, body, 200, () -> campaigns.resendUnknown(tenantId, id));
    }

    /** Closes the campaign's sends of unknown fate: not sent again (a marketer's decision). */
    @POST
    @Path("/{id}/unknown-sends/close")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response closeUnknown(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            @PathParam("id") String id,
            String body) {
        String tenantId = tenant(security, id);
        return idempotent(
                tenantId, key, uri, body, 200, () -> campaigns.closeUnknown(tenantId, id));
    }

    @GET
    @Path("/{id}/sends")
    @RequiresScope(Scope.READ)
    public Page<CampaignDao.SendRow> sends(
            @Context SecurityContext security,
            @PathParam("id") String id,
            @QueryParam("state") String state,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return campaigns.sends(
                tenant(security, id), id, state, cursor, Cursors.limit(limit, 50, 500));
    }

    @GET
    @Path("/{id}/ledger")
    @RequiresScope(Scope.READ)
    public CampaignService.Ledger ledger(
            @Context SecurityContext security, @PathParam("id") String id) {
        return campaigns.ledger(tenant(security, id), id);
    }

    /**
     * The caller's tenant, once {@code id} is known not to name one of its journeys: a journey's
     * row shares the campaigns table, but this API answers for campaigns only (a journey id is an
     * unknown campaign here, and changes nothing), and journeys change through /v1/journeys.
     */
    private String tenant(SecurityContext security, String id) {
        String tenantId = tenant(security);
        campaigns.requireNotJourney(tenantId, id);
        return tenantId;
    }

    private Response idempotent(
            String tenantId,
            String key,
            UriInfo uri,
            String body,
            int status,
            Supplier<Object> action) {
        Idempotency.Outcome outcome =
                idempotency.execute(
                        tenantId,
                        key,
                        "POST " + uri.getPath() + "\n" + (body == null ? "" : body),
                        () -> new Idempotency.Outcome(status, json(action.get()), false));
        Response.ResponseBuilder response =
                Response.status(outcome.status())
                        .entity(outcome.body())
                        .type(MediaType.APPLICATION_JSON_TYPE);
        if (outcome.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    private <T> T read(String body, Class<T> type) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new ValidationException("", "a JSON object is required");
        }
        return mapper.readValue(body, type);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("responses are always writable", e);
        }
    }

    private static String tenant(SecurityContext security) {
        return AuthFeature.principal(security).tenantId();
    }
}
