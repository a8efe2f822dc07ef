package io.hilal.service.journeys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Idempotency;
import io.hilal.core.api.Page;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import io.hilal.core.journeys.Journey;
import io.hilal.core.journeys.JourneyRequest;
import io.hilal.core.journeys.JourneyService;
import io.hilal.core.lift.CampaignNotFoundException;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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
 * {@code /v1/journeys}: create, list, read, pause and resume triggered journeys, and read their
 * rolling lift. Every POST honours an {@code Idempotency-Key} header.
 */
@Path("/v1/journeys")
@Produces(MediaType.APPLICATION_JSON)
public class JourneyResource {
    private final JourneyService journeys;
    private final LiftReportService lift;
    private final Idempotency idempotency;
    private final ObjectMapper mapper;

    public JourneyResource(
            JourneyService journeys,
            LiftReportService lift,
            Idempotency idempotency,
            ObjectMapper mapper) {
        this.journeys = journeys;
        this.lift = lift;
        this.idempotency = idempotency;
        this.mapper = mapper;
    }

    @POST
    @RequiresScope(Scope.CAMPAIGNS)
    public Response create(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @HeaderParam("Idempotency-Key") String key,
            String body)
            throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new ValidationException("", "a JSON object is required");
        }
        JourneyRequest request = mapper.readValue(body, JourneyRequest.class);
        String tenantId = tenant(security);
        return idempotent(tenantId, key, uri, body, 201, () -> journeys.create(tenantId, request));
    }

    @GET
    @RequiresScope(Scope.READ)
    public Page<Journey> list(
            @Context SecurityContext security,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return journeys.page(tenant(security), cursor, Cursors.limit(limit, 20, 100));
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.READ)
    public Journey get(@Context SecurityContext security, @PathParam("id") String id) {
        return journeys.get(tenant(security), id);
    }

    /**
     * The journey's rolling lift: every customer who entered, measured from their first entry's
     * planned send over the window, against the journey's holdout, with the campaigns' statistics
     * (always-valid intervals while customers keep entering). The same report as {@code GET
     * /v1/campaigns/{id}/lift} serves for a campaign.
     */
    @GET
    @Path("/{id}/lift")
    @RequiresScope(Scope.READ)
    public Response lift(
            @Context SecurityContext security,
            @PathParam("id") String id,
            @QueryParam("window") String window) {
        String tenantId = tenant(security);
        journeys.get(tenantId, id);
        int days = lift.windowDays(window);
        try {
            return Response.ok(
                            lift.latestOrCompute(tenantId, id, days),
                            MediaType.APPLICATION_JSON_TYPE)
                    .build();
        } catch (CampaignNotFoundException e) {
            throw new NotFoundException(
                    "Journey " + id + " has no entries yet: its lift report starts with the first");
        }
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
        String tenantId = tenant(security);
        return idempotent(tenantId, key, uri, body, 200, () -> journeys.pause(tenantId, id));
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
        String tenantId = tenant(security);
        return idempotent(tenantId, key, uri, body, 200, () -> journeys.resume(tenantId, id));
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
