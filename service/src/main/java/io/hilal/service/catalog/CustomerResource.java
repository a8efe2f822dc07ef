package io.hilal.service.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.hilal.core.api.BatchItemResult;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.catalog.Customer;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.CustomerUpsert;
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

@Path("/v1/customers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CustomerResource {
    private final CustomerService customers;

    public CustomerResource(CustomerService customers) {
        this.customers = customers;
    }

    public record CustomerBatchRequest(List<JsonNode> customers) {}

    @PUT
    @Path("/{id}")
    @RequiresScope(Scope.INGEST)
    public Customer put(
            @Context SecurityContext security, @PathParam("id") String id, CustomerUpsert body) {
        if (body == null) {
            throw new ValidationException("", "a customer object is required");
        }
        if (body.id() != null && !body.id().equals(id)) {
            throw new ValidationException("id", "differs from the id in the path");
        }
        return customers.upsert(tenant(security), body.withId(id));
    }

    @POST
    @Path("/batch")
    @RequiresScope(Scope.INGEST)
    public Map<String, List<BatchItemResult>> batch(
            @Context SecurityContext security, CustomerBatchRequest body) {
        return Map.of(
                "results",
                customers.upsertBatch(tenant(security), body == null ? null : body.customers()));
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.READ)
    public Customer get(@Context SecurityContext security, @PathParam("id") String id) {
        return customers.get(tenant(security), id);
    }

    @GET
    @Path("/{id}/events")
    @RequiresScope(Scope.READ)
    public Page<JsonNode> events(
            @Context SecurityContext security,
            @PathParam("id") String id,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return customers.events(tenant(security), id, cursor, Cursors.limit(limit, 50, 100));
    }

    /** Erasure: the customer and all their events are deleted. */
    @DELETE
    @Path("/{id}")
    @RequiresScope(Scope.ADMIN)
    public Response erase(@Context SecurityContext security, @PathParam("id") String id) {
        customers.erase(tenant(security), id);
        return Response.noContent().build();
    }

    private static String tenant(SecurityContext security) {
        return AuthFeature.principal(security).tenantId();
    }
}
