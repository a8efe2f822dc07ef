package io.hilal.service.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.JsonErrors;
import io.hilal.core.error.BadRequestException;
import io.hilal.core.error.FieldError;
import io.hilal.core.error.ForbiddenException;
import io.hilal.core.error.PayloadTooLargeException;
import io.hilal.core.error.UnauthorizedException;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.events.EventResult;
import io.hilal.core.events.IngestResult;
import io.hilal.core.json.JsonNumbers;
import io.hilal.core.tenant.ApiKeyPrincipal;
import io.hilal.core.tenant.Scope;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.platform.auth.TenantRateLimiter;
import io.hilal.service.platform.errors.Problems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
 * key with the {@code ingest} scope, sent as the Basic-auth user name (as Segment's libraries do),
 * as a Bearer token, or as {@code writeKey} in the body. Limits are Segment's: 32 KB per call, 500
 * KB per batch.
 */
@Path("/segment/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class SegmentResource {
    static final int MAX_CALL_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;

    private final TenantService tenants;
    private final TenantRateLimiter rateLimiter;
    private final EventIngestService ingest;
    private final CustomerService customers;
    private final ObjectMapper mapper;
    private final SegmentMapper segment;

    public SegmentResource(
            TenantService tenants,
            TenantRateLimiter rateLimiter,
            EventIngestService ingest,
            CustomerService customers,
            ObjectMapper mapper) {
        this.tenants = tenants;
        this.rateLimiter = rateLimiter;
        this.ingest = ingest;
        this.customers = customers;
        this.mapper = mapper;
        this.segment = new SegmentMapper(mapper);
    }

    @POST
    @Path("/{kind: batch|import}")
    public Map<String, Object> batch(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        JsonNode root = read(body, MAX_BATCH_BYTES);
        String tenantId = authenticate(authorization, root);
        JsonNode batch = root.path("batch");
        if (!batch.isArray() || batch.isEmpty()) {
            throw new BadRequestException(
                    "invalid_body",
                    "batch must be a non-empty array",
                    List.of(new FieldError("batch", "must be a non-empty array")));
        }
        List<JsonNode> messages = new ArrayList<>();
        batch.forEach(messages::add);
        return handle(tenantId, messages, null);
    }

    @POST
    @Path("/{type: track|identify|page|screen|group|alias}")
    public Map<String, Object> single(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("type") String type,
            byte[] body) {
        JsonNode message = read(body, MAX_CALL_BYTES);
        return handle(authenticate(authorization, message), List.of(message), type);
    }

    private Map<String, Object> handle(String tenantId, List<JsonNode> messages, String type) {
        List<JsonNode> events = new ArrayList<>();
        int identified = 0;
        for (JsonNode message : messages) {
            String messageType = type != null ? type : message.path("type").asText("track");
            if ("identify".equals(messageType)) {
                if (message.hasNonNull("userId")) {
                    customers.merge(tenantId, segment.identify(message));
                    identified++;
                }
            } else {
                events.add(segment.event(messageType, message));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("identified", identified);
        if (!events.isEmpty()) {
            IngestResult result = ingest.ingest(tenantId, events);
            answer.put("accepted", result.accepted());
            answer.put("duplicates", result.duplicates());
            answer.put("rejected", result.rejected());
            answer.put(
                    "results",
                    result.results().stream()
                            .filter(r -> EventResult.REJECTED.equals(r.status()))
                            .toList());
        }
        return answer;
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

    /** The write key from Basic auth (user name), Bearer, or the body's writeKey. */
    private String authenticate(String authorization, JsonNode body) {
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
                                () ->
                                        new UnauthorizedException(
                                                "The write key is unknown or revoked"));
        if (!principal.has(Scope.INGEST)) {
            throw new ForbiddenException("This key lacks the 'ingest' scope");
        }
        rateLimiter.acquire(principal.tenantId());
        return principal.tenantId();
    }
}
