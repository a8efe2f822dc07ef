package io.hilal.service.campaigns;

import io.hilal.core.campaigns.CampaignDao;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A tenant's campaign settings: the sender identity (from, reply-to, postal address, website) and
 * named calendar dates that schedules can be anchored to.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SenderSettingsResource {
    private final CampaignService campaigns;

    public SenderSettingsResource(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    /** The body of a calendar date. */
    public record CalendarDateRequest(LocalDate date) {}

    @GET
    @Path("/sender-identity")
    @RequiresScope(Scope.READ)
    public SenderIdentity senderIdentity(@Context SecurityContext security) {
        SenderIdentity identity = campaigns.senderIdentity(tenant(security));
        if (identity == null) {
            throw new NotFoundException("No sender identity is set");
        }
        return identity;
    }

    @PUT
    @Path("/sender-identity")
    @RequiresScope(Scope.CAMPAIGNS)
    public SenderIdentity putSenderIdentity(
            @Context SecurityContext security, SenderIdentity identity) {
        return campaigns.putSenderIdentity(tenant(security), identity);
    }

    @GET
    @Path("/calendar-dates")
    @RequiresScope(Scope.READ)
    public Map<String, List<CampaignDao.CalendarDate>> calendarDates(
            @Context SecurityContext security) {
        return Map.of("items", campaigns.calendarDates(tenant(security)));
    }

    @PUT
    @Path("/calendar-dates/{name}")
    @RequiresScope(Scope.CAMPAIGNS)
    public CampaignDao.CalendarDate putCalendarDate(
            @Context SecurityContext security,
            @PathParam("name") String name,
            CalendarDateRequest body) {
        if (body == null) {
            throw new ValidationException("date", "is required");
        }
        return campaigns.putCalendarDate(tenant(security), name, body.date());
    }

    @DELETE
    @Path("/calendar-dates/{name}")
    @RequiresScope(Scope.CAMPAIGNS)
    public Response deleteCalendarDate(
            @Context SecurityContext security, @PathParam("name") String name) {
        campaigns.deleteCalendarDate(tenant(security), name);
        return Response.noContent().build();
    }

    private static String tenant(SecurityContext security) {
        return AuthFeature.principal(security).tenantId();
    }
}
