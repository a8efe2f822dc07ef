package io.hilal.core.journeys;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.campaigns.Holdout;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.events.EventType;
import io.hilal.core.pods.PodScopes;
import io.hilal.core.program.ProgramHoldout;
import io.hilal.core.program.ProgramHoldoutService;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.RestockPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts customers into journeys and takes them out. Each pass reads every journey tenant's events
 * received since the last pass: an order takes the customer out of every journey triggered before
 * it (its sends not yet out expire; a cart add does the same for browse abandonment), and a cart
 * add, view or order puts them into the tenant's active journeys of that kind. Every so often it
 * also sweeps for win-back (last order the delay ago) and restock (a repeat purchase due, by the
 * restock row's own policy) entries.
 *
 * <p>An entry is written with its ledger row in one transaction: PLANNED at the trigger plus the
 * delay, or HELD_OUT for the journey's randomized holdout, so the campaign sender sends it with
 * every check a campaign email has (consent, suppression, quiet hours, the shared frequency cap).
 * Events are read again for a short overlap (an ingest transaction may commit after a later one);
 * entries are keyed, so reading twice changes nothing.
 */
public final class JourneyPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(JourneyPlanner.class);

    /** How far back each pass reads again: ingest transactions commit out of order. */
    static final Duration OVERLAP = Duration.ofSeconds(30);

    /** Events per read, and reads per tenant per pass (the rest waits for the next pass). */
    static final int PAGE = 2_000;

    static final int PAGES_PER_PASS = 10;

    /** How far back win-back looks for lapses it may have missed (a worker down for a day). */
    static final Duration LAPSE_LOOKBACK = Duration.ofDays(2);

    /** Whose purchases the restock sweep asks the model about. */
    static final Duration RESTOCK_BUYERS = Duration.ofDays(730);

    private static final List<String> EVENT_TYPES =
            List.of(
                    EventType.ORDER_COMPLETED,
                    EventType.PRODUCT_ADDED_TO_CART,
                    EventType.PRODUCT_VIEWED);

    /** What one pass did. */
    public record Summary(int entered, int heldOut, int exited) {
        Summary plus(Summary other) {
            return new Summary(
                    entered + other.entered, heldOut + other.heldOut, exited + other.exited);
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final SendLedger ledger;
    private final JourneyService journeys;
    private final Function<String, RecommendationModel> models;
    private final Duration sweepInterval;

    /**
     * @param models a tenant's active model, or null when it has none yet (cross-sell and restock
     *     take no one in then)
     */
    public JourneyPlanner(
            Jdbi jdbi,
            ObjectMapper mapper,
            Clock clock,
            SendLedger ledger,
            Function<String, RecommendationModel> models,
            Duration sweepInterval) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.ledger = ledger;
        this.journeys = new JourneyService(jdbi, mapper, clock);
        this.models = models;
        this.sweepInterval = sweepInterval;
    }

    /** One pass over every tenant with a journey. */
    public Summary planDue() {
        return planDue(PodScopes.single());
    }

    /**
     * One pass over every tenant with a journey in every pod, each tenant in its scope; a tenant a
     * move has frozen waits for its next pass, in its new pod.
     */
    public Summary planDue(PodScopes pods) {
        Summary total = new Summary(0, 0, 0);
        for (String tenantId :
                pods.acrossPods(
                        () -> jdbi.withExtension(JourneyDao.class, JourneyDao::tenants),
                        tenant -> tenant)) {
            if (pods.frozen(tenantId)) {
                continue;
            }
            MDC.put("tenantId", tenantId);
            try {
                total = total.plus(pods.inTenant(tenantId, () -> plan(tenantId)));
            } catch (RuntimeException e) {
                // One tenant's trouble must not hold up the others' journeys.
                LOG.error("Planning journeys of tenant {} failed", tenantId, e);
            } finally {
                MDC.remove("tenantId");
            }
        }
        return total;
    }

    /** One pass over one tenant's journeys. */
    public Summary plan(String tenantId) {
        List<Live> all = new ArrayList<>();
        for (JourneyDao.JourneyRow row :
                jdbi.withExtension(JourneyDao.class, dao -> dao.ofTenant(tenantId))) {
            all.add(new Live(row, journeys.definition(row)));
        }
        if (all.isEmpty()) {
            return new Summary(0, 0, 0);
        }
        // The tenant's program holdout: customers no journey enters. Read once a pass.
        ProgramHoldout program = new ProgramHoldoutService(jdbi, clock).get(tenantId);
        Summary summary = readEvents(tenantId, all, program);
        Instant now = clock.instant();
        Optional<Instant> swept =
                jdbi.withExtension(JourneyDao.class, dao -> dao.sweptAt(tenantId));
        if (swept.isEmpty() || !now.isBefore(swept.get().plus(sweepInterval))) {
            summary = summary.plus(sweep(tenantId, all, program, now));
            jdbi.useExtension(JourneyDao.class, dao -> dao.swept(tenantId, now));
        }
        jdbi.useExtension(
                JourneyDao.class, dao -> dao.reopenRuns(tenantId, now.minus(Duration.ofHours(1))));
        return summary;
    }

    /** A journey with its parsed definition. */
    private record Live(JourneyDao.JourneyRow row, JourneyRequest definition) {
        boolean active() {
            return JourneyStatus.ACTIVE.wireName().equals(row.status());
        }

        JourneyKind kind() {
            return definition.parsedKind();
        }

        String id() {
            return row.journeyId();
        }
    }

    /** A customer about to enter a journey, before the exit and product checks. */
    private record Candidate(
            String customerId, JourneyEntries.Entry entry, Instant receivedAt, String messageId) {}

    private Summary readEvents(String tenantId, List<Live> all, ProgramHoldout program) {
        Instant cursor =
                jdbi.withExtension(JourneyDao.class, dao -> dao.cursor(tenantId))
                        .orElseGet(
                                () ->
                                        all.stream()
                                                .map(live -> live.row().createdAt())
                                                .min(Comparator.naturalOrder())
                                                .orElseThrow());
        Instant after = cursor.minus(OVERLAP);
        String afterId = "";
        Summary summary = new Summary(0, 0, 0);
        boolean browse =
                all.stream().anyMatch(live -> live.kind() == JourneyKind.BROWSE_ABANDONMENT);
        for (int page = 0; page < PAGES_PER_PASS; page++) {
            Instant from = after;
            String fromId = afterId;
            List<JourneyDao.EventRow> events =
                    jdbi.withExtension(
                            JourneyDao.class,
                            dao -> dao.eventsAfter(tenantId, from, fromId, EVENT_TYPES, PAGE));
            if (events.isEmpty()) {
                break;
            }
            summary = summary.plus(onEvents(tenantId, all, browse, program, events));
            JourneyDao.EventRow last = events.get(events.size() - 1);
            after = last.receivedAt();
            afterId = last.messageId();
            Instant through = after;
            jdbi.useExtension(JourneyDao.class, dao -> dao.advance(tenantId, through));
            if (events.size() < PAGE) {
                break;
            }
        }
        return summary;
    }

    /**
     * One page of events: its exits in one batch, then its entries. Whether a candidate has already
     * left (an exit after its trigger) and a cross-sell order's products are read for the whole
     * page at once, not per candidate.
     */
    private Summary onEvents(
            String tenantId,
            List<Live> all,
            boolean browse,
            ProgramHoldout program,
            List<JourneyDao.EventRow> events) {
        Instant now = clock.instant();
        List<SendLedger.JourneyExit> orders = new ArrayList<>();
        List<SendLedger.JourneyExit> cartAdds = new ArrayList<>();
        Map<Live, Map<String, Candidate>> candidates = new LinkedHashMap<>();
        for (JourneyDao.EventRow event : events) {
            if (EventType.ORDER_COMPLETED.equals(event.type())) {
                orders.add(new SendLedger.JourneyExit(event.customerId(), event.occurredAt()));
            } else if (EventType.PRODUCT_ADDED_TO_CART.equals(event.type()) && browse) {
                cartAdds.add(new SendLedger.JourneyExit(event.customerId(), event.occurredAt()));
            }
            for (Live live : all) {
                // Only events received while the journey is active take customers in (updated_at
                // is its last creation, pause or resume): a paused journey ignores what happened.
                if (!live.active()
                        || event.receivedAt().isBefore(live.row().updatedAt())
                        || !JourneyEntries.triggers(live.kind()).contains(event.type())) {
                    continue;
                }
                Optional<JourneyEntries.Entry> entry =
                        JourneyEntries.onEvent(
                                live.definition().parsedDelay(),
                                live.definition().parsedValidFor(),
                                event.occurredAt(),
                                event.receivedAt(),
                                now);
                if (entry.isEmpty()) {
                    continue;
                }
                // The first trigger of the day is the entry; later ones that day join it.
                candidates
                        .computeIfAbsent(live, l -> new LinkedHashMap<>())
                        .putIfAbsent(
                                event.customerId() + "\n" + entry.get().runId(),
                                new Candidate(
                                        event.customerId(),
                                        entry.get(),
                                        event.receivedAt(),
                                        event.messageId()));
            }
        }
        int exited =
                ledger.exitJourneys(tenantId, orders, now)
                        + ledger.exitBrowseJourneys(tenantId, cartAdds, now);
        Summary summary = new Summary(0, 0, exited);
        if (candidates.isEmpty()) {
            return summary;
        }
        LastExits left = lastExits(tenantId, candidates);
        Map<String, List<String>> products = crossSellProducts(tenantId, candidates);
        for (Map.Entry<Live, Map<String, Candidate>> journey : candidates.entrySet()) {
            Live live = journey.getKey();
            List<Candidate> entering = new ArrayList<>();
            RecommendationModel model =
                    live.kind() == JourneyKind.CROSS_SELL ? models.apply(tenantId) : null;
            for (Candidate candidate : journey.getValue().values()) {
                if (live.kind() == JourneyKind.CROSS_SELL
                        && !hasCompanions(
                                model, products.getOrDefault(candidate.messageId(), List.of()))) {
                    continue;
                }
                if (!left.since(
                        candidate.customerId(),
                        JourneyEntries.exits(live.kind()),
                        candidate.entry().triggeredAt())) {
                    entering.add(candidate);
                }
            }
            summary = summary.plus(enter(tenantId, live, entering, program, now));
        }
        return summary;
    }

    /** Customers per look-up (an IN list), so that a statement stays a bounded size. */
    static final int LOOKUP = 500;

    /** The candidates' last exit event of each type after the earliest trigger among them. */
    private record LastExits(Map<String, Map<String, Instant>> byCustomer) {
        /** Whether the customer did one of {@code types} after {@code after}: gone already. */
        boolean since(String customerId, List<String> types, Instant after) {
            Map<String, Instant> last = byCustomer.getOrDefault(customerId, Map.of());
            return types.stream().map(last::get).anyMatch(at -> at != null && at.isAfter(after));
        }
    }

    private LastExits lastExits(String tenantId, Map<Live, Map<String, Candidate>> candidates) {
        Set<String> customers = new LinkedHashSet<>();
        Set<String> types = new LinkedHashSet<>();
        Instant earliest = null;
        for (Map.Entry<Live, Map<String, Candidate>> journey : candidates.entrySet()) {
            types.addAll(JourneyEntries.exits(journey.getKey().kind()));
            for (Candidate candidate : journey.getValue().values()) {
                customers.add(candidate.customerId());
                Instant trigger = candidate.entry().triggeredAt();
                if (earliest == null || trigger.isBefore(earliest)) {
                    earliest = trigger;
                }
            }
        }
        Instant after = earliest;
        List<String> exitTypes = List.copyOf(types);
        Map<String, Map<String, Instant>> byCustomer = new HashMap<>();
        for (List<String> chunk : chunks(customers)) {
            for (JourneyDao.LastEvent last :
                    jdbi.withExtension(
                            JourneyDao.class,
                            dao -> dao.lastEventsSince(tenantId, chunk, exitTypes, after))) {
                byCustomer
                        .computeIfAbsent(last.customerId(), c -> new HashMap<>())
                        .put(last.type(), last.lastAt());
            }
        }
        return new LastExits(byCustomer);
    }

    /** The products of the cross-sell candidates' orders, by the order's message id. */
    private Map<String, List<String>> crossSellProducts(
            String tenantId, Map<Live, Map<String, Candidate>> candidates) {
        Set<String> orders = new LinkedHashSet<>();
        for (Map.Entry<Live, Map<String, Candidate>> journey : candidates.entrySet()) {
            if (journey.getKey().kind() == JourneyKind.CROSS_SELL) {
                journey.getValue().values().forEach(c -> orders.add(c.messageId()));
            }
        }
        Map<String, List<String>> products = new HashMap<>();
        for (List<String> chunk : chunks(orders)) {
            for (JourneyDao.OrderProduct line :
                    jdbi.withExtension(
                            JourneyDao.class, dao -> dao.orderProducts(tenantId, chunk))) {
                products.computeIfAbsent(line.messageId(), id -> new ArrayList<>())
                        .add(line.productId());
            }
        }
        return products;
    }

    private static List<List<String>> chunks(Set<String> ids) {
        List<String> all = List.copyOf(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += LOOKUP) {
            chunks.add(all.subList(from, Math.min(all.size(), from + LOOKUP)));
        }
        return chunks;
    }

    /** Whether the item-to-item model has products that go with one of the order's. */
    private static boolean hasCompanions(RecommendationModel model, List<String> productIds) {
        if (model == null) {
            return false;
        }
        for (String productId : productIds) {
            if (!model.boughtTogether(productId).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Win-back and restock entries, from the customers' purchase histories. */
    private Summary sweep(String tenantId, List<Live> all, ProgramHoldout program, Instant now) {
        Summary summary = new Summary(0, 0, 0);
        for (Live live : all) {
            if (!live.active()) {
                continue;
            }
            Duration delay = live.definition().parsedDelay();
            Duration validFor = live.definition().parsedValidFor();
            List<Candidate> entering = new ArrayList<>();
            if (live.kind() == JourneyKind.WIN_BACK) {
                for (JourneyDao.LastOrder lapsed :
                        jdbi.withExtension(
                                JourneyDao.class,
                                dao ->
                                        dao.lastOrdersBetween(
                                                tenantId,
                                                now.minus(delay).minus(LAPSE_LOOKBACK),
                                                now.minus(delay)))) {
                    JourneyEntries.lapsed(delay, validFor, lapsed.lastOrderAt(), now)
                            .ifPresent(
                                    entry ->
                                            entering.add(
                                                    new Candidate(
                                                            lapsed.customerId(),
                                                            entry,
                                                            now,
                                                            null)));
                }
            } else if (live.kind() == JourneyKind.RESTOCK_DUE) {
                RecommendationModel model = models.apply(tenantId);
                if (model == null) {
                    continue;
                }
                for (String customerId :
                        jdbi.withExtension(
                                JourneyDao.class,
                                dao -> dao.buyersSince(tenantId, now.minus(RESTOCK_BUYERS)))) {
                    restockDue(model, customerId, now.plus(delay))
                            .flatMap(due -> JourneyEntries.due(delay, validFor, due, now))
                            .ifPresent(
                                    entry ->
                                            entering.add(
                                                    new Candidate(customerId, entry, now, null)));
                }
            }
            summary = summary.plus(enter(tenantId, live, entering, program, now));
        }
        return summary;
    }

    /**
     * The earliest due date among the customer's products that the restock row would show at {@code
     * asOf}; empty when none would.
     */
    static Optional<Instant> restockDue(
            RecommendationModel model, String customerId, Instant asOf) {
        return model.timings(customerId).values().stream()
                .filter(timing -> RestockPolicy.score(timing, asOf).isPresent())
                .map(RecommendationModel.Timing::due)
                .min(Comparator.naturalOrder());
    }

    /**
     * Writes the entries with their ledger rows and opens their runs, in one transaction: an entry
     * is planned entirely or not at all. An entry already made (events read twice, a customer who
     * came back the same day) is left as it is.
     */
    private Summary enter(
            String tenantId,
            Live live,
            List<Candidate> candidates,
            ProgramHoldout program,
            Instant now) {
        List<Candidate> entering =
                candidates.stream()
                        .filter(candidate -> !program.heldOut(candidate.customerId()))
                        .toList();
        if (entering.isEmpty()) {
            return new Summary(0, 0, 0);
        }
        Holdout holdout = new Holdout(live.row().salt(), live.definition().holdoutShare());
        List<JourneyDao.EntryRow> entries = new ArrayList<>(entering.size());
        for (Candidate candidate : entering) {
            entries.add(
                    new JourneyDao.EntryRow(
                            candidate.customerId(),
                            candidate.entry().runId(),
                            candidate.entry().triggeredAt(),
                            candidate.receivedAt(),
                            candidate.entry().sendAt(),
                            holdout.heldOut(candidate.customerId()),
                            now));
        }
        return jdbi.inTransaction(
                handle -> {
                    JourneyDao dao = handle.attach(JourneyDao.class);
                    int[] inserted = dao.enter(tenantId, live.id(), entries);
                    Map<String, List<PlannedSend>> byRun = new LinkedHashMap<>();
                    Map<String, Instant[]> windows = new LinkedHashMap<>();
                    int entered = 0;
                    int heldOut = 0;
                    for (int i = 0; i < entries.size(); i++) {
                        if (inserted[i] == 0) {
                            continue;
                        }
                        JourneyDao.EntryRow entry = entries.get(i);
                        JourneyEntries.Entry planned = entering.get(i).entry();
                        byRun.computeIfAbsent(entry.runId(), id -> new ArrayList<>())
                                .add(
                                        new PlannedSend(
                                                entry.customerId(),
                                                planned.sendAt(),
                                                planned.validUntil(),
                                                entry.heldOut()));
                        Instant[] window =
                                windows.computeIfAbsent(
                                        entry.runId(),
                                        id ->
                                                new Instant[] {
                                                    planned.sendAt(), planned.validUntil()
                                                });
                        if (planned.sendAt().isBefore(window[0])) {
                            window[0] = planned.sendAt();
                        }
                        if (planned.validUntil().isAfter(window[1])) {
                            window[1] = planned.validUntil();
                        }
                        entered++;
                        if (entry.heldOut()) {
                            heldOut++;
                        }
                    }
                    SendLedger.InTransaction sends = ledger.in(handle);
                    for (Map.Entry<String, List<PlannedSend>> run : byRun.entrySet()) {
                        List<PlannedSend> planned = run.getValue();
                        sends.plan(
                                new SendLedger.Run(tenantId, live.id(), run.getKey()),
                                planned,
                                now);
                        int held = (int) planned.stream().filter(PlannedSend::heldOut).count();
                        Instant[] window = windows.get(run.getKey());
                        dao.openRun(
                                tenantId,
                                live.id(),
                                run.getKey(),
                                planned.size(),
                                held,
                                window[0],
                                window[1],
                                now);
                    }
                    return new Summary(entered, heldOut, 0);
                });
    }
}
