package io.hilal.service.program;

import io.hilal.core.program.ProgramHoldout;
import io.hilal.core.program.ProgramHoldoutService;
import io.hilal.core.program.ProgramLiftService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;

/**
 * The tenant's program holdout: {@code GET/PUT /v1/program-holdout} (the share of customers no
 * campaign or journey emails, 0 for off) and {@code GET /v1/program-holdout/report} (the whole
 * email program against it, over time, with always-valid intervals).
 */
@Path("/v1/program-holdout")
@Produces(MediaType.APPLICATION_JSON)
public class ProgramHoldoutResource {
    /** The setting on the wire (the salt stays inside). */
    public record Setting(double share, boolean on, Instant startedAt) {
        static Setting of(ProgramHoldout holdout) {
            return new Setting(holdout.share(), holdout.on(), holdout.startedAt());
        }
    }

    /** A change of the setting. */
    public record Change(Double share) {}

    private final ProgramHoldoutService holdouts;
    private final ProgramLiftService reports;

    public ProgramHoldoutResource(ProgramHoldoutService holdouts, ProgramLiftService reports) {
        this.holdouts = holdouts;
        this.reports = reports;
    }

    @GET
    @RequiresScope(Scope.READ)
    public Setting get(@Context SecurityContext security) {
        return Setting.of(holdouts.get(AuthFeature.principal(security).tenantId()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.CAMPAIGNS)
    public Setting put(@Context SecurityContext security, Change change) {
        return Setting.of(
                holdouts.put(
                        AuthFeature.principal(security).tenantId(),
                        change == null ? null : change.share()));
    }

    @GET
    @Path("/report")
    @RequiresScope(Scope.READ)
    public ProgramLiftService.Report report(@Context SecurityContext security) {
        return reports.report(AuthFeature.principal(security).tenantId());
    }
}
