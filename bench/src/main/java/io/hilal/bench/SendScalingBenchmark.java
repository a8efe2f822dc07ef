package io.hilal.bench;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.EmailComposer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.catalog.ProductDao;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import io.hilal.worker.CampaignWorkerApplication;
import java.io.IOException;
import java.math.BigDecimal;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Sending that grows with workers, per issue 25: 1, 2 and 3 campaign worker processes (the shipped
 * {@code CampaignWorkerApplication}, each a JVM of its own) send one campaign of RECIPIENTS to a
 * local SMTP sink, in this order in one run; the rate of each is reported as a ratio to one
 * worker's (the baseline). Then, KILLS times, three workers send a campaign and one is SIGKILLed a
 * third of the way through: the takeover time is from the kill until the survivors have marked its
 * sends in flight and claimed a send of its share. Each configuration's workers first send a
 * 5,000-recipient warm-up campaign (another tenant), so no side is measured cold. Every run checks
 * that each recipient was sent exactly once (or, after a kill, is one of the dead worker's sends of
 * unknown fate), in the ledger and at the sink.
 *
 * <p>Run from the repository root: {@code bench/run SendScalingBenchmark [RECIPIENTS [KILLS
 * [OPTION...]]]} (defaults 100,000 and 3), options:
 *
 * <ul>
 *   <li>{@code cpus=C}: each worker in a cgroup of its own with a hard budget of C of a core (as if
 *       each ran on a small machine of its own), the benchmark's JVM (the SMTP sink) and its
 *       database in a cgroup of high weight and no quota ({@link CpuBudgets}; needs root and cgroup
 *       v1). Without it the workers share the machine with everything else, as before.
 *   <li>{@code settings=CONCURRENCY/CLAIM_BATCH,...}: the workers' sending settings (default the
 *       shipped 64/32). With several, one worker is run with each first and the fastest setting is
 *       the baseline's and everyone's.
 *   <li>{@code products=true}: an offer that shows recommended products (each customer has a view
 *       and a purchase; the tenant's best sellers are the model), so every email builds rows.
 *   <li>{@code before=CLASSPATH reps=N}: instead of scaling, one worker on CLASSPATH (an earlier
 *       build) against one on this build, interleaved N times (A B A B), same settings and data.
 * </ul>
 *
 * <p>Workers beat every second and count a peer dead after 10 s, the shipped defaults ({@code
 * HILAL_SEND_HEARTBEAT_MS}, {@code HILAL_SEND_HEARTBEAT_TIMEOUT_MS}); takeover is that timeout plus
 * what the survivors take to notice.
 */
public final class SendScalingBenchmark {
    private static final String SECRET = "bench-link-secret-0123456789abcdef0123456789";
    private static final int WARM_UP = 5_000;
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    private static final int PRODUCTS = 50;

    /** A worker's sending settings. */
    private record Setting(int concurrency, int claimBatch) {
        static Setting parse(String text) {
            String[] parts = text.split("/");
            return new Setting(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }

        @Override
        public String toString() {
            return concurrency + "/" + claimBatch;
        }
    }

    /** What one configuration's measured campaign took, and what its processes used. */
    private record Result(
            double seconds,
            double rate,
            Map<String, Long> sentPerWorker,
            List<Double> workerCores,
            List<Double> workerThrottled,
            double infraCores) {
        String cpu() {
            return String.format(
                    "CPU used per worker %s cores%s; the sink and the database %.2f cores",
                    workerCores.stream().map(c -> String.format("%.2f", c)).toList(),
                    workerThrottled.isEmpty()
                            ? ""
                            : String.format(
                                    " (throttled in %s of their 100 ms periods)",
                                    workerThrottled.stream()
                                            .map(t -> String.format("%.0f%%", 100 * t))
                                            .toList()),
                    infraCores);
        }
    }

    /** The run: its database, tenants, sink and budgets. */
    private record Bench(
            Jdbi jdbi,
            String url,
            CampaignService campaigns,
            String warm,
            String tenant,
            int recipients,
            boolean products,
            SmtpSink sink,
            CpuBudgets budgets,
            Path logs) {}

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Map<String, String> options = new TreeMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] option = args[i].split("=", 2);
            options.put(option[0], option[1]);
        }
        double cpus = Double.parseDouble(options.getOrDefault("cpus", "0"));
        List<Setting> settings =
                Arrays.stream(options.getOrDefault("settings", "64/32").split(","))
                        .map(Setting::parse)
                        .toList();
        boolean products = Boolean.parseBoolean(options.getOrDefault("products", "false"));
        String before = options.get("before");
        int reps = Integer.parseInt(options.getOrDefault("reps", "3"));
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
        String warm = tenant(jdbi, tenants, campaigns, "warm-up", WARM_UP, products);
        String tenant = tenant(jdbi, tenants, campaigns, "bench", recipients, products);
        System.out.printf(
                "Sending across workers: %,d recipients per campaign, %s, %d cores on this"
                        + " machine, load average %s%n",
                recipients,
                products ? "an offer showing recommended products" : "an offer without products",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());
        Path logs = Files.createDirectories(Path.of("bench", "target", "send-scaling"));
        try (CpuBudgets budgets = cpus > 0 ? CpuBudgets.create(cpus, 3) : null;
                SmtpSink sink = new SmtpSink()) {
            System.out.println(
                    budgets == null
                            ? "CPU: unconstrained (every worker, the database and the sink share"
                                    + " the machine's cores with whatever else runs)"
                            : String.format(
                                    "CPU budget: each worker JVM in a cgroup of its own with a"
                                            + " hard quota of %.2f of a core (%d ms per 100 ms);"
                                            + " the sink and the database in a cgroup of high"
                                            + " weight without quota",
                                    cpus, Math.round(cpus * 100)));
            Bench bench =
                    new Bench(
                            jdbi,
                            url,
                            campaigns,
                            warm,
                            tenant,
                            recipients,
                            products,
                            sink,
                            budgets,
                            logs);
            if (before != null) {
                compare(bench, settings.get(0), before, reps);
            } else {
                scale(bench, settings, kills);
            }
        }
        System.exit(0);
    }

    /** 1, 2 and 3 workers on one campaign, then the kills. */
    private static void scale(Bench bench, List<Setting> settings, int kills) throws Exception {
        String classpath = System.getProperty("java.class.path");
        Setting best = settings.get(0);
        Result baseline = null;
        for (Setting setting : settings) {
            Result result = measure(bench, 1, setting, classpath, "1 worker " + setting);
            System.out.printf(
                    "1 worker(s), settings %s: %,d sent in %.1f s, %,.0f msg/s; %s%n",
                    setting, bench.recipients(), result.seconds(), result.rate(), result.cpu());
            if (baseline == null || result.rate() > baseline.rate()) {
                baseline = result;
                best = setting;
            }
        }
        Map<Integer, Result> results = new TreeMap<>();
        results.put(1, baseline);
        if (settings.size() > 1) {
            System.out.printf("fastest for one worker: %s, the baseline and everyone's%n", best);
        }
        for (int workers = 2; workers <= 3; workers++) {
            Result result = measure(bench, workers, best, classpath, workers + " workers");
            results.put(workers, result);
            System.out.printf(
                    "%d worker(s), settings %s: %,d sent in %.1f s, %,.0f msg/s; sent per worker"
                            + " %s; %s%n",
                    workers,
                    best,
                    bench.recipients(),
                    result.seconds(),
                    result.rate(),
                    result.sentPerWorker().values(),
                    result.cpu());
        }
        // One worker once more, after the others: the baseline is the better of its two runs, so
        // it is not the one run on a colder database or alone paying for what runs first.
        Result again = measure(bench, 1, best, classpath, "1 worker again");
        System.out.printf(
                "1 worker(s) again, settings %s: %,d sent in %.1f s, %,.0f msg/s; %s%n",
                best, bench.recipients(), again.seconds(), again.rate(), again.cpu());
        if (again.rate() > baseline.rate()) {
            baseline = again;
            results.put(1, again);
        }
        List<Double> takeovers = new ArrayList<>();
        for (int kill = 1; kill <= kills; kill++) {
            List<Worker> started = start(bench, 3, best, classpath, "kill" + kill);
            try {
                awaitLive(bench.jdbi(), started);
                sendAll(bench, bench.warm(), "warm-up before kill " + kill);
                long before = bench.sink().received();
                takeovers.add(killOne(bench, started, before));
            } finally {
                stop(started);
            }
        }
        double base = baseline.rate();
        System.out.println();
        System.out.println(
                "| workers | msg/s | ratio to 1 worker | CPU used per worker (cores) |"
                        + " sink + database (cores) |");
        System.out.println("|---|---|---|---|---|");
        results.forEach(
                (workers, result) ->
                        System.out.printf(
                                "| %d | %,.0f | %.2f | %s | %.2f |%n",
                                workers,
                                result.rate(),
                                result.rate() / base,
                                result.workerCores().stream()
                                        .map(c -> String.format("%.2f", c))
                                        .collect(Collectors.joining(" / ")),
                                result.infraCores()));
        if (!takeovers.isEmpty()) {
            System.out.printf(
                    "takeover after SIGKILL (heartbeat timeout %.1f s): %s s, worst %.2f s%n",
                    HEARTBEAT_TIMEOUT.toMillis() / 1000.0,
                    takeovers.stream().map(t -> String.format("%.2f", t)).toList(),
                    takeovers.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        }
    }

    /** One worker of an earlier build (A) against one of this build (B), A B A B. */
    private static void compare(Bench bench, Setting setting, String before, int reps)
            throws Exception {
        String after = System.getProperty("java.class.path");
        List<Double> ratios = new ArrayList<>();
        List<Double> beforeRates = new ArrayList<>();
        List<Double> afterRates = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            Result a = measure(bench, 1, setting, before, "before " + rep);
            Result b = measure(bench, 1, setting, after, "after " + rep);
            beforeRates.add(a.rate());
            afterRates.add(b.rate());
            ratios.add(b.rate() / a.rate());
            System.out.printf(
                    "rep %d: before %,.0f msg/s (%s); after %,.0f msg/s (%s); after/before %.2f%n",
                    rep, a.rate(), a.cpu(), b.rate(), b.cpu(), b.rate() / a.rate());
        }
        System.out.printf(
                "one worker, settings %s: before %s msg/s, after %s msg/s; after/before median"
                        + " %.2f (min %.2f, max %.2f)%n",
                setting,
                beforeRates.stream().map(r -> String.format("%,.0f", r)).toList(),
                afterRates.stream().map(r -> String.format("%,.0f", r)).toList(),
                median(ratios),
                ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Starts {@code workers} workers, warms them up, sends the bench campaign with them and checks
     * that every recipient got it once; the rate is from the launch's commit (planning is the same
     * for every configuration) to the run's completion.
     */
    private static Result measure(
            Bench bench, int workers, Setting setting, String classpath, String name)
            throws Exception {
        List<Worker> started =
                start(bench, workers, setting, classpath, name.replaceAll("[^A-Za-z0-9]", "-"));
        try {
            awaitLive(bench.jdbi(), started);
            sendAll(bench, bench.warm(), "warm-up " + name);
            long before = bench.sink().received();
            List<Duration> workerCpu = new ArrayList<>();
            List<Long> throttled = new ArrayList<>();
            List<Long> periods = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                workerCpu.add(cpu(started.get(i).process().toHandle()));
                if (bench.budgets() != null) {
                    throttled.add(bench.budgets().throttledPeriods(i + 1));
                    periods.add(bench.budgets().periods(i + 1));
                }
            }
            Duration infraCpu = infraCpu(bench, started);
            SendLedger.Run run = launch(bench, bench.tenant(), name);
            long start = System.nanoTime();
            awaitCompleted(bench.jdbi(), run);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Double> cores = new ArrayList<>();
            List<Double> throttledShare = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                Duration used = cpu(started.get(i).process().toHandle()).minus(workerCpu.get(i));
                cores.add(used.toMillis() / 1000.0 / seconds);
                if (bench.budgets() != null) {
                    long ran = bench.budgets().periods(i + 1) - periods.get(i);
                    long held = bench.budgets().throttledPeriods(i + 1) - throttled.get(i);
                    throttledShare.add(ran == 0 ? 0 : (double) held / ran);
                }
            }
            double infraCores =
                    infraCpu(bench, started).minus(infraCpu).toMillis() / 1000.0 / seconds;
            Map<String, Long> shares = sentByWorker(bench.jdbi(), run);
            check(bench.jdbi(), run, bench.recipients(), bench.sink().received() - before, 0);
            return new Result(
                    seconds,
                    bench.recipients() / seconds,
                    shares,
                    cores,
                    throttledShare,
                    infraCores);
        } finally {
            stop(started);
        }
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** CPU used so far by this JVM (the sink) and the database: every process but the workers. */
    private static Duration infraCpu(Bench bench, List<Worker> workers) {
        List<Long> workerPids = workers.stream().map(w -> w.process().pid()).toList();
        Duration total = cpu(ProcessHandle.current());
        for (ProcessHandle process :
                ProcessHandle.current()
                        .descendants()
                        .filter(p -> !workerPids.contains(p.pid()))
                        .toList()) {
            total = total.plus(cpu(process));
        }
        return total;
    }

    /**
     * Three workers send a campaign; the last (by id) is killed a third of the way through; returns
     * the seconds until the survivors recovered its sends in flight and claimed one of its share.
     */
    private static double killOne(Bench bench, List<Worker> workers, long receivedBefore)
            throws InterruptedException {
        Jdbi jdbi = bench.jdbi();
        int recipients = bench.recipients();
        SmtpSink sink = bench.sink();
        SendLedger.Run run = launch(bench, bench.tenant(), "kill");
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

    private static SendLedger.Run sendAll(Bench bench, String tenantId, String name)
            throws InterruptedException {
        SendLedger.Run run = launch(bench, tenantId, name);
        awaitCompleted(bench.jdbi(), run);
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
            int customers,
            boolean products) {
        String tenantId = tenants.createTenant(name, "UTC").tenant().tenantId();
        CampaignSendBenchmark.addCustomers(jdbi, tenantId, customers);
        if (products) {
            addSignals(jdbi, tenantId, customers);
        }
        campaigns.putSenderIdentity(
                tenantId,
                new SenderIdentity("offers@souq.example", "Souq", null, "1 Souq St", null, null));
        return tenantId;
    }

    /**
     * A campaign to all of the tenant's customers, due now, unthrottled, no holdout, capped at 100
     * emails a day per customer (a bench run sends each customer up to 7 + 2 × KILLS campaigns).
     */
    private static SendLedger.Run launch(Bench bench, String tenantId, String name) {
        CampaignService campaigns = bench.campaigns();
        String productBlock = bench.products() ? "{{{productBlock}}}" : "";
        String productText = bench.products() ? "{{productBlock}}" : "";
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
                                                + productBlock
                                                + "<p>Code {{couponCode}}</p></body></html>",
                                        "Eid Mubarak!\nYour usual box is waiting.\n"
                                                + productText
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

    /**
     * A catalog of {@value #PRODUCTS} products and, for each customer, a product view and a
     * purchase a few days ago: what an email's rows are built from (the tenant's best sellers are
     * its model until one is trained), so each email's signal queries find rows.
     */
    private static void addSignals(Jdbi jdbi, String tenantId, int customers) {
        Instant now = Instant.now();
        List<ProductDao.ProductRow> catalog = new ArrayList<>();
        for (int p = 0; p < PRODUCTS; p++) {
            catalog.add(
                    new ProductDao.ProductRow(
                            "p-" + p,
                            "Dates box no. " + p,
                            null,
                            "dates",
                            new BigDecimal("9.50"),
                            "USD",
                            true,
                            null,
                            false,
                            "https://souq.example/p-" + p + ".jpg",
                            "https://souq.example/p-" + p,
                            null,
                            now,
                            now));
        }
        jdbi.useExtension(ProductDao.class, dao -> dao.upsert(tenantId, 1, catalog));
        for (int from = 0; from < customers; from += 1_000) {
            int first = from;
            int last = Math.min(customers, from + 1_000);
            jdbi.useHandle(
                    handle -> {
                        PreparedBatch events =
                                handle.prepareBatch(
                                        "INSERT INTO events (tenant_id, message_id, type,"
                                                + " customer_id, product_id, occurred_at,"
                                                + " received_at, payload) VALUES (?, ?,"
                                                + " 'product_viewed', ?, ?, ?, ?, '{}')");
                        PreparedBatch lines =
                                handle.prepareBatch(
                                        "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                                + " customer_id, order_id, product_id, quantity,"
                                                + " unit_price, currency, occurred_at) VALUES"
                                                + " (?, ?, 1, ?, ?, ?, 1, 9.5, 'USD', ?)");
                        for (int c = first; c < last; c++) {
                            Instant at = now.minus(Duration.ofDays(1 + c % 20));
                            events.add(tenantId, "v-" + c, "c-" + c, "p-" + (c % PRODUCTS), at, at);
                            lines.add(
                                    tenantId,
                                    "o-" + c,
                                    "c-" + c,
                                    "o-" + c,
                                    "p-" + ((c * 7) % PRODUCTS),
                                    at.minus(Duration.ofDays(1)));
                        }
                        events.execute();
                        lines.execute();
                    });
        }
    }

    /** A worker process and its id (its heartbeat's). */
    private record Worker(Process process, String id) {}

    private static List<Worker> start(
            Bench bench, int count, Setting setting, String classpath, String name)
            throws IOException {
        String url = bench.url();
        int smtpPort = bench.sink().port();
        Path logs = bench.logs();
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
            settings.put("sending.concurrency", Integer.toString(setting.concurrency()));
            settings.put("sending.claimBatch", Integer.toString(setting.claimBatch()));
            settings.put("sending.heartbeatMillis", Long.toString(HEARTBEAT.toMillis()));
            settings.put(
                    "sending.heartbeatTimeoutMillis", Long.toString(HEARTBEAT_TIMEOUT.toMillis()));
            settings.forEach((key, value) -> command.add("-Ddw." + key + "=" + value));
            command.addAll(
                    List.of(
                            "-cp",
                            classpath,
                            CampaignWorkerApplication.class.getName(),
                            "server",
                            Path.of("config", "campaign-worker.yml").toAbsolutePath().toString()));
            Process process =
                    new ProcessBuilder(
                                    bench.budgets() == null
                                            ? command
                                            : bench.budgets().inWorkerGroup(i, command))
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
