package io.hilal.service.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.CustomerUpsert;
import io.hilal.core.catalog.JsonErrors;
import io.hilal.core.error.BadRequestException;
import io.hilal.core.error.Checks;
import io.hilal.core.error.FieldError;
import io.hilal.core.error.ForbiddenException;
import io.hilal.core.error.PayloadTooLargeException;
import io.hilal.core.error.UnauthorizedException;
import io.hilal.core.error.ValidationException;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.events.EventResult;
import io.hilal.core.events.IngestResult;
import io.hilal.core.json.JsonNumbers;
import io.hilal.core.tenant.ApiKeyPrincipal;
import io.hilal.core.tenant.Scope;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.platform.auth.AttemptLimiter;
import io.hilal.service.platform.auth.ClientAddresses;
import io.hilal.service.platform.auth.IngestRateQuota;
import io.hilal.service.platform.auth.TenantRateLimiter;
import io.hilal.service.platform.errors.Problems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Segment's HTTP Tracking API, so a retailer already sending Segment events only changes the
 * endpoint: {@code /segment/v1/batch} (and {@code /import}), {@code /track}, {@code /identify},
 * {@code /page}, {@code /screen}, {@code /group} and {@code /alias}. The write key is a Hilal API
 * key with the {@code ingest} scope (or {@code client}, see {@link #handle}), sent as the
 * Basic-auth user name (as Segment's libraries do), as a Bearer token, or as {@code writeKey} in
 * the body. Limits are Segment's: 32 KB per call, 500 KB per batch.
 */
@Path("/segment/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class SegmentResource {
    static final int MAX_CALL_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;

    private final TenantService tenants;
    private final TenantRateLimiter rateLimiter;
    private final AttemptLimiter unknownKeys;
    private final IngestRateQuota quota;
    private final EventIngestService ingest;
    private final CustomerService customers;
    private final ObjectMapper mapper;
    private final SegmentMapper segment;

    public SegmentResource(
            TenantService tenants,
            TenantRateLimiter rateLimiter,
            AttemptLimiter unknownKeys,
            IngestRateQuota quota,
            EventIngestService ingest,
            CustomerService customers,
            ObjectMapper mapper) {
        this.tenants = tenants;
        this.rateLimiter = rateLimiter;
        this.unknownKeys = unknownKeys;
        this.quota = quota;
        this.ingest = ingest;
        this.customers = customers;
        this.mapper = mapper;
        this.segment = new SegmentMapper(mapper);
    }

    @POST
    @Path("/{kind: batch|import}")
    public Map<String, Object> batch(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context ContainerRequestContext request,
            byte[] body) {
        unknownKeys.requireLeft(ClientAddresses.of(request));
        JsonNode root = read(body, MAX_BATCH_BYTES);
        ApiKeyPrincipal principal = authenticate(authorization, root, request);
        JsonNode batch = root.path("batch");
        if (!batch.isArray() || batch.isEmpty()) {
            throw new BadRequestException(
                    "invalid_body",
                    "batch must be a non-empty array",
                    List.of(new FieldError("batch", "must be a non-empty array")));
        }
        if (batch.size() > EventIngestService.MAX_EVENTS) {
            throw new ValidationException(
                    "batch", "must hold at most " + EventIngestService.MAX_EVENTS + " messages");
        }
        List<JsonNode> messages = new ArrayList<>();
        batch.forEach(messages::add);
        return handle(principal, messages, null);
    }

    @POST
    @Path("/{type: track|identify|page|screen|group|alias}")
    public Map<String, Object> single(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("type") String type,
            @Context ContainerRequestContext request,
            byte[] body) {
        unknownKeys.requireLeft(ClientAddresses.of(request));
        JsonNode message = read(body, MAX_CALL_BYTES);
        return handle(authenticate(authorization, message, request), List.of(message), type);
    }

    /**
     * Every message is judged before anything is written, and a message that fails (also while
     * being written) is reported in {@code results} rather than failing the call: a 4xx from here
     * always means nothing was stored. A {@code client} key (one that may sit in a browser) cannot
     * change a customer's email or consent.
     */
    private Map<String, Object> handle(
            ApiKeyPrincipal principal, List<JsonNode> messages, String type) {
        String tenantId = principal.tenantId();
        quota.charge(tenantId, messages.size());
        boolean mayChangeContact = principal.has(Scope.INGEST);
        List<JsonNode> events = new ArrayList<>();
        List<CustomerUpsert> identifies = new ArrayList<>();
        List<String> identifyIds = new ArrayList<>();
        List<EventResult> rejected = new ArrayList<>();
        for (JsonNode message : messages) {
            String messageType = type != null ? type : message.path("type").asText("track");
            String refusal = SegmentMapper.refusal(messageType, message);
            if (refusal != null) {
                rejected.add(rejectedMessage(message, refusal));
            } else if ("identify".equals(messageType)) {
                CustomerUpsert upsert = segment.identify(message);
                Checks checks = customers.check(upsert);
                if (checks.ok()) {
                    identifies.add(upsert);
                    identifyIds.add(SegmentMapper.messageId(message));
                } else {
                    rejected.add(rejectedMessage(message, checks.summary()));
                }
            } else {
                events.add(segment.event(messageType, message));
            }
        }
        if (!identifies.isEmpty() && !events.isEmpty()) {
            // Before the customers are written: a 4xx means nothing was stored.
            ingest.requireRoomFor(tenantId, events.size());
        }
        int identified = 0;
        for (int i = 0; i < identifies.size(); i++) {
            try {
                customers.merge(tenantId, identifies.get(i), mayChangeContact);
                identified++;
            } catch (ValidationException | ForbiddenException e) {
                rejected.add(new EventResult(identifyIds.get(i), EventResult.REJECTED, e.detail()));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("identified", identified);
        List<EventResult> results = new ArrayList<>(rejected);
        if (!events.isEmpty()) {
            IngestResult result = ingest.ingest(tenantId, events);
            answer.put("accepted", result.accepted());
            answer.put("duplicates", result.duplicates());
            result.results().stream()
                    .filter(r -> EventResult.REJECTED.equals(r.status()))
                    .forEach(results::add);
        }
        if (!events.isEmpty() || !results.isEmpty()) {
            answer.put("rejected", results.size());
            answer.put("results", results);
        }
        return answer;
    }

    private static EventResult rejectedMessage(JsonNode message, String reason) {
        return new EventResult(SegmentMapper.messageId(message), EventResult.REJECTED, reason);
    }

    private JsonNode read(byte[] body, int limit) {
        if (body == null || body.length == 0) {
            throw new BadRequestException("invalid_body", "The body is empty");
        }
        if (body.length > limit) {
            throw new PayloadTooLargeException(
                    "The body is " + body.length + " bytes; the limit is " + limit);
        }
        JsonNumbers.requireRepresentable(mapper.getFactory(), body);
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadRequestException("invalid_body", "The body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            Optional<String> duplicate = JsonErrors.duplicateKey(e);
            if (duplicate.isPresent()) {
                throw Problems.duplicateKey(duplicate.get());
            }
            throw new BadRequestException("malformed_json", "The body is not valid JSON");
        }
    }

    /**
     * The write key from Basic auth (user name), Bearer, or the body's writeKey: a key with the
     * {@code ingest} scope, or a {@code client} key meant for browsers and apps.
     */
    private ApiKeyPrincipal authenticate(
            String authorization, JsonNode body, ContainerRequestContext request) {
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded =
                        new String(
                                Base64.getDecoder().decode(authorization.substring(6).strip()),
                                StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                key = colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                throw new UnauthorizedException("The Basic credentials are not base64");
            }
        } else if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).strip();
        } else if (body.hasNonNull("writeKey")) {
            key = body.get("writeKey").asText();
        }
        if (key == null || key.isEmpty()) {
            throw new UnauthorizedException(
                    "Send your write key as the Basic-auth user name or as writeKey");
        }
        ApiKeyPrincipal principal =
                tenants.authenticate(key)
                        .orElseThrow(
                                () -> {
                                    unknownKeys.charge(ClientAddresses.of(request));
                                    return new UnauthorizedException(
                                            "The write key is unknown or revoked");
                                });
        if (!principal.has(Scope.INGEST) && !principal.has(Scope.CLIENT)) {
            throw new ForbiddenException("This key lacks the 'ingest' or 'client' scope");
        }
        rateLimiter.acquire(principal.tenantId());
        // Every query of this request goes to the tenant's pod (RequestIds clears it).
        io.hilal.core.pods.DbScope.enterTenant(principal.tenantId());
        return principal;
    }
}
