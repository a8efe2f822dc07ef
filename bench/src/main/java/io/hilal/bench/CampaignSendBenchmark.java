package io.hilal.bench;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.campaigns.mail.SmtpPool;
import io.hilal.core.campaigns.sending.CampaignSender;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.reco.Rows;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.jdbi.v3.core.Jdbi;

/**
 * Campaign sending against its ceiling, per MEASURE.md: Hilal's full send path (claim in the
 * ledger, recipient checks, frequency cap, Mustache rendering with signed links, SMTP, ledger
 * update) against a bare Jakarta Mail loop sending the same rendered messages, both over the same
 * number of reused SMTP connections to the same local SMTP sink, interleaved A B A B. Planning
 * (audience, holdout, ledger rows) happens before the clock starts. Both sides name Jakarta Mail's
 * stream provider (set process-wide by {@link SmtpPool}), so neither looks it up per message.
 *
 * <p>Run from the repository root: {@code bench/run CampaignSendBenchmark [RECIPIENTS REPS
 * CONNECTIONS CONCURRENCY CLAIM_BATCH [WRITE_TIMEOUT]]}: CONCURRENCY is the most sends in flight
 * (the sender's {@code concurrency}, what a crash can leave unknown), worked by CONCURRENCY /
 * CLAIM_BATCH threads each claiming CLAIM_BATCH sends per commit; WRITE_TIMEOUT (default true) is
 * {@link SmtpFactory#setWriteTimeout}, for both sides.
 */
public final class CampaignSendBenchmark {
    private static final String SECRET = "bench-link-secret-0123456789abcdef0123456789";

    /**
     * Full-size rounds of both sides before the measured ones: at least {@value
     * #MIN_WARM_UP_ROUNDS}, then more (up to {@value #MAX_WARM_UP_ROUNDS}) while either side's last
     * round spent more than {@value #WARM_JIT_SHARE} of its time compiling. The JIT compiler shares
     * the two cores with both sides: after two rounds it still compiled for 0.4-1.1 s of Hilal's
     * third (about a tenth of the machine during it), falling to about 0.1-0.2 s by the sixth, work
     * a long-running worker has long finished. Every round after the first one kept counts.
     */
    private static final int MIN_WARM_UP_ROUNDS = 2;

    private static final int MAX_WARM_UP_ROUNDS = 12;

