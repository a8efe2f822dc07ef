package io.hilal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.db.Migrations;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.journeys.JourneyPlanner;
import io.hilal.core.journeys.JourneyRequest;
import io.hilal.core.journeys.JourneyService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.journeys.JourneyPlanJob;
import io.hilal.worker.journeys.JourneySchedule;
import io.hilal.worker.scheduling.HilalJobFactory;
import io.hilal.worker.scheduling.SchedulerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.jdbi.v3.core.Jdbi;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;

/**
 * From a triggering event's ingest to its journey send being planned, with 100 journeys active
 * across tenants (issue 23: p99 at most 60 s). Events (cart adds and product views of new
 * customers, each entering every matching journey of its tenant) are ingested open-loop at a
 * constant rate through the real ingest code; the worker's clustered Quartz scheduler (Hilal's
 * {@link SchedulerFactory}) runs the real {@link JourneyPlanJob}. Latency is the entry's planned_at
 * minus its event's received_at, as the database records them.
 *
 * <p>Baseline, in the same scheduler and the same run: the scheduler's own trigger latency, a job
 * on a trigger of the same period that does nothing but note, for every event ingested since its
 * last firing, the time from the ingest to its firing. No poll-based planner on this scheduler can
 * beat that; the ratio is what planning adds on top.
 *
 * <p>Run from the repository root: {@code bench/run JourneyLatency [TENANTS JOURNEYS_PER_TENANT
 * EVENTS_PER_SECOND SECONDS POLL_SECONDS REPS]} (default 20 5 20 40 2 3).
 */
public final class JourneyLatency {
    /** Ingest instants (epoch ms) not yet seen by a firing of the probe. */
    private static final Queue<Long> PENDING = new ConcurrentLinkedQueue<>();

    private static final Histogram PROBE = new Histogram(3_600_000L, 3);

    /** The baseline: a trigger of the planner's period that only notes when it fired. */
    @DisallowConcurrentExecution
    public static final class Probe implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            long now = System.currentTimeMillis();
            Long ingested;
            while ((ingested = PENDING.peek()) != null && ingested <= now) {
                PENDING.poll();
                synchronized (PROBE) {
                    PROBE.recordValue(Math.max(0, now - ingested));
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perTenant = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int poll = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        System.out.printf(
                "%d journeys on %d tenants, %d events/s for %d s, planner and probe every %d s,"
                        + " %d repetitions%n",
                tenants * perTenant, tenants, rate, seconds, poll, reps);
        List<Double> journeyP99 = new ArrayList<>();
        List<Double> probeP99 = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            double[] result = run(tenants, perTenant, rate, seconds, poll);
            journeyP99.add(result[0]);
            probeP99.add(result[1]);
            ratios.add(result[0] / result[1]);
            System.out.printf(
                    "rep %d: journey p50 %.2f s p99 %.2f s max %.2f s (%d entries); scheduler"
                            + " trigger p50 %.2f s p99 %.2f s; p99 ratio %.2f%n",
                    rep + 1,
                    result[2],
                    result[0],
                    result[3],
                    (long) result[4],
                    result[5],
                    result[1],
                    result[0] / result[1]);
        }
        System.out.printf(
                "| journey planning, ingest → planned, p99 | %.2f s | %.2f – %.2f s |%n",
                CampaignSendBenchmark.median(journeyP99),
                CampaignSendBenchmark.min(journeyP99),
                CampaignSendBenchmark.max(journeyP99));
        System.out.printf(
                "| scheduler trigger latency, p99 | %.2f s | %.2f – %.2f s |%n",
                CampaignSendBenchmark.median(probeP99),
                CampaignSendBenchmark.min(probeP99),
                CampaignSendBenchmark.max(probeP99));
        System.out.printf(
                "| ratio (journey / trigger) | %.2f | %.2f – %.2f |%n",
                CampaignSendBenchmark.median(ratios),
                CampaignSendBenchmark.min(ratios),
                CampaignSendBenchmark.max(ratios));
        System.exit(0);
    }

