package io.hilal.service.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.hilal.core.api.BatchItemResult;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.catalog.Product;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.catalog.ProductUpsert;
import io.hilal.core.error.ValidationException;
import io.hilal.core.tenant.Scope;
import io.hilal.service.platform.auth.AuthFeature;
import io.hilal.service.platform.auth.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;

@Path("/v1/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductResource {
    private final ProductService products;

    public ProductResource(ProductService products) {
        this.products = products;
    }

    public record ProductBatchRequest(List<JsonNode> products) {}

    @PUT
    @Path("/{id}")
    @RequiresScope(Scope.INGEST)
    public Product put(
            @Context SecurityContext security, @PathParam("id") String id, ProductUpsert body) {
        if (body == null) {
            throw new ValidationException("", "a product object is required");
        }
        if (body.id() != null && !body.id().equals(id)) {
            throw new ValidationException("id", "differs from the id in the path");
        }
        return products.upsert(tenant(security), body.withId(id));
    }

    @POST
    @Path("/batch")
    @RequiresScope(Scope.INGEST)
    public Map<String, List<BatchItemResult>> batch(
            @Context SecurityContext security, ProductBatchRequest body) {
        return Map.of(
                "results",
                products.upsertBatch(tenant(security), body == null ? null : body.products()));
    }

    /** Takes the product out of the catalog, and so out of every row and email within seconds. */
    @DELETE
    @Path("/{id}")
    @RequiresScope(Scope.INGEST)
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        products.delete(tenant(security), id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.READ)
    public Product get(@Context SecurityContext security, @PathParam("id") String id) {
        return products.get(tenant(security), id);
    }

    @GET
    @RequiresScope(Scope.READ)
    public Page<Product> list(
            @Context SecurityContext security,
            @QueryParam("category") String category,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return products.page(tenant(security), category, cursor, Cursors.limit(limit, 50, 100));
    }

    private static String tenant(SecurityContext security) {
        return AuthFeature.principal(security).tenantId();
    }
}
