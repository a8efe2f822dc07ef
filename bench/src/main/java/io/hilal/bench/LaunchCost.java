package io.hilal.bench;

import io.hilal.core.campaigns.ActivityHours;
import io.hilal.core.campaigns.AudienceService;
import io.hilal.core.campaigns.BestHours;
import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.events.EventType;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * What launching one campaign costs the service instance that takes the request (SCALING.md, "One
 * merchant with 10 million customers"): a tenant of N customers in four time zones, each with
 * {@code EVENTS} email opens, clicks and orders over the past year around an hour of their own, is
 * launched a campaign over all of them, at the local time and at each customer's best time. The
 * launch streams the audience and writes each 1,000 sends as it plans them, in one transaction, so
 * its live heap should not grow with N; the best-time one first reads the tenant's year of activity
 * ({@link ActivityHours#learn}), which is also timed alone, beside its former buffered self ({@link
 * #learnBuffered}) in the same run. Each is run twice: once timed (wall time, CPU of this JVM and
 * of the database), once with a sampler that forces a full collection every {@code SAMPLE_MS} and
 * reads the heap in use after it (as {@link SparkWorkerHeap}), so the peak is the live set, not
 * garbage; the live heap before is subtracted. Figures are per audience member.
 *
 * <p>{@code bench/run LaunchCost [SIZES [EVENTS [SAMPLE_MS]]]}, SIZES comma-separated (default
 * 20000,100000).
 */
public final class LaunchCost {
    private static final String SECRET = "bench-link-secret-0123456789abcdef0123456789";

    private static final String[] ZONES = {
        "Asia/Riyadh", "Asia/Dubai", "Africa/Cairo", "Europe/London"
    };

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        String[] sizes = (args.length > 0 ? args[0] : "20000,100000").split(",");
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        long sampleMs = args.length > 2 ? Long.parseLong(args[2]) : 100;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(CampaignSendBenchmark.pool(url, 4)));
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        MailLinks links =
                new MailLinks(
                        SECRET.getBytes(StandardCharsets.UTF_8),
                        "https://hilal.example",
                        "u@hilal.example");
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        CampaignService campaigns =
                new CampaignService(
                        jdbi,
                        HilalJson.newMapper(),
                        clock,
                        tenants,
                        new EmailComposer(jdbi, links),
                        ledger,
                        t -> null);
        System.out.printf(
                "Launch cost: %d events a customer over the past year, heap sampled every %d ms,"
                        + " max heap %,d MiB, %d cores%n",
                events,
                sampleMs,
                Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        boolean warm = false;
        for (String size : sizes) {
            int n = Integer.parseInt(size.trim());
            String tenantId =
                    tenants.createTenant("launch-" + n, "Asia/Riyadh").tenant().tenantId();
            long started = System.nanoTime();
            addCustomers(jdbi, tenantId, n);
            long rows = addActivity(jdbi, tenantId, n, events);
            campaigns.putSenderIdentity(
                    tenantId,
                    new SenderIdentity(
                            "offers@souq.example", "Souq", null, "1 Souq St", null, null));
            System.out.printf(
                    "%n%,d customers, %,d activity events written in %.1f s%n",
                    n, rows, (System.nanoTime() - started) / 1e9);
            if (!warm) {
                // One untimed launch of each kind, so the timed ones run compiled code.
                launch(campaigns, tenantId, false);
                launch(campaigns, tenantId, true);
                warm = true;
            }
            measure(
                    "learn best hours, result set buffered (before)",
                    n,
                    sampleMs,
                    () -> learnBuffered(jdbi, tenantId, ZoneId.of("Asia/Riyadh"), clock.instant()));
            measure(
                    "learn best hours (ActivityHours.learn)",
                    n,
                    sampleMs,
                    () ->
                            new ActivityHours(jdbi)
                                    .learn(tenantId, ZoneId.of("Asia/Riyadh"), clock.instant())
                                    .customers()
                                    .size());
            measure(
                    "launch at the local time",
                    n,
                    sampleMs,
                    () -> launch(campaigns, tenantId, false));
            measure(
                    "launch at each customer's best time",
                    n,
                    sampleMs,
                    () -> launch(campaigns, tenantId, true));
        }
        System.exit(0);
    }

    /** Runs {@code work} once timed, once under the heap sampler, and prints both per member. */
    private static void measure(String what, int n, long sampleMs, Supplier<Integer> work)
            throws InterruptedException {
        CampaignSendBenchmark.settle();
        CpuTime cpuBefore = CpuTime.now();
        long start = System.nanoTime();
        int result = work.get();
        long wall = System.nanoTime() - start;
        CpuTime cpu = CpuTime.since(cpuBefore);

        long idle = LiveHeap.now();
        AtomicLong peak = new AtomicLong(idle);
        try (LiveHeap.Sampler sampler =
                LiveHeap.every(sampleMs, live -> peak.accumulateAndGet(live, Math::max))) {
            work.get();
        }
        long live = peak.get() - idle;
        System.out.printf(
                "%s: %,d customers -> %,d; wall %,.0f ms (%.1f µs a member); CPU JVM %,.0f ms,"
                        + " database %,.0f ms (%.1f + %.1f µs a member); peak live heap above idle"
                        + " %,.1f MiB (%.0f B a member)%n",
                what,
                n,
                result,
                wall / 1e6,
                wall / 1e3 / n,
                cpu.jvm() / 1e6,
                cpu.database() / 1e6,
                cpu.jvm() / 1e3 / n,
                cpu.database() / 1e3 / n,
                live / (double) (1 << 20),
                live / (double) n);
    }

    /** Launches a new campaign over every customer, tomorrow at 10:00 local; returns its sends. */
    private static int launch(CampaignService campaigns, String tenantId, boolean bestTime) {
        CampaignRequest.Schedule schedule =
                new CampaignRequest.Schedule(
                        "at",
                        LocalDate.now(ZoneOffset.UTC).plusDays(1),
                        LocalTime.of(10, 0),
                        null,
                        null,
                        null,
                        null,
                        "P1D",
                        null,
                        CampaignRequest.LATE_SKIP,
                        bestTime ? CampaignRequest.BEST_TIME : CampaignRequest.LOCAL_TIME,
                        null);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "launch",
                                null,
                                null,
                                new CampaignRequest.Offer(
                                        "Eid Mubarak",
                                        "<p>Eid Mubarak, {{customer.id}}</p>",
                                        "Eid Mubarak, {{customer.id}}",
                                        "EID10",
                                        null),
                                schedule,
                                new CampaignRequest.Limits(
                                        new CampaignRequest.FrequencyCap(100, 7),
                                        new CampaignRequest.QuietHours(
                                                LocalTime.of(22, 0), LocalTime.of(7, 0)),
                                        null,
                                        null)));
        return campaigns.launchPlanned(tenantId, campaign.id()).launch().planned();
    }

    /** Customers {@code c-0} … with an address, consent and one of four time zones. */
    private static void addCustomers(Jdbi jdbi, String tenantId, int count) {
        Instant now = Instant.now();
        for (int from = 0; from < count; from += 1000) {
            List<CustomerDao.CustomerRow> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 1000); i++) {
                batch.add(
                        new CustomerDao.CustomerRow(
                                "c-" + i,
                                "c" + i + "@example.invalid",
                                ZONES[i % ZONES.length],
                                null,
                                "granted",
                                "bench",
                                now,
                                null,
                                now,
                                now));
            }
            jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, batch));
        }
    }

    /**
     * {@code perCustomer} opens, clicks and orders a customer over the past year, each within two
     * hours of an hour of their own, in multi-row inserts of 1,000.
     */
    private static long addActivity(Jdbi jdbi, String tenantId, int count, int perCustomer) {
        Random random = new Random(20261207);
        String[] types = {"email_opened", "email_clicked", "order_completed"};
        Instant now = Instant.now();
        long written = 0;
        StringBuilder sql = new StringBuilder();
        int inStatement = 0;
        for (int i = 0; i < count; i++) {
            int own = random.nextInt(24);
            for (int e = 0; e < perCustomer; e++) {
                Instant at =
                        now.minus(Duration.ofDays(1 + random.nextInt(360)))
                                .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                                .plus(Duration.ofHours((own + random.nextInt(5) + 22) % 24))
                                .plus(Duration.ofMinutes(random.nextInt(60)));
                sql.append(
                                inStatement == 0
                                        ? "INSERT INTO events (tenant_id, message_id, type, customer_id,"
                                                + " occurred_at, received_at, payload) VALUES "
                                        : ",")
                        .append("('")
                        .append(tenantId)
                        .append("','a-")
                        .append(i)
                        .append('-')
                        .append(e)
                        .append("','")
                        .append(types[random.nextInt(types.length)])
                        .append("','c-")
                        .append(i)
                        .append("','")
                        .append(at.atOffset(ZoneOffset.UTC).toLocalDateTime())
                        .append("','")
                        .append(now.atOffset(ZoneOffset.UTC).toLocalDateTime())
                        .append("','{}')");
                written++;
                if (++inStatement == 1000) {
                    String statement = sql.toString();
                    jdbi.useHandle(handle -> handle.execute(statement));
                    sql.setLength(0);
                    inStatement = 0;
                }
            }
        }
        if (inStatement > 0) {
            String statement = sql.toString();
            jdbi.useHandle(handle -> handle.execute(statement));
        }
        return written;
    }

    /**
     * The baseline: {@link ActivityHours#learn} as it was before 2026-12-07, its result set
     * buffered by the driver and one zone id string a customer. Returns the customers learned.
     */
    private static int learnBuffered(Jdbi jdbi, String tenantId, ZoneId tenantZone, Instant now) {
        Map<String, BestHours.Activity> customers = new HashMap<>();
        jdbi.useHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT e.customer_id, c.time_zone, e.occurred_at"
                                                + " FROM events e JOIN customers c"
                                                + " ON c.tenant_id = e.tenant_id"
                                                + " AND c.customer_id = e.customer_id"
                                                + " WHERE e.tenant_id = :tenantId"
                                                + " AND e.type IN (<types>)"
                                                + " AND e.occurred_at >= :since"
                                                + " AND e.occurred_at < :now")
                                .bind("tenantId", tenantId)
                                .bindList(
                                        "types",
                                        EventType.EMAIL_OPENED,
                                        EventType.EMAIL_CLICKED,
                                        EventType.ORDER_COMPLETED)
                                .bind("since", now.minus(Duration.ofDays(365)))
                                .bind("now", now)
                                .map(
                                        (rs, ctx) -> {
                                            ZoneId zone =
                                                    AudienceService.zone(
                                                            rs.getString(2), tenantZone);
                                            BestHours.add(
                                                    customers
                                                            .computeIfAbsent(
                                                                    rs.getString(1),
                                                                    id ->
                                                                            new BestHours.Activity(
                                                                                    zone.getId(),
                                                                                    new int
                                                                                            [BestHours
                                                                                                    .HOURS]))
                                                            .hours(),
                                                    rs.getObject(3, LocalDateTime.class)
                                                            .toInstant(ZoneOffset.UTC),
                                                    zone);
                                            return 0;
                                        })
                                .forEach(x -> {}));
        BestHours.fit(customers.values());
        return customers.size();
    }

    private LaunchCost() {}
}
