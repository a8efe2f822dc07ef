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
import java.util.HashMap;
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
 *
 * <p>Orders and refunds are judged against the lines stored for their order ({@link OrderHistory}):
 * an order sent again under a new {@code messageId} is a duplicate, a refund without lines refunds
 * what is left of its order, and one naming no order of its customer is rejected.
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
            Map<String, EventResult> stored = store(tenantId, kept, attributions, now);
            int added = 0;
            for (EventRequest event : kept) {
                EventResult result = stored.get(event.messageId());
                if (EventResult.ACCEPTED.equals(result.status())) {
                    added++;
                    result = EventResult.accepted(event.messageId(), notes.get(event.messageId()));
                }
                results[positions.get(event.messageId())] = result;
            }
            limit.stored(tenantId, added);
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

    /**
     * Stores the events not stored before, with the order lines {@link OrderHistory} judges they
     * add; returns each event's result (an accepted one without its note).
     */
    private Map<String, EventResult> store(
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
                    Map<String, EventResult> results = new HashMap<>();
                    List<EventRequest> fresh = new ArrayList<>();
                    for (EventRequest event : events) {
                        if (existing.contains(event.messageId())) {
                            results.put(
                                    event.messageId(), EventResult.duplicate(event.messageId()));
                        } else {
                            fresh.add(event);
                        }
                    }
                    limit.admit(handle, tenantId, fresh.size());
                    if (fresh.isEmpty()) {
                        return results;
                    }
                    // Sorted ids lock customers in one order, so concurrent batches cannot
                    // deadlock on them; holding them, this batch reads its orders' lines as no
                    // other batch can change them.
                    CustomerDao customers = handle.attach(CustomerDao.class);
                    customers.ensureExist(
                            tenantId, List.copyOf(customers(customers, tenantId, fresh)), now);
                    OrderHistory orders = OrderHistory.load(dao, tenantId, fresh);
                    List<EventDao.EventRow> rows = new ArrayList<>();
                    List<EventDao.LineRow> lines = new ArrayList<>();
                    List<ImpressionDao.Attribution> attributed = new ArrayList<>();
                    for (EventRequest event : fresh) {
                        OrderHistory.Judgement judgement = orders.judge(event);
                        String id = event.messageId();
                        results.put(
                                id, new EventResult(id, judgement.status(), judgement.reason()));
                        if (EventResult.ACCEPTED.equals(judgement.status())) {
                            rows.add(toRow(event, now));
                            lines.addAll(judgement.lines());
                            if (attributions.containsKey(id)) {
                                attributed.add(attributions.get(id));
                            }
                        }
                    }
                    if (!rows.isEmpty()) {
                        dao.insertEvents(tenantId, rows);
                    }
                    if (!lines.isEmpty()) {
                        dao.insertLines(tenantId, lines);
                    }
                    if (!attributed.isEmpty()) {
                        handle.attach(ImpressionDao.class).insertAttributions(tenantId, attributed);
                    }
                    return results;
                });
    }

    /**
     * The customers the events name, to create when new; but not a new customer named only by a
     * refund without lines, which refunds no order of theirs and is rejected, creating nobody.
     */
    private static Set<String> customers(
            CustomerDao customers, String tenantId, List<EventRequest> events) {
        Set<String> named = new TreeSet<>();
        Set<String> refunding = new TreeSet<>();
        for (EventRequest event : events) {
            if (event.customerId() != null) {
                (OrderHistory.refundsWholeOrder(event) ? refunding : named).add(event.customerId());
            }
        }
        refunding.removeAll(named);
        if (!refunding.isEmpty()) {
            named.addAll(customers.existing(tenantId, refunding));
        }
        return named;
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
