package io.hilal.service.recommendations;

import io.hilal.core.api.Cursors;
import io.hilal.core.reco.ScoredItem;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code GET /v1/customers/{id}/recommendations}: one list instead of rows. */
@Path("/v1/customers/{id}/recommendations")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {
    private final RecommendationCache recommendations;

    public RecommendationResource(RecommendationCache recommendations) {
        this.recommendations = recommendations;
    }

    public record ItemsResponse(List<ScoredItem> items) {}

    @GET
    @RequiresScope(Scope.READ)
    public ItemsResponse forCustomer(
            @Context SecurityContext security,
            @PathParam("id") String customerId,
            @QueryParam("limit") String limit,
            @QueryParam("category") String category,
            @QueryParam("exclude") String exclude) {
        Set<String> excluded =
                exclude == null || exclude.isBlank()
                        ? Set.of()
                        : Arrays.stream(exclude.split(","))
                                .map(String::strip)
                                .collect(Collectors.toSet());
        return new ItemsResponse(
                recommendations.recommendations(
                        AuthFeature.principal(security).tenantId(),
                        customerId,
                        Cursors.limit(limit, 10, 100),
                        category,
                        excluded));
    }
}
