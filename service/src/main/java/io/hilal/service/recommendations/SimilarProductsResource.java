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
import java.util.List;
import java.util.Locale;

/** {@code GET /v1/products/{id}/similar}: what is often bought with a product. */
@Path("/v1/products/{id}/similar")
@Produces(MediaType.APPLICATION_JSON)
public class SimilarProductsResource {
    private final RecommendationCache recommendations;
    private final ItemDetails details;

    public SimilarProductsResource(RecommendationCache recommendations, ItemDetails details) {
        this.recommendations = recommendations;
        this.details = details;
    }

    @GET
    @RequiresScope(Scope.READ)
    public RecommendationResource.ItemsResponse similar(
            @Context SecurityContext security,
            @PathParam("id") String productId,
            @QueryParam("limit") String limit,
            @QueryParam("fields") String fields,
            @QueryParam("locale") String locale) {
        String tenantId = AuthFeature.principal(security).tenantId();
        ItemFields wanted = ItemFields.parse(fields);
        Locale requested = ItemFields.locale(locale);
        List<ScoredItem> items =
                recommendations.similar(tenantId, productId, Cursors.limit(limit, 10, 100));
        return new RecommendationResource.ItemsResponse(
                details.items(tenantId, null, items, wanted, requested));
    }
}
