package io.hilal.service.recommendations;

import io.hilal.core.api.Cursors;
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

/** {@code GET /v1/products/{id}/similar}: what is often bought with a product. */
@Path("/v1/products/{id}/similar")
@Produces(MediaType.APPLICATION_JSON)
public class SimilarProductsResource {
    private final RecommendationCache recommendations;

    public SimilarProductsResource(RecommendationCache recommendations) {
        this.recommendations = recommendations;
    }

    @GET
    @RequiresScope(Scope.READ)
    public RecommendationResource.ItemsResponse similar(
            @Context SecurityContext security,
            @PathParam("id") String productId,
            @QueryParam("limit") String limit) {
        return new RecommendationResource.ItemsResponse(
                recommendations.similar(
                        AuthFeature.principal(security).tenantId(),
                        productId,
                        Cursors.limit(limit, 10, 100)));
    }
}
