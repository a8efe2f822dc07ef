package io.hilal.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.hilal.sdk.internal.Api;
import io.hilal.sdk.model.BatchItemResult;
import io.hilal.sdk.model.Customer;
import io.hilal.sdk.model.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Customers: {@code hilal.customers()}. Thread-safe; every call has a variant taking {@link
 * RequestOptions}, and the common ones an {@code …Async} variant run on the client's executor.
 */
public final class CustomerService {
    private final Api api;

    CustomerService(Api api) {
        this.api = api;
    }

    /**
     * Creates or replaces a customer's details ({@code PUT /v1/customers/{id}}).
     *
     * @param customer the customer
     * @return the customer as stored
     * @throws HilalException.InvalidRequestException when a field is invalid ({@link
     *     HilalException#errors()} says which)
     */
    public Customer upsert(CustomerParams customer) {
        return upsert(customer, RequestOptions.DEFAULT);
    }

    /**
     * Creates or replaces a customer's details, with per-call options.
     *
     * @param customer the customer
     * @param options overrides of the client's settings
     * @return the customer as stored
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Customer upsert(CustomerParams customer, RequestOptions options) {
        return api.call("PUT", path(customer.id()), customer, options, Customer.class);
    }

    /**
     * {@link #upsert(CustomerParams)} on the client's executor.
     *
     * @param customer the customer
     * @return the customer as stored, or the {@link HilalException}
     */
    public CompletableFuture<Customer> upsertAsync(CustomerParams customer) {
        return api.async(() -> upsert(customer));
    }

    /**
     * Creates or replaces many customers ({@code POST /v1/customers/batch}), up to 1,000 per
     * request (larger lists are sent in several requests). Invalid customers are rejected one by
     * one, not the whole list. Hilal's batch endpoint takes no idempotency key (a repeated upsert
     * replaces with the same values), so options carrying one are refused.
     *
     * @param customers the customers
     * @param options overrides of the client's settings, without an idempotency key
     * @return one result per customer, in order
     * @throws IllegalArgumentException when {@code options} carries an idempotency key
     */
    public List<BatchItemResult> upsertBatch(
            List<CustomerParams> customers, RequestOptions options) {
        return api.batch("v1/customers/batch", "customers", customers, options);
    }

    /**
     * {@link #upsertBatch(List, RequestOptions)} with the client's settings.
     *
     * @param customers the customers
     * @return one result per customer, in order
     */
    public List<BatchItemResult> upsertBatch(List<CustomerParams> customers) {
        return upsertBatch(customers, RequestOptions.DEFAULT);
    }

    /**
     * {@link #upsertBatch(List)} on the client's executor.
     *
     * @param customers the customers
     * @return one result per customer, in order
     */
    public CompletableFuture<List<BatchItemResult>> upsertBatchAsync(
            List<CustomerParams> customers) {
        return api.async(() -> upsertBatch(customers));
    }

    /**
     * A customer as stored.
     *
     * @param customerId your id for the customer
     * @return the customer
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public Customer retrieve(String customerId) {
        return retrieve(customerId, RequestOptions.DEFAULT);
    }

    /**
     * A customer as stored, with per-call options.
     *
     * @param customerId your id for the customer
     * @param options overrides of the client's settings
     * @return the customer
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public Customer retrieve(String customerId, RequestOptions options) {
        return api.call("GET", path(customerId), null, options, Customer.class);
    }

    /**
     * {@link #retrieve(String)} on the client's executor.
     *
     * @param customerId your id for the customer
     * @return the customer
     */
    public CompletableFuture<Customer> retrieveAsync(String customerId) {
        return api.async(() -> retrieve(customerId));
    }

    /**
     * Erases a customer and all their events (needs the {@code admin} scope).
     *
     * @param customerId your id for the customer
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public void delete(String customerId) {
        delete(customerId, RequestOptions.DEFAULT);
    }

    /**
     * Erases a customer and all their events, with per-call options.
     *
     * @param customerId your id for the customer
     * @param options overrides of the client's settings
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public void delete(String customerId, RequestOptions options) {
        api.send("DELETE", path(customerId), null, options.idempotencyKey(), options);
    }

    /**
     * One page of a customer's stored events, newest first ({@code GET /v1/customers/{id}/events}).
     *
     * @param customerId your id for the customer
     * @param params the page size and cursor
     * @return the page; each event's {@link Event#fields()} are as Hilal stored them
     */
    public Page<Event> events(String customerId, ListParams params) {
        return events(customerId, params, RequestOptions.DEFAULT);
    }

    /**
     * One page of a customer's stored events, with per-call options.
     *
     * @param customerId your id for the customer
     * @param params the page size and cursor
     * @param options overrides of the client's settings
     * @return the page
     */
    public Page<Event> events(String customerId, ListParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        JsonNode answer =
                api.send(
                        "GET",
                        path(customerId)
                                + "/events"
                                + new Api.Query()
                                        .add("limit", params.limit())
                                        .add("cursor", params.cursor()),
                        null,
                        null,
                        options);
        List<Event> events = new ArrayList<>();
        for (JsonNode item : answer == null ? List.<JsonNode>of() : answer.path("items")) {
            events.add(
                    Event.restore(
                            api.mapper()
                                    .convertValue(
                                            item, new TypeReference<Map<String, Object>>() {})));
        }
        JsonNode next = answer == null ? null : answer.get("nextCursor");
        return new Page<>(events, next == null || next.isNull() ? null : next.asText());
    }

    /**
     * Every stored event of a customer, newest first, fetched a page at a time as the iteration
     * reaches it.
     *
     * @param customerId your id for the customer
     * @param params the page size (and the first page's cursor)
     * @return the events
     */
    public Iterable<Event> eventsAll(String customerId, ListParams params) {
        return Api.autoPaging(
                params.cursor(), cursor -> events(customerId, params.withCursor(cursor)));
    }

    private static String path(String customerId) {
        return "v1/customers/" + Api.encode(customerId);
    }
}
