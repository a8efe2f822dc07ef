package io.hilal.core.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.catalog.JsonErrors;
import io.hilal.core.db.Transactions;
import io.hilal.core.error.Checks;
import io.hilal.core.error.ValidationException;
import io.hilal.core.experiments.ImpressionAttribution;
import io.hilal.core.experiments.ImpressionDao;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Validates and stores batches of events. Each event is judged on its own (one bad event does not
 * sink the batch); the good ones are committed in one transaction before we answer, so an
 * acknowledged event is never lost; a replayed {@code messageId} is reported as a duplicate and
 * stored once, also when the same batch races itself from several connections.
 *
 * <p>An event may name the impression (rows or recommendations response) it came from. A click
 * whose impression id is not one Hilal served to this tenant is rejected, as it means nothing else;
 * an order with such an id is stored all the same (an order is never lost to its attribution), and
 * its result says the id was ignored and why. Clicks and orders on an experiment's impression are
 * attributed to its arm in the same transaction.
 */
public final class EventIngestService {
    public static final int MAX_EVENTS = 1000;
    public static final int MAX_EVENT_BYTES = 32 * 1024;

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final StoredEventsLimit limit;
    private final ImpressionAttribution impressions;

    public EventIngestService(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this(jdbi, mapper, clock, StoredEventsLimit.NONE);
    }

