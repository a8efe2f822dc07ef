package io.hilal.service.campaigns;

import io.hilal.core.campaigns.feedback.MailEventRequest;
import io.hilal.core.campaigns.feedback.MailEventService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /v1/mail-events}: the webhook a relay (or a small adapter in front of it) calls with
 * bounce and complaint notifications. It takes a server-side {@code ingest} key, as events do: the
 * relay only ever tells Hilal things, and a browser's {@code client} key cannot suppress addresses.
 */
@Path("/v1/mail-events")
@Produces(MediaType.APPLICATION_JSON)
public class MailEventResource {
    private final MailEventService mailEvents;

    public MailEventResource(MailEventService mailEvents) {
        this.mailEvents = mailEvents;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.INGEST)
    public MailEventService.Received receive(
            @Context SecurityContext security, MailEventRequest request) {
        return mailEvents.receive(AuthFeature.principal(security).tenantId(), request);
    }
}
