package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hilal.core.error.BadRequestException;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RecommendationTrainer;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsService;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;

/**
 * {@code GET /v1/customers/{id}/rows}: rows of recommendations with reasons. Models are built per
 * tenant on first use and kept in a bounded cache for a few minutes.
 */
@Path("/v1/customers/{id}/rows")
@Produces(MediaType.APPLICATION_JSON)
public class RowsResource {
    private final RecommendationTrainer trainer;
    private final RowsService rows = new RowsService();
    private final LoadingCache<String, RecommendationModel> models;

    public RowsResource(RecommendationTrainer trainer) {
        this.trainer = trainer;
        this.models =
                Caffeine.newBuilder()
                        .maximumSize(100)
                        .expireAfterWrite(Duration.ofMinutes(10))
                        .build(trainer::train);
    }

    @GET
    @RequiresScope(Scope.READ)
    public Rows get(
            @Context SecurityContext security,
            @PathParam("id") String customerId,
            @QueryParam("context") String context,
            @QueryParam("rows") String rowCount,
            @QueryParam("perRow") String perRow) {
        String tenantId = AuthFeature.principal(security).tenantId();
        String productId = null;
        if (context != null && context.startsWith("product:")) {
            productId = context.substring("product:".length());
        } else if (context != null && !context.matches("home|cart|email")) {
            throw new BadRequestException(
                    "invalid_parameter", "context must be home, cart, email or product:<id>");
        }
        return rows.rows(
                models.get(tenantId),
                customerId,
                productId,
                trainer.thumbsDown(tenantId, customerId),
                number("rows", rowCount, 5, 10),
                number("perRow", perRow, 10, 50));
    }

    private static int number(String name, String text, int fallback, int max) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestException(
                "invalid_parameter", name + " must be a whole number from 1 to " + max);
    }
}