    /** Ingest that stores no more than {@code limit} admits (the operator's quota). */
    public EventIngestService(
            Jdbi jdbi, ObjectMapper mapper, Clock clock, StoredEventsLimit limit) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.limit = limit;
        this.impressions = new ImpressionAttribution(jdbi);
    }

    public IngestResult ingest(String tenantId, List<JsonNode> events) {
        if (events == null || events.isEmpty()) {
            throw new ValidationException("events", "must hold 1 to " + MAX_EVENTS + " events");
        }
        if (events.size() > MAX_EVENTS) {
            throw new ValidationException(
                    "events", "must hold at most " + MAX_EVENTS + " events, has " + events.size());
        }
        Instant now = clock.instant();
        EventResult[] results = new EventResult[events.size()];
        Map<String, Integer> positions = new LinkedHashMap<>();
        List<EventRequest> valid = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode node = events.get(i);
            String messageId = messageIdOf(node);
            String problem = sizeProblem(node);
            EventRequest event = null;
            if (problem == null) {
                try {
                    event = mapper.treeToValue(node, EventRequest.class);
                    Checks checks = event.check(now);
                    problem = checks.ok() ? null : checks.summary();
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    problem = JsonErrors.describe(e);
                }
            }
            if (problem != null) {
                results[i] = EventResult.rejected(messageId, problem);
            } else if (positions.containsKey(messageId)) {
                results[i] = EventResult.duplicate(messageId);
            } else {
                positions.put(messageId, i);
                valid.add(event.timestamp() == null ? event.withTimestamp(now) : event);
            }
        }
        Map<String, ImpressionAttribution.Outcome> outcomes =
                valid.isEmpty() ? Map.of() : impressions.resolve(tenantId, valid);
        Map<String, ImpressionDao.Attribution> attributions = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        List<EventRequest> kept = new ArrayList<>();
        for (EventRequest event : valid) {
            ImpressionAttribution.Outcome outcome = outcomes.get(event.messageId());
            if (outcome != null && outcome.problem() != null) {
                String problem = "impressionId " + outcome.problem();
                if (EventType.RECOMMENDATION_CLICKED.equals(event.type())) {
                    results[positions.get(event.messageId())] =
                            EventResult.rejected(event.messageId(), problem);
                    continue;
                }
                notes.put(event.messageId(), problem + "; the order is stored without it");
            } else if (outcome != null && outcome.attribution() != null) {
                attributions.put(event.messageId(), outcome.attribution());
            }
            kept.add(event);
        }
        if (!kept.isEmpty()) {
            Set<String> stored = store(tenantId, kept, attributions, now);
            limit.stored(tenantId, stored.size());
            for (EventRequest event : kept) {
                int position = positions.get(event.messageId());
                results[position] =
                        stored.contains(event.messageId())
                                ? EventResult.accepted(
                                        event.messageId(), notes.get(event.messageId()))
                                : EventResult.duplicate(event.messageId());
            }
        }
        return IngestResult.of(List.of(results));
    }

    /**
     * Throws what ingest would throw if {@code events} new events broke the stored-events limit,
     * for callers that write something else before the events; ingest judges again on its own.
     */
    public void requireRoomFor(String tenantId, int events) {
        if (limit != StoredEventsLimit.NONE) {
            jdbi.useHandle(handle -> limit.admit(handle, tenantId, events));
        }
    }

    /** Stores the events not stored before; returns the message ids this call inserted. */
    private Set<String> store(
            String tenantId,
            List<EventRequest> events,
            Map<String, ImpressionDao.Attribution> attributions,
            Instant now) {
        List<String> messageIds = events.stream().map(EventRequest::messageId).toList();
        return Transactions.retrying(
                jdbi,
                handle -> {
                    EventDao dao = handle.attach(EventDao.class);
                    Set<String> existing =
                            new HashSet<>(dao.existingMessageIds(tenantId, messageIds));
                    List<EventDao.EventRow> rows = new ArrayList<>();
                    List<EventDao.LineRow> lines = new ArrayList<>();
                    Set<String> customers = new TreeSet<>();
                    Set<String> inserted = new HashSet<>();
                    for (EventRequest event : events) {
                        if (existing.contains(event.messageId())) {
                            continue;
                        }
                        inserted.add(event.messageId());
                        rows.add(toRow(event, now));
                        addLines(event, lines);
                        if (event.customerId() != null) {
                            customers.add(event.customerId());
                        }
                    }
                    limit.admit(handle, tenantId, rows.size());
                    if (!rows.isEmpty()) {
                        // Sorted ids lock customers in one order, so concurrent batches
                        // cannot deadlock on them.
                        handle.attach(CustomerDao.class)
                                .ensureExist(tenantId, List.copyOf(customers), now);
                        dao.insertEvents(tenantId, rows);
                        if (!lines.isEmpty()) {
                            dao.insertLines(tenantId, lines);
                        }
                        List<ImpressionDao.Attribution> attributed =
                                inserted.stream()
                                        .map(attributions::get)
                                        .filter(java.util.Objects::nonNull)
                                        .toList();
                        if (!attributed.isEmpty()) {
                            handle.attach(ImpressionDao.class)
                                    .insertAttributions(tenantId, attributed);
                        }
                    }
                    return inserted;
                });
    }

    private EventDao.EventRow toRow(EventRequest event, Instant now) {
        try {
            return new EventDao.EventRow(
                    event.messageId(),
                    event.type(),
                    event.customerId(),
                    event.anonymousId(),
                    event.productId(),
                    event.orderId(),
                    event.timestamp(),
                    now,
                    mapper.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a validated event always serializes", e);
        }
    }

    private static void addLines(EventRequest event, List<EventDao.LineRow> lines) {
        boolean order = EventType.ORDER_COMPLETED.equals(event.type());
        boolean refund = EventType.ORDER_REFUNDED.equals(event.type());
        if ((!order && !refund) || event.lines() == null) {
            return;
        }
        int lineNo = 0;
        for (OrderLine line : event.lines()) {
            lines.add(
                    new EventDao.LineRow(
                            event.messageId(),
                            lineNo++,
                            event.customerId(),
                            event.orderId(),
                            line.productId(),
                            refund ? -line.quantity() : line.quantity(),
                            line.unitPrice(),
                            line.currency(),
                            event.timestamp()));
        }
    }

    private static String messageIdOf(JsonNode node) {
        JsonNode id = node == null ? null : node.get("messageId");
        return id != null && id.isTextual() ? id.asText() : null;
    }

    private String sizeProblem(JsonNode node) {
        if (node == null || !node.isObject()) {
            return "an event must be a JSON object";
        }
        int bytes = node.toString().getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_EVENT_BYTES
                ? "event is " + bytes + " bytes; the limit is " + MAX_EVENT_BYTES
                : null;
    }
}
