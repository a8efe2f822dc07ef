package io.hilal.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.BatchItemResult;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.db.Transactions;
import io.hilal.core.error.Checks;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.events.EventDao;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Customers: upserts one at a time or in batches, reads, their event history and erasure. */
public final class CustomerService {
    public static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;

    public CustomerService(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Every rule {@link #upsert} checks, without writing: for callers judging a whole call first.
     */
    public Checks check(CustomerUpsert customer) {
        Checks checks = customer.check("");
        attributesJson(customer.attributes(), checks, "attributes");
        return checks;
    }

    public Customer upsert(String tenantId, CustomerUpsert customer) {
        Checks checks = customer.check("");
        String attributes = attributesJson(customer.attributes(), checks, "attributes");
        checks.throwIfAny();
        Instant now = clock.instant();
        Transactions.retrying(
                jdbi,
                handle -> {
                    handle.attach(CustomerDao.class)
                            .upsert(tenantId, List.of(toRow(customer, attributes, now)));
                    return null;
                });
        return get(tenantId, customer.id());
    }

    /**
     * Merges fields into a customer (creating it if needed): fields left null keep their stored
     * value and attributes are merged key by key. This is what Segment's {@code identify} means,
     * unlike PUT, which replaces.
     */
    public Customer merge(String tenantId, CustomerUpsert changes) {
        return merge(tenantId, changes, true);
    }

    /**
     * {@link #merge(String, CustomerUpsert)}, refused (403) when {@code mayChangeContact} is false
     * and the changes would set a different email or consent than the stored ones: a key that may
     * sit in a browser must not be able to redirect a customer's email or opt them in.
     */
    public Customer merge(String tenantId, CustomerUpsert changes, boolean mayChangeContact) {
        Customer current =
                jdbi.onDemand(CustomerDao.class)
                        .find(tenantId, changes.id())
                        .map(this::toCustomer)
                        .orElse(null);
        if (!mayChangeContact) {
            ContactChange.requireNone(current, changes);
        }
        if (current == null) {
            return upsert(tenantId, changes);
        }
        Map<String, Object> attributes = new java.util.LinkedHashMap<>();
        if (current.attributes() != null) {
            attributes.putAll(current.attributes());
        }
        if (changes.attributes() != null) {
            attributes.putAll(changes.attributes());
        }
        return upsert(
                tenantId,
                new CustomerUpsert(
                        changes.id(),
                        changes.email() != null ? changes.email() : current.email(),
                        changes.timeZone() != null ? changes.timeZone() : current.timeZone(),
                        changes.locale() != null ? changes.locale() : current.locale(),
                        changes.emailConsent() != null
                                ? changes.emailConsent()
                                : unchanged(current.emailConsent()),
                        attributes.isEmpty() ? null : attributes));
    }

    /** The stored consent as a merge writes it back: same status, same client claim. */
    private static EmailConsent unchanged(EmailConsent stored) {
        return stored == null
                ? null
                : new EmailConsent(
                        stored.status(), stored.source(), null, stored.clientTimestamp());
    }

    /** Upserts every valid item; invalid ones are reported, not stored. */
    public List<BatchItemResult> upsertBatch(String tenantId, List<JsonNode> items) {
        Instant now = clock.instant();
        return BatchUpsert.run(
                mapper,
                "customers",
                items,
                CustomerUpsert.class,
                CustomerUpsert::id,
                (customer, checks) -> {
                    checks.merge(customer.check(""));
                    String attributes = attributesJson(customer.attributes(), checks, "attributes");
                    return toRow(customer, attributes, now);
                },
                rows ->
                        Transactions.retrying(
                                jdbi,
                                handle -> {
                                    handle.attach(CustomerDao.class).upsert(tenantId, rows);
                                    return null;
                                }));
    }

    public Customer get(String tenantId, String customerId) {
        return jdbi.onDemand(CustomerDao.class)
                .find(tenantId, customerId)
                .map(this::toCustomer)
                .orElseThrow(() -> new NotFoundException("customer", customerId));
    }

    /** The customer's events, newest first. */
    public Page<JsonNode> events(String tenantId, String customerId, String cursor, int limit) {
        return jdbi.withHandle(
                handle -> {
                    if (handle.attach(CustomerDao.class).find(tenantId, customerId).isEmpty()) {
                        throw new NotFoundException("customer", customerId);
                    }
                    Instant beforeAt = null;
                    String beforeId = null;
                    if (cursor != null) {
                        List<String> parts = Cursors.decode(cursor, 2);
                        try {
                            beforeAt = Instant.parse(parts.get(0));
                        } catch (java.time.format.DateTimeParseException e) {
                            throw Cursors.invalid();
                        }
                        beforeId = parts.get(1);
                    }
                    List<EventDao.EventRow> rows =
                            handle.attach(EventDao.class)
                                    .customerPage(
                                            tenantId, customerId, beforeAt, beforeId, limit + 1);
                    List<JsonNode> items = new ArrayList<>();
                    for (EventDao.EventRow row : rows.subList(0, Math.min(limit, rows.size()))) {
                        items.add(eventJson(row));
                    }
                    String next = null;
                    if (rows.size() > limit) {
                        EventDao.EventRow last = rows.get(limit - 1);
                        next = Cursors.encode(last.occurredAt().toString(), last.messageId());
                    }
                    return new Page<>(items, next);
                });
    }

    /** Erases the customer and every event and order line of theirs. */
    public void erase(String tenantId, String customerId) {
        jdbi.useTransaction(
                handle -> {
                    CustomerDao customers = handle.attach(CustomerDao.class);
                    if (customers.find(tenantId, customerId).isEmpty()) {
                        throw new NotFoundException("customer", customerId);
                    }
                    EventDao events = handle.attach(EventDao.class);
                    events.deleteLinesForCustomer(tenantId, customerId);
                    events.deleteForCustomer(tenantId, customerId);
                    customers.delete(tenantId, customerId);
                });
    }

    private JsonNode eventJson(EventDao.EventRow row) {
        try {
            var node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(row.payload());
            node.put("receivedAt", row.receivedAt().toString());
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event payload is not JSON", e);
        }
    }

    private CustomerDao.CustomerRow toRow(CustomerUpsert customer, String attributes, Instant now) {
        EmailConsent consent = customer.emailConsent();
        return new CustomerDao.CustomerRow(
                customer.id(),
                customer.email(),
                customer.timeZone(),
                customer.locale(),
                consent == null ? null : consent.status(),
                consent == null ? null : consent.source(),
                consent == null ? null : now,
                consent == null ? null : consent.claimedAt(),
                attributes,
                now,
                now);
    }

    private Customer toCustomer(CustomerDao.CustomerRow row) {
        EmailConsent consent =
                row.emailConsent() == null
                        ? null
                        : new EmailConsent(
                                row.emailConsent(),
                                row.emailConsentSource(),
                                row.emailConsentAt(),
                                row.emailConsentClientAt());
        return new Customer(
                row.customerId(),
                row.email(),
                row.timeZone(),
                row.locale(),
                consent,
                readMap(row.attributes()),
                row.createdAt(),
                row.updatedAt());
    }

    String attributesJson(Map<String, Object> attributes, Checks checks, String field) {
        return JsonErrors.attributesJson(mapper, attributes, checks, field, MAX_ATTRIBUTES_BYTES);
    }

    Map<String, Object> readMap(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not JSON", e);
        }
    }
}
