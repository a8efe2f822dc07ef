package io.hilal.service.recommendations;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.util.List;
import java.util.Locale;

/** {@code GET /v1/customers/{id}/recommendations}: one list instead of rows. */
@Path("/v1/customers/{id}/recommendations")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {
    private final ServedRecommendations recommendations;
    private final ItemDetails details;

    public RecommendationResource(ServedRecommendations recommendations, ItemDetails details) {
        this.recommendations = recommendations;
        this.details = details;
    }

    /** A list of products; a customer's recommendations carry the response's impression id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemsResponse(String impressionId, List<ItemResponse> items) {
        public ItemsResponse(List<ItemResponse> items) {
            this(null, items);
        }
    }

    @GET
    @RequiresScope(Scope.READ)
    public ItemsResponse forCustomer(
            @Context SecurityContext security,
            @PathParam("id") String customerId,
            @QueryParam("limit") String limit,
            @QueryParam("category") String category,
            @QueryParam("excludeCategory") String excludeCategory,
            @QueryParam("exclude") String exclude,
            @QueryParam("fields") String fields,
            @QueryParam("locale") String locale) {
        String tenantId = AuthFeature.principal(security).tenantId();
        ItemFields wanted = ItemFields.parse(fields);
        Locale requested = ItemFields.locale(locale);
        ServedRecommendations.ServedItems served =
                recommendations.recommendations(
                        tenantId,
                        customerId,
                        Filters.of(category, excludeCategory, exclude),
                        Cursors.limit(limit, 10, 100));
        return new ItemsResponse(
                served.impressionId(),
                details.items(tenantId, customerId, served.items(), wanted, requested));
    }
}