    /** journey p99, probe p99, journey p50, journey max, entries, probe p50 (seconds). */
    private static double[] run(int tenants, int perTenant, int rate, int seconds, int poll)
            throws Exception {
        PENDING.clear();
        PROBE.reset();
        String url = TestDatabase.newSchema();
        DataSource pool = CampaignSendBenchmark.pool(url, 16);
        Migrations.migrateQuartz(pool);
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(pool));
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = HilalJson.newMapper();
        TenantService tenantService = new TenantService(jdbi, clock);
        JourneyService journeys = new JourneyService(jdbi, mapper, clock);
        List<String> tenantIds = new ArrayList<>();
        int entriesPerCart = 0;
        int entriesPerView = 0;
        for (int t = 0; t < tenants; t++) {
            String tenantId = tenantService.createTenant("Bench " + t, "UTC").tenant().tenantId();
            tenantIds.add(tenantId);
            for (int j = 0; j < perTenant; j++) {
                // Three in five react to cart adds, the rest to views.
                boolean cart = j % 5 < 3;
                if (t == 0) {
                    entriesPerCart += cart ? 1 : 0;
                    entriesPerView += cart ? 0 : 1;
                }
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
        JourneyPlanner planner =
                new JourneyPlanner(
                        jdbi,
                        mapper,
                        clock,
                        new SendLedger(jdbi, clock, "bench.invalid"),
                        tenantId -> null,
                        Duration.ofMinutes(15));
        SchedulerFactory factory = new SchedulerFactory();
        factory.setInstanceName("bench-journeys");
        Scheduler scheduler =
                factory.build(
                        pool,
                        new HilalJobFactory()
                                .register(JourneyPlanJob.class, () -> new JourneyPlanJob(planner))
                                .register(Probe.class, Probe::new));
        JourneySchedule.register(scheduler, poll);
        scheduler.scheduleJob(
                JobBuilder.newJob(Probe.class).withIdentity("probe", "bench").build(),
                TriggerBuilder.newTrigger()
                        .withIdentity("probe", "bench")
                        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(poll))
                        .startNow()
                        .build());
        scheduler.start();
        EventIngestService ingest = new EventIngestService(jdbi, mapper, clock);
        ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger carts = new AtomicInteger();
        int total = rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        try {
            load.scheduleAtFixedRate(
                    () -> {
                        int n = sent.getAndIncrement();
                        if (n >= total) {
                            return;
                        }
                        boolean cart = n % 2 == 0;
                        if (cart) {
                            carts.incrementAndGet();
                        }
                        JsonNode event =
                                mapper.createObjectNode()
                                        .put("messageId", "e-" + n)
                                        .put(
                                                "type",
                                                cart ? "product_added_to_cart" : "product_viewed")
                                        .put("customerId", "c-" + n)
                                        .put("productId", "p-" + (n % 50));
                        long at = System.currentTimeMillis();
                        ingest.ingest(tenantIds.get(n % tenantIds.size()), List.of(event));
                        PENDING.add(at);
                    },
                    0,
                    periodNanos,
                    TimeUnit.NANOSECONDS);
            long expected = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120L);
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                if (sent.get() >= total) {
                    expected =
                            (long) carts.get() * entriesPerCart
                                    + (long) (total - carts.get()) * entriesPerView;
                    long planned =
                            jdbi.withHandle(
                                    handle ->
                                            handle.createQuery(
                                                            "SELECT COUNT(*) FROM journey_entries")
                                                    .mapTo(Long.class)
                                                    .one());
                    if (planned >= expected && PENDING.isEmpty()) {
                        break;
                    }
                }
            }
            Histogram journey = new Histogram(3_600_000L, 3);
            List<Long> latencies =
                    jdbi.withHandle(
                            handle ->
                                    handle.createQuery(
                                                    "SELECT TIMESTAMPDIFF(MICROSECOND, received_at,"
                                                            + " planned_at) DIV 1000 FROM"
                                                            + " journey_entries")
                                            .mapTo(Long.class)
                                            .list());
            if (latencies.size() < expected) {
                throw new IllegalStateException(
                        "only " + latencies.size() + " of " + expected + " entries were planned");
            }
            for (long millis : latencies) {
                journey.recordValue(Math.max(0, millis));
            }
            synchronized (PROBE) {
                return new double[] {
                    journey.getValueAtPercentile(99) / 1000.0,
                    PROBE.getValueAtPercentile(99) / 1000.0,
                    journey.getValueAtPercentile(50) / 1000.0,
                    journey.getMaxValue() / 1000.0,
                    latencies.size(),
                    PROBE.getValueAtPercentile(50) / 1000.0
                };
            }
        } finally {
            load.shutdownNow();
            scheduler.shutdown(true);
        }
    }
}