    private static final double WARM_JIT_SHARE = 0.02;

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int claimBatch = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        boolean writeTimeout = args.length <= 5 || Boolean.parseBoolean(args[5]);
        int threads = concurrency / claimBatch;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(pool(url, threads * 2 + 4)));
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        MailLinks links =
                new MailLinks(
                        SECRET.getBytes(StandardCharsets.UTF_8),
                        "https://hilal.example",
                        "u@hilal.example");
        SendLedger ledger = new SendLedger(jdbi, clock, "mail.hilal.example");
        EmailComposer composer = new EmailComposer(jdbi, links);
        CampaignService campaigns =
                new CampaignService(
                        jdbi, HilalJson.newMapper(), clock, tenants, composer, ledger, t -> null);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        System.out.printf(
                "Campaign sending: %,d recipients, %d SMTP connections, %d sends in flight at most"
                        + " (%d sender threads claiming %d at a time), write timeout %s, %d"
                        + " repetitions%n",
                recipients,
                connections,
                concurrency,
                threads,
                claimBatch,
                writeTimeout ? "on" : "off",
                reps);
        try (SmtpSink sink = new SmtpSink()) {
            SmtpFactory smtp = new SmtpFactory();
            smtp.setPort(sink.port());
            smtp.setConnections(connections);
            smtp.setWriteTimeout(writeTimeout);
            List<Double> bare = new ArrayList<>();
            List<Double> hilal = new ArrayList<>();
            int warmUps = 0;
            for (int round = 0; bare.size() < reps; round++) {
                int count = recipients;
                String tenantId = setUpTenant(jdbi, tenants, campaigns, count, round);
                Campaign campaign = launch(campaigns, tenantId);
                SendLedger.Run run = new SendLedger.Run(tenantId, campaign.id(), "run_1");
                settle();
                double a = bareLoop(smtp, links, ledger, run, count, connections);
                String bareCpu = lastCpu;
                double bareJit = lastJitShare;
                CampaignSender sender =
                        new CampaignSender(
                                jdbi,
                                clock,
                                ledger,
                                campaigns,
                                composer,
                                tenants,
                                smtp.build(),
                                t -> null,
                                executor,
                                new CampaignSender.Settings(
                                        "bench",
                                        concurrency,
                                        500,
                                        Duration.ofMinutes(1),
                                        Duration.ofMinutes(1),
                                        false,
                                        0,
                                        0,
                                        claimBatch));
                sender.heartbeat();
                settle();
                long questionsBefore = questions(jdbi);
                CpuTime cpuBefore = CpuTime.now();
                long compiledBefore = compiledMillis();
                long start = System.nanoTime();
                int sent = 0;
                for (CampaignSender.Summary s = sender.sendDue(run);
                        s.sent() > 0;
                        s = sender.sendDue(run)) {
                    sent += s.sent();
                }
                long elapsed = System.nanoTime() - start;
                double b = sent / (elapsed / 1e9);
                double hilalJit = (compiledMillis() - compiledBefore) / (elapsed / 1e6);
                String hilalCpu = perThousand(CpuTime.since(cpuBefore), sent);
                double statements = (questions(jdbi) - questionsBefore - 1) * 1000.0 / sent;
                if (sent != count) {
                    throw new IllegalStateException("sent " + sent + " of " + count);
                }
                boolean compiling = Math.max(bareJit, hilalJit) > WARM_JIT_SHARE;
                // Warm-up ends at the first round kept: after it, every round counts, compiling or
                // not, so no round is left out for how it went.
                boolean warm =
                        !bare.isEmpty()
                                || (warmUps >= MIN_WARM_UP_ROUNDS
                                        && (!compiling || warmUps >= MAX_WARM_UP_ROUNDS));
                if (!warm) {
                    warmUps++;
                    System.out.printf(
                            "warm-up: bare %,.0f msg/s, Hilal %,.0f msg/s (share of each round"
                                    + " spent compiling: bare %.1f%%, Hilal %.1f%%)%n",
                            a, b, bareJit * 100, hilalJit * 100);
                    continue;
                }
                bare.add(a);
                hilal.add(b);
                System.out.printf(
                        "rep %d: bare Jakarta Mail %,.0f msg/s, Hilal %,.0f msg/s, ratio %.2f"
                                + " (CPU ms per 1,000 messages: bare %s; Hilal %s; Hilal's"
                                + " database statements per 1,000 messages: %,.0f; compiling:"
                                + " bare %.1f%%, Hilal %.1f%%)%n",
                        bare.size(),
                        a,
                        b,
                        b / a,
                        bareCpu,
                        hilalCpu,
                        statements,
                        bareJit * 100,
                        hilalJit * 100);
            }
            double[] ratios = new double[reps];
            for (int i = 0; i < reps; i++) {
                ratios[i] = hilal.get(i) / bare.get(i);
            }
            System.out.printf(
                    "| bare Jakarta Mail loop | %,.0f | %,.0f – %,.0f |%n",
                    median(bare), min(bare), max(bare));
            System.out.printf(
                    "| Hilal campaign send | %,.0f | %,.0f – %,.0f |%n",
                    median(hilal), min(hilal), max(hilal));
            Arrays.sort(ratios);
            System.out.printf(
                    "| ratio | %.2f | %.2f – %.2f |%n",
                    ratios[reps / 2], ratios[0], ratios[reps - 1]);
            System.out.printf("sink received %,d messages%n", sink.received());
        } finally {
            executor.shutdownNow();
        }
        System.exit(0);
    }

    private static String setUpTenant(
            Jdbi jdbi, TenantService tenants, CampaignService campaigns, int count, int round) {
        String tenantId = tenants.createTenant("bench-" + round, "UTC").tenant().tenantId();
        addCustomers(jdbi, tenantId, count);
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null));
        return tenantId;
    }

    /**
     * Customers {@code c-0} … of {@code tenantId}, each with an email address and consent, in
     * upserts of 1,000.
     */
    static void addCustomers(Jdbi jdbi, String tenantId, int count) {
        Instant now = Instant.now();
        List<CustomerDao.CustomerRow> customers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            customers.add(
                    new CustomerDao.CustomerRow(
                            "c-" + i,
                            "c" + i + "@example.invalid",
                            "UTC",
                            null,
                            "granted",
                            "bench",
                            now,
                            null,
                            now,
                            now));
        }
        for (int from = 0; from < count; from += 1000) {
            List<CustomerDao.CustomerRow> batch =
                    customers.subList(from, Math.min(count, from + 1000));
            jdbi.useExtension(CustomerDao.class, dao -> dao.upsert(tenantId, batch));
        }
    }

    private static CampaignRequest.Offer offer() {
        return new CampaignRequest.Offer(
                "Eid Mubarak, {{customer.id}}",
                "<html><body><h2>Eid Mubarak!</h2><p>Your usual box is waiting.</p>"
                        + "{{{productBlock}}}<p>Code {{couponCode}}</p></body></html>",
                "Eid Mubarak!\nYour usual box is waiting.\n{{productBlock}}Code {{couponCode}}",
                "EID10",
                null);
    }

    private static Campaign launch(CampaignService campaigns, String tenantId) {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        LocalTime local = LocalTime.now(ZoneOffset.UTC);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                "bench",
                                null,
                                0.0,
                                offer(),
                                new CampaignRequest.Schedule(
                                        "at",
                                        LocalDate.ofInstant(hourAgo, ZoneOffset.UTC),
                                        LocalTime.ofInstant(hourAgo, ZoneOffset.UTC)
                                                .withSecond(0)
                                                .withNano(0),
                                        null,
                                        null,
                                        null,
                                        null,
                                        "P1D",
                                        null,
                                        CampaignRequest.LATE_SEND_NOW),
                                new CampaignRequest.Limits(
                                        new CampaignRequest.FrequencyCap(100, 7),
                                        new CampaignRequest.QuietHours(
                                                local.plusHours(6), local.plusHours(7)),
                                        null,
                                        null)));
        return campaigns.launch(tenantId, campaign.id());
    }

    /**
     * The baseline: the messages Hilal sends in {@code run} (the same ids in their links and
     * headers, so the same size), pre-rendered, over the same number of reused connections.
     */
    private static double bareLoop(
            SmtpFactory smtp,
            MailLinks links,
            SendLedger ledger,
            SendLedger.Run run,
            int count,
            int connections)
            throws Exception {
        OfferRenderer renderer = new OfferRenderer(links);
        OfferRenderer.Templates templates = OfferRenderer.compile(offer());
        SenderIdentity sender =
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null);
        List<OfferRenderer.RenderedEmail> emails = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            emails.add(
                    renderer.render(
                            templates,
                            new OfferRenderer.Input(
                                    new MailLinks.Recipient(
                                            run.tenantId(),
                                            run.campaignId(),
                                            run.runId(),
                                            "c-" + i),
                                    "c" + i + "@example.invalid",
                                    "bench",
                                    "EID10",
                                    new Rows("c-" + i, false, List.of()),
                                    new HashMap<>(),
                                    sender,
                                    ledger.messageId(run, "c-" + i))));
        }
        try (SmtpPool pool = smtp.build()) {
            Session session = pool.session();
            ExecutorService loops = Executors.newFixedThreadPool(connections);
            try {
                CpuTime cpuBefore = CpuTime.now();
                long compiledBefore = compiledMillis();
                long start = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < connections; c++) {
                    int first = c;
                    done.add(
                            loops.submit(
                                    () -> {
                                        Transport transport = session.getTransport("smtp");
                                        transport.connect("127.0.0.1", smtp.getPort(), null, null);
                                        for (int i = first; i < count; i += connections) {
                                            MimeMessage message =
                                                    SmtpPool.message(session, emails.get(i));
                                            message.saveChanges();
                                            transport.sendMessage(
                                                    message, message.getAllRecipients());
                                        }
                                        transport.close();
                                        return null;
                                    }));
                }
                for (Future<?> future : done) {
                    future.get();
                }
                long elapsed = System.nanoTime() - start;
                double rate = count / (elapsed / 1e9);
                lastCpu = perThousand(CpuTime.since(cpuBefore), count);
                lastJitShare = (compiledMillis() - compiledBefore) / (elapsed / 1e6);
                return rate;
            } finally {
                loops.shutdownNow();
            }
        }
    }

    /**
     * Before either side's timed round: lets the JIT compiler finish what the untimed set-up gave
     * it (planning the round's sends queues compilations that would otherwise run during the round
     * that follows), then collects garbage.
     */
    static void settle() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long compiled = -1;
        while (compiled != jit.getTotalCompilationTime() && System.nanoTime() < deadline) {
            compiled = jit.getTotalCompilationTime();
            Thread.sleep(300);
        }
        System.gc();
    }

    /**
     * Statements the database server has received so far, from every client (the benchmark is its
     * only one), including transaction control and the driver's own queries.
     */
    private static long questions(Jdbi jdbi) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery("SHOW GLOBAL STATUS LIKE 'Questions'")
                                .map((rs, ctx) -> rs.getLong(2))
                                .one());
    }

    /** CPU used by the last bare loop's timed part, per 1,000 messages. */
    private static String lastCpu;

    /** The share of the last bare loop's timed part the JIT compiler spent compiling. */
    private static double lastJitShare;

    /** The JIT compiler's time so far, in milliseconds (summed over its threads). */
    private static long compiledMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static String perThousand(CpuTime used, int messages) {
        return String.format(
                "JVM %.0f, database %.0f",
                used.jvm() / 1e6 / messages * 1000, used.database() / 1e6 / messages * 1000);
    }

    /**
     * A pool like the apps' ({@link io.hilal.core.db.DatabaseFactory}): the same driver URL
     * defaults (from {@link TestDatabase}) and READ COMMITTED, the isolation Hilal runs at, rather
     * than the server's default REPEATABLE READ.
     */
    static DataSource pool(String url, int size) {
        PoolProperties properties = new PoolProperties();
        properties.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        // The sender's kind of connection (several statements per round trip), as the worker's.
        properties.setUrl(io.hilal.core.db.JdbcUrls.forSender(url));
        properties.setDriverClassName("com.mysql.cj.jdbc.Driver");
        properties.setUsername(TestDatabase.user());
        properties.setPassword(TestDatabase.password());
        properties.setMaxActive(size);
        properties.setMaxIdle(size);
        properties.setMinIdle(Math.min(size, 10));
        properties.setInitialSize(Math.min(size, 10));
        return new DataSource(properties);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
