package io.hilal.bench;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Sending that grows with workers, per issue 25: 1, 2 and 3 campaign worker processes (the shipped
 * {@code CampaignWorkerApplication}, each a JVM of its own, on the worker's default sending
 * settings) send one campaign of RECIPIENTS to a local SMTP sink, in this order in one run; the
 * rate of each is reported as a ratio to one worker's (the baseline). Then, KILLS times, three
 * workers send a campaign and one is SIGKILLed a third of the way through: the takeover time is
 * from the kill until the survivors have marked its sends in flight and claimed a send of its
 * share. Each configuration's workers first send a 5,000-recipient warm-up campaign (another
 * tenant), so no side is measured cold.
 *
 * <p>Run from the repository root: {@code bench/run SendScalingBenchmark [RECIPIENTS KILLS]}
 * (defaults 100,000 and 3). Workers beat every second and count a peer dead after 10 s, the shipped
 * defaults ({@code HILAL_SEND_HEARTBEAT_MS}, {@code HILAL_SEND_HEARTBEAT_TIMEOUT_MS}); takeover is
 * that timeout plus what the survivors take to notice.
 */
public final class SendScalingBenchmark {
    private static final String SECRET = "bench-link-secret-0123456789abcdef0123456789";
    private static final int WARM_UP = 5_000;
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String url = TestDatabase.newSchema();
        Jdbi jdbi = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(url)));
        Clock clock = Clock.systemUTC();
        TenantService tenants = new TenantService(jdbi, clock);
        CampaignService campaigns =
                new CampaignService(
                        jdbi,
                        HilalJson.newMapper(),
                        clock,
                        tenants,
                        new EmailComposer(
                                jdbi,
                                new MailLinks(
                                        SECRET.getBytes(StandardCharsets.UTF_8),
                                        "https://hilal.example",
                                        "u@hilal.example")),
                        new SendLedger(jdbi, clock, "mail.hilal.example"),
                        t -> null);
        String warm = tenant(jdbi, tenants, campaigns, "warm-up", WARM_UP);
        String bench = tenant(jdbi, tenants, campaigns, "bench", recipients);
        System.out.printf(
                "Sending across workers: %,d recipients per campaign, %d cores on this machine%n",
                recipients, Runtime.getRuntime().availableProcessors());
        Path logs = Files.createDirectories(Path.of("bench", "target", "send-scaling"));
        try (SmtpSink sink = new SmtpSink()) {
            Map<Integer, Double> rates = new TreeMap<>();
            for (int workers = 1; workers <= 3; workers++) {
                List<Worker> started = start(workers, url, sink.port(), logs, "n" + workers);
                try {
                    awaitLive(jdbi, started);
                    sendAll(jdbi, campaigns, warm, "warm-up " + workers);
                    long before = sink.received();
                    SendLedger.Run run = launch(campaigns, bench, workers + " workers");
                    // From the launch's commit: planning is the same for every configuration.
                    Instant start = Instant.now();
                    awaitCompleted(jdbi, run);
                    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
                    Map<String, Long> shares = sentByWorker(jdbi, run);
                    check(jdbi, run, recipients, sink.received() - before, 0);
                    double rate = recipients / seconds;
                    rates.put(workers, rate);
                    System.out.printf(
                            "%d worker(s): %,d sent in %.1f s, %,.0f msg/s; sent per worker %s%n",
                            workers, recipients, seconds, rate, shares.values());
                } finally {
                    stop(started);
                }
            }
            List<Double> takeovers = new ArrayList<>();
            for (int kill = 1; kill <= kills; kill++) {
                List<Worker> started = start(3, url, sink.port(), logs, "kill" + kill);
                try {
                    awaitLive(jdbi, started);
                    sendAll(jdbi, campaigns, warm, "warm-up before kill " + kill);
                    long before = sink.received();
                    takeovers.add(
                            killOne(jdbi, campaigns, bench, started, recipients, sink, before));
                } finally {
                    stop(started);
                }
            }
            double base = rates.get(1);
            System.out.println();
            System.out.println("| workers | msg/s | ratio to 1 worker |");
            System.out.println("|---|---|---|");
            rates.forEach(
                    (workers, rate) ->
                            System.out.printf(
                                    "| %d | %,.0f | %.2f |%n", workers, rate, rate / base));
            System.out.printf(
                    "takeover after SIGKILL (heartbeat timeout %.1f s): %s s, worst %.2f s%n",
                    HEARTBEAT_TIMEOUT.toMillis() / 1000.0,
                    takeovers.stream().map(t -> String.format("%.2f", t)).toList(),
                    takeovers.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        }
        System.exit(0);
    }

    /**
     * Three workers send a campaign; the last (by id) is killed a third of the way through; returns
     * the seconds until the survivors recovered its sends in flight and claimed one of its share.
     */
    private static double killOne(
            Jdbi jdbi,
            CampaignService campaigns,
            String tenantId,
            List<Worker> workers,
            int recipients,
            SmtpSink sink,
            long receivedBefore)
            throws InterruptedException {
        SendLedger.Run run = launch(campaigns, tenantId, "kill");
        List<String> ids = workers.stream().map(Worker::id).sorted().toList();
        Worker victim =
                workers.stream().filter(w -> w.id().equals(ids.get(2))).findFirst().orElseThrow();
        while (count(jdbi, run, "due_at IS NOT NULL") > recipients * 2L / 3) {
            Thread.sleep(100);
        }
        victim.process().destroyForcibly(); // SIGKILL
        victim.process().waitFor();
        long killedAt = System.nanoTime();
        long plannedInShare = plannedInShare(jdbi, run, 2);
        Double recovered = null;
        Double claimed = null;
        while (recovered == null || claimed == null) {
            double since = (System.nanoTime() - killedAt) / 1e9;
            if (since > 120) {
                throw new IllegalStateException("no takeover within two minutes");
            }
            if (recovered == null && inFlight(jdbi, run, victim.id()) == 0) {
                recovered = since;
            }
            if (claimed == null && plannedInShare(jdbi, run, 2) < plannedInShare) {
                claimed = since;
            }
            Thread.sleep(20);
        }
        while (!"completed".equals(runStatus(jdbi, run))) {
            Thread.sleep(100);
        }
        long unknown = count(jdbi, run, "state = 'UNKNOWN_INFLIGHT'");
        check(jdbi, run, recipients, sink.received() - receivedBefore, unknown);
        double takeover = Math.max(recovered, claimed);
        System.out.printf(
                "kill: %s killed with %,d of %,d planned in its share; its sends in flight"
                        + " marked after %.2f s (%d UNKNOWN_INFLIGHT), its share claimed by a"
                        + " survivor after %.2f s; takeover %.2f s; run completed, sent per worker"
                        + " %s%n",
                victim.id(),
                plannedInShare,
                recipients,
                recovered,
                unknown,
                claimed,
                takeover,
                sentByWorker(jdbi, run));
        return takeover;
    }

    /** Fails the run unless every recipient is SENT once (or of unknown fate after a kill). */
    private static void check(
            Jdbi jdbi, SendLedger.Run run, int recipients, long received, long unknown) {
        long sent = count(jdbi, run, "state = 'SENT'");
        if (sent + unknown != recipients) {
            throw new IllegalStateException(
                    "sent "
                            + sent
                            + " and "
                            + unknown
                            + " unknown of "
                            + recipients
                            + "; by state: "
                            + new SendLedger(jdbi, Clock.systemUTC(), "mail.hilal.example")
                                    .counts(run));
        }
        if (received < sent || received > sent + unknown) {
            throw new IllegalStateException(
                    "the sink received "
                            + received
                            + " for "
                            + sent
                            + " sent, "
                            + unknown
                            + " unknown: a send went out twice or was lost");
        }
    }

    private static SendLedger.Run sendAll(
            Jdbi jdbi, CampaignService campaigns, String tenantId, String name)
            throws InterruptedException {
        SendLedger.Run run = launch(campaigns, tenantId, name);
        awaitCompleted(jdbi, run);
        return run;
    }

    private static void awaitCompleted(Jdbi jdbi, SendLedger.Run run) throws InterruptedException {
        while (!"completed".equals(runStatus(jdbi, run))) {
            Thread.sleep(50);
        }
    }

    private static String tenant(
            Jdbi jdbi,
            TenantService tenants,
            CampaignService campaigns,
            String name,
            int customers) {
        String tenantId = tenants.createTenant(name, "UTC").tenant().tenantId();
        CampaignSendBenchmark.addCustomers(jdbi, tenantId, customers);
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null));
        return tenantId;
    }

    /**
     * A campaign to all of the tenant's customers, due now, unthrottled, no holdout, capped at 100
     * emails a day per customer (a bench run sends each customer up to 7 + 2 × KILLS campaigns).
     */
    private static SendLedger.Run launch(CampaignService campaigns, String tenantId, String name) {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        LocalTime local = LocalTime.now(ZoneOffset.UTC);
        Campaign campaign =
                campaigns.create(
                        tenantId,
                        new CampaignRequest(
                                name,
                                null,
                                0.0,
                                new CampaignRequest.Offer(
                                        "Eid Mubarak, {{customer.id}}",
                                        "<html><body><h2>Eid Mubarak!</h2>"
                                                + "<p>Your usual box is waiting.</p>"
                                                + "<p>Code {{couponCode}}</p></body></html>",
                                        "Eid Mubarak!\nYour usual box is waiting.\n"
                                                + "Code {{couponCode}}",
                                        "EID10",
                                        null),
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
                                        // Not the default cap (2 emails in 7 days): the same
                                        // customers get a campaign per configuration, and under
                                        // the default the third is deferred past its one-day
                                        // validity, i.e. planned all EXPIRED.
                                        new CampaignRequest.FrequencyCap(100, 1),
                                        new CampaignRequest.QuietHours(
                                                local.plusHours(6), local.plusHours(7)),
                                        null,
                                        null)));
        campaigns.launch(tenantId, campaign.id());
        return new SendLedger.Run(tenantId, campaign.id(), "run_1");
    }

    /** A worker process and its id (its heartbeat's). */
    private record Worker(Process process, String id) {}

    private static List<Worker> start(int count, String url, int smtpPort, Path logs, String name)
            throws IOException, InterruptedException {
        List<Worker> workers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String log = name + "-w" + i + ".log";
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC"));
            Map<String, String> settings = new TreeMap<>();
            settings.put("server.adminConnectors[0].port", "0");
            settings.put("database.url", url);
            settings.put("database.user", TestDatabase.user());
            settings.put("database.password", TestDatabase.password());
            settings.put("smtp.host", "127.0.0.1");
            settings.put("smtp.port", Integer.toString(smtpPort));
            settings.put("mailLinks.secret", SECRET);
            settings.put("logging.level", "WARN");
            settings.put("sending.pollSeconds", "1");
            settings.put("sending.heartbeatMillis", Long.toString(HEARTBEAT.toMillis()));
            settings.put(
                    "sending.heartbeatTimeoutMillis", Long.toString(HEARTBEAT_TIMEOUT.toMillis()));
            settings.forEach((key, value) -> command.add("-Ddw." + key + "=" + value));
            command.addAll(
                    List.of(
                            "-cp",
                            System.getProperty("java.class.path"),
                            CampaignWorkerApplication.class.getName(),
                            "server",
                            Path.of("config", "campaign-worker.yml").toAbsolutePath().toString()));
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(logs.resolve(log).toFile())
                            .start();
            workers.add(new Worker(process, null));
        }
        return workers;
    }

    /**
     * Waits until exactly the started workers beat (the earlier configurations' heartbeats gone
     * stale), learns their ids (a worker's id is {@code <host>-<pid>-…}: {@code WorkerId}), then
     * lets each learn its peers at its next heartbeat.
     */
    private static void awaitLive(Jdbi jdbi, List<Worker> workers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            List<String> live = live(jdbi);
            List<String> ids = new ArrayList<>();
            for (Worker worker : workers) {
                if (!worker.process().isAlive()) {
                    throw new IllegalStateException("a worker exited; see bench/target/");
                }
                String pid = "-" + worker.process().pid() + "-";
                live.stream().filter(id -> id.contains(pid)).findFirst().ifPresent(ids::add);
            }
            if (ids.size() == workers.size() && live.size() == workers.size()) {
                for (int i = 0; i < workers.size(); i++) {
                    workers.set(i, new Worker(workers.get(i).process(), ids.get(i)));
                }
                Thread.sleep(HEARTBEAT.toMillis() * 3);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workers did not start within three minutes");
            }
            Thread.sleep(200);
        }
    }

    private static void stop(List<Worker> workers) throws InterruptedException {
        for (Worker worker : workers) {
            worker.process().destroy();
        }
        for (Worker worker : workers) {
            worker.process().waitFor();
        }
    }

    private static List<String> live(Jdbi jdbi) {
        Instant cutoff = Instant.now().minus(HEARTBEAT_TIMEOUT);
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT worker_id FROM campaign_workers"
                                                + " WHERE heartbeat_at >= :cutoff"
                                                + " ORDER BY worker_id")
                                .bind("cutoff", cutoff)
                                .mapTo(String.class)
                                .list());
    }

    private static String runStatus(Jdbi jdbi, SendLedger.Run run) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT status FROM campaign_runs WHERE tenant_id = ?"
                                                + " AND campaign_id = ? AND run_id = ?")
                                .bind(0, run.tenantId())
                                .bind(1, run.campaignId())
                                .bind(2, run.runId())
                                .mapTo(String.class)
                                .one());
    }

    private static long count(Jdbi jdbi, SendLedger.Run run, String where, Object... more) {
        return jdbi.withHandle(
                handle -> {
                    var query =
                            handle.createQuery(
                                            "SELECT COUNT(*) FROM campaign_sends WHERE tenant_id = ?"
                                                    + " AND campaign_id = ? AND run_id = ? AND "
                                                    + where)
                                    .bind(0, run.tenantId())
                                    .bind(1, run.campaignId())
                                    .bind(2, run.runId());
                    for (int i = 0; i < more.length; i++) {
                        query.bind(3 + i, more[i]);
                    }
                    return query.mapTo(Long.class).one();
                });
    }

    /** The sends {@code worker} has in flight, read through the open sends' index only. */
    private static long inFlight(Jdbi jdbi, SendLedger.Run run, String worker) {
        return count(jdbi, run, "due_at IS NOT NULL AND state = 'SENDING' AND worker = ?", worker);
    }

    /** The sends still PLANNED in share {@code index} of three, through the open index. */
    private static long plannedInShare(Jdbi jdbi, SendLedger.Run run, int index) {
        return count(
                jdbi,
                run,
                "due_at IS NOT NULL AND state = 'PLANNED' AND MOD(CRC32(customer_id), 3) = ?",
                index);
    }

    private static Map<String, Long> sentByWorker(Jdbi jdbi, SendLedger.Run run) {
        Map<String, Long> sent = new TreeMap<>();
        jdbi.useHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT worker, COUNT(*) FROM campaign_sends"
                                                + " WHERE tenant_id = ? AND campaign_id = ?"
                                                + " AND run_id = ? AND state = 'SENT'"
                                                + " GROUP BY worker")
                                .bind(0, run.tenantId())
                                .bind(1, run.campaignId())
                                .bind(2, run.runId())
                                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                                .forEach(entry -> sent.put(entry.getKey(), entry.getValue())));
        return sent;
    }
}
