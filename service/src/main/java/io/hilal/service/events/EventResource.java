package io.hilal.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.events.IngestResult;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.IngestQuotaCheck;
import io.hilal.service.platform.auth.IngestRateQuota;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** Event ingest: a 200 means every accepted event is committed. */
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EventResource {
    private final EventIngestService ingest;
    private final IngestRateQuota quota;

    public EventResource(EventIngestService ingest, IngestRateQuota quota) {
        this.ingest = ingest;
        this.quota = quota;
    }

    /** The batch envelope; each event is read on its own so one bad event rejects only itself. */
    public record EventBatchRequest(List<JsonNode> events) {}

    @POST
    @RequiresScope(Scope.INGEST)
    @IngestQuotaCheck
    public IngestResult post(@Context SecurityContext security, EventBatchRequest request) {
        String tenantId = AuthFeature.principal(security).tenantId();
        List<JsonNode> events = request == null ? null : request.events();
        quota.charge(tenantId, events == null ? 0 : events.size());
        return ingest.ingest(tenantId, events);
    }
}
