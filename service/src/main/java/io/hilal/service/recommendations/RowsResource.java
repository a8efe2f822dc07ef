package io.hilal.service.recommendations;

import io.hilal.core.error.BadRequestException;
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
import java.util.Locale;

/**
 * {@code GET /v1/customers/{id}/rows}: rows of recommendations with reasons, each item with what a
 * page shows of it, under an impression id (see {@link ServedRecommendations}).
 */
@Path("/v1/customers/{id}/rows")
@Produces(MediaType.APPLICATION_JSON)
public class RowsResource {
    private final RecommendationCache recommendations;
    private final ServedRecommendations served;
    private final ItemDetails details;

    public RowsResource(
            RecommendationCache recommendations,
            ServedRecommendations served,
            ItemDetails details) {
        this.recommendations = recommendations;
        this.served = served;
        this.details = details;
    }

    @GET
    @RequiresScope(Scope.READ)
    public RowsResponse get(
            @Context SecurityContext security,
            @PathParam("id") String customerId,
            @QueryParam("context") String context,
            @QueryParam("rows") String rowCount,
            @QueryParam("perRow") String perRow,
            @QueryParam("category") String category,
            @QueryParam("excludeCategory") String excludeCategory,
            @QueryParam("exclude") String exclude,
            @QueryParam("fields") String fields,
            @QueryParam("locale") String locale) {
        String tenantId = AuthFeature.principal(security).tenantId();
        ItemFields wanted = ItemFields.parse(fields);
        Locale requested = ItemFields.locale(locale);
        RowsService.Context page = context(context);
        if (page.productId() != null) {
            // The product page of a product Hilal does not know answers as its similar products
            // do (404), rather than with rows that silently ignore the page.
            recommendations.requireProduct(tenantId, page.productId());
        }
        ServedRecommendations.ServedRows rows =
                served.rows(
                        tenantId,
                        customerId,
                        page,
                        Filters.of(category, excludeCategory, exclude),
                        number("rows", rowCount, 5, 10),
                        number("perRow", perRow, 10, 50));
        return details.rows(tenantId, rows.rows(), rows.impressionId(), wanted, requested);
    }

    static RowsService.Context context(String context) {
        if (context == null || context.isEmpty() || context.equals("home")) {
            return RowsService.Context.HOME;
        }
        if (context.equals("cart")) {
            return RowsService.Context.cart();
        }
        if (context.equals("email")) {
            return RowsService.Context.email();
        }
        if (context.startsWith("product:") && context.length() > "product:".length()) {
            return RowsService.Context.product(context.substring("product:".length()));
        }
        throw new BadRequestException(
                "invalid_parameter", "context must be home, cart, email or product:<id>");
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
