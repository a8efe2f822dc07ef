package io.hilal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.sending.PlannedSend;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.journeys.JourneyPlanner;
import io.hilal.core.journeys.JourneyRequest;
import io.hilal.core.journeys.JourneyService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.lift.LiftReport;
import io.hilal.core.lift.LiftReportService;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * What a lift report and a journey planning pass cost, for SCALING.md: wall time, CPU of this JVM
 * and of the database process ({@link CpuTime}) and the server's statement and row counters, at a
 * stated size.
 *
 * <p>Lift: one campaign's ledger of CUSTOMERS sends (10% held out) and their order lines (half of
 * everyone bought in the pre-period, 40% in the window), the report computed by the real {@link
 * LiftReportService#compute} (read ledger and purchases, CUPED, intervals, store). Baseline in the
 * same run, interleaved: the same two reads the report makes (its ledger query and its purchases
 * query), rows fetched and dropped — the floor any report computed from these rows pays.
 *
 * <p>Journeys: TENANTS tenants with 5 journeys each (3 on cart adds, 2 on views), EVENTS cart adds
 * and views of new customers ingested, then the real {@link JourneyPlanner#planDue} passes until
 * one enters no one; cost per event. Baseline: reading the same events in the planner's order.
 *
 * <p>Run from the repository root: {@code bench/run LiftJourneyCost [CUSTOMERS TENANTS EVENTS
 * REPS]} (default 100,000 20 20,000 3; EVENTS 0 measures the lift report alone).
 */
public final class LiftJourneyCost {
    private static final Instant SEND = Instant.parse("2026-01-10T08:00:00Z");

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        System.out.printf(
                "Lift report of %,d customers; journey planning of %,d events over %d tenants × 5"
                        + " journeys; %d repetitions; %d cores, JVM %s%n",
                customers,
                events,
                tenants,
                reps,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        lift(customers, reps);
        for (int rep = 0; rep < reps && events > 0; rep++) {
            journeys(tenants, events, rep);
        }
        System.exit(0);
    }

    private static void lift(int customers, int reps) {
        Jdbi jdbi = TestDatabase.newJdbi();
        String tenant = "ten_lift";
        SendLedger ledger = new SendLedger(jdbi, Clock.fixed(SEND, ZoneOffset.UTC), "bench");
        List<PlannedSend> sends = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            sends.add(new PlannedSend("c" + i, SEND, SEND.plus(Duration.ofDays(2)), i % 10 == 0));
        }
        ledger.plan(new SendLedger.Run(tenant, "eid", "r1"), sends);
        Random random = new Random(7);
        jdbi.useHandle(
                handle -> {
                    for (int from = 0; from < customers; from += 10_000) {
                        var batch =
                                handle.prepareBatch(
                                        "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                                + " customer_id, order_id, product_id, quantity,"
                                                + " unit_price, currency, occurred_at) VALUES (?,"
                                                + " ?, 0, ?, ?, 'p', 1, ?, 'USD', ?)");
                        for (int i = from; i < Math.min(customers, from + 10_000); i++) {
                            if (random.nextDouble() < 0.5) {
                                batch.add(
                                        tenant,
                                        "pre" + i,
                                        "c" + i,
                                        "q" + i,
                                        10 + random.nextInt(50),
                                        SEND.minus(Duration.ofDays(1 + random.nextInt(170))));
                            }
                            if (random.nextDouble() < (i % 10 == 0 ? 0.38 : 0.40)) {
                                batch.add(
                                        tenant,
                                        "in" + i,
                                        "c" + i,
                                        "o" + i,
                                        10 + random.nextInt(50),
                                        SEND.plus(Duration.ofDays(1 + random.nextInt(28))));
                            }
                        }
                        batch.execute();
                    }
                });
        long lines =
                jdbi.withHandle(
                        h ->
                                h.createQuery("SELECT COUNT(*) FROM order_lines")
                                        .mapTo(Long.class)
                                        .one());
        LiftReportService reports =
                new LiftReportService(
                        jdbi,
                        HilalJson.newMapper(),
                        Clock.fixed(SEND.plus(Duration.ofDays(45)), ZoneOffset.UTC),
                        LiftReportService.Options.defaults(),
                        (t, c) -> Optional.of(new LiftReportService.ExpectedShare(0.1, "bench")));
        System.out.printf(
                "%n## Lift report: %,d sends (10%% held out), %,d order lines%n%n",
                customers, lines);
        // One warm-up of each, then interleaved.
        reports.compute(tenant, "eid", 30);
        reads(jdbi, tenant);
        double[] ratios = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            Cost base = Cost.measure(jdbi, () -> reads(jdbi, tenant));
            LiftReport[] report = new LiftReport[1];
            Cost full = Cost.measure(jdbi, () -> report[0] = reports.compute(tenant, "eid", 30));
            ratios[rep] = full.seconds / base.seconds;
            System.out.printf(
                    "rep %d: report %s (status %s, treated %,d, holdout %,d); its two reads alone"
                            + " %s; ratio %.2f%n",
                    rep + 1,
                    full,
                    report[0].status(),
                    report[0].assignment().treatedCustomers(),
                    report[0].assignment().holdoutCustomers(),
                    base,
                    ratios[rep]);
        }
        System.out.printf(
                "lift report / its reads: median %.2f (%.2f – %.2f)%n",
                Stats.median(ratios), Stats.min(ratios), Stats.max(ratios));
    }

    /** The report's ledger and purchases queries, rows fetched and dropped. */
    private static long reads(Jdbi jdbi, String tenant) {
        AtomicLong rows = new AtomicLong();
        jdbi.useHandle(
                handle -> {
                    handle.createQuery(
                                    "SELECT customer_id, run_id, state, send_at, variant,"
                                            + " variant_share, variant_at, updated_at FROM"
                                            + " campaign_sends"
                                            + " WHERE tenant_id = :t AND campaign_id = 'eid'"
                                            + " ORDER BY customer_id, send_at, run_id")
                            .bind("t", tenant)
                            .mapToMap()
                            .forEach(row -> rows.incrementAndGet());
                    handle.createQuery(
                                    "SELECT l.customer_id, l.order_id, l.quantity, l.unit_price,"
                                            + " l.currency, l.occurred_at, l.received_at FROM"
                                            + " order_lines l"
                                            + " WHERE l.tenant_id = :t AND l.occurred_at >= :from"
                                            + " AND l.occurred_at < :to AND l.customer_id IN"
                                            + " (SELECT s.customer_id FROM campaign_sends s"
                                            + " WHERE s.tenant_id = :t AND s.campaign_id = 'eid')")
                            .bind("t", tenant)
                            .bind("from", SEND.minus(Duration.ofDays(180)))
                            .bind("to", SEND.plus(Duration.ofDays(30)))
                            .mapToMap()
                            .forEach(row -> rows.incrementAndGet());
                });
        return rows.get();
    }

    private static void journeys(int tenants, int events, int rep) {
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(CampaignSendBenchmark.pool(url, tenants + 4)));
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = HilalJson.newMapper();
        TenantService tenantService = new TenantService(jdbi, clock);
        JourneyService journeys = new JourneyService(jdbi, mapper, clock);
        List<String> tenantIds = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            String tenantId = tenantService.createTenant("Bench " + t, "UTC").tenant().tenantId();
            tenantIds.add(tenantId);
            for (int j = 0; j < 5; j++) {
                boolean cart = j < 3;
                journeys.create(
                        tenantId,
                        new JourneyRequest(
                                "Journey " + j,
                                cart ? "abandoned_cart" : "browse_abandonment",
                                "PT4H",
                                0.1,
                                null,
                                new CampaignRequest.Offer("Hi", "<p>Hi</p>", "Hi", null, null),
                                null));
            }
        }
        EventIngestService ingest = new EventIngestService(jdbi, mapper, clock);
        for (int t = 0; t < tenants; t++) {
            List<JsonNode> batch = new ArrayList<>();
            for (int n = t; n < events; n += tenants) {
                batch.add(
                        mapper.createObjectNode()
                                .put("messageId", "e-" + n)
                                .put(
                                        "type",
                                        n % 2 == 0 ? "product_added_to_cart" : "product_viewed")
                                .put("customerId", "c-" + n)
                                .put("productId", "p-" + (n % 50)));
                if (batch.size() == 500) {
                    ingest.ingest(tenantIds.get(t), batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                ingest.ingest(tenantIds.get(t), batch);
            }
        }
        JourneyPlanner planner =
                new JourneyPlanner(
                        jdbi,
                        mapper,
                        clock,
                        new SendLedger(jdbi, clock, "bench.invalid"),
                        tenantId -> null,
                        Duration.ofMinutes(15));
        Cost base =
                Cost.measure(
                        jdbi,
                        () ->
                                jdbi.useHandle(
                                        h ->
                                                h.createQuery(
                                                                "SELECT tenant_id, message_id,"
                                                                        + " type, customer_id,"
                                                                        + " product_id, occurred_at,"
                                                                        + " received_at FROM events"
                                                                        + " ORDER BY tenant_id,"
                                                                        + " received_at, message_id")
                                                        .mapToMap()
                                                        .forEach(row -> {})));
        int[] entered = new int[1];
        int[] passes = new int[1];
        Cost plan =
                Cost.measure(
                        jdbi,
                        () -> {
                            for (int pass = 0; pass < 1_000; pass++) {
                                passes[0]++;
                                int now = planner.planDue().entered();
                                entered[0] += now;
                                if (now == 0) {
                                    break;
                                }
                            }
                        });
        System.out.printf(
                "%n## Journey planning, rep %d: %,d events, %,d entries planned in %d passes%n"
                        + "planning %s (per 1,000 events: %.0f ms wall, %.0f ms CPU of this JVM,"
                        + " %.0f ms of the database); reading the events alone %s; ratio %.2f%n",
                rep + 1,
                events,
                entered[0],
                passes[0],
                plan,
                plan.seconds * 1e6 / events,
                plan.jvmMillis * 1000.0 / events,
                plan.databaseMillis * 1000.0 / events,
                base,
                plan.seconds / base.seconds);
    }

    /** Wall time, CPU split and server counters around one piece of work. */
    private record Cost(
            double seconds, double jvmMillis, double databaseMillis, Map<String, Long> counters) {
        static Cost measure(Jdbi jdbi, Runnable work) {
            Map<String, Long> before = jdbi.withHandle(StorageFootprint::counters);
            CpuTime cpu = CpuTime.now();
            long started = System.nanoTime();
            work.run();
            double seconds = Stats.seconds(started);
            CpuTime used = CpuTime.since(cpu);
            Map<String, Long> after = jdbi.withHandle(StorageFootprint::counters);
            Map<String, Long> delta = new java.util.LinkedHashMap<>();
            // Each SHOW GLOBAL STATUS is itself a statement: the counters' own reads are left in.
            after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, v)));
            return new Cost(seconds, used.jvm() / 1e6, used.database() / 1e6, delta);
        }

        @Override
        public String toString() {
            return String.format(
                    "%.3f s wall, CPU %.0f ms this JVM + %.0f ms database, %,d statements, %,d"
                            + " rows read, %,d rows written",
                    seconds,
                    jvmMillis,
                    databaseMillis,
                    counters.getOrDefault("Questions", 0L),
                    counters.getOrDefault("Handler_read_key", 0L)
                            + counters.getOrDefault("Handler_read_next", 0L)
                            + counters.getOrDefault("Handler_read_rnd_next", 0L),
                    counters.getOrDefault("Handler_write", 0L)
                            + counters.getOrDefault("Handler_update", 0L));
        }
    }
}
