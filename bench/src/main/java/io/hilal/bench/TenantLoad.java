package io.hilal.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The open-loop load of many tenants at once, in a JVM of its own (as {@link OpenLoopClient}, whose
 * pattern it extends to several tenants and two kinds of request): every tenant of the plan has a
 * rows rate (GET its customers' rows) and an ingest rate (POST batches of new product views and
 * orders); all their requests are merged into one schedule of intended send times, worked by
 * THREADS threads over kept-alive connections; each latency counts from the intended send time, so
 * a stall shows in full (no coordinated omission) and is charged to the tenant who waited.
 *
 * <p>{@code TenantLoad PLAN_FILE SECONDS THREADS RUN_ID}: each plan line is {@code name base_url
 * api_key rows_per_second events_per_second events_per_request customers products}. Prints one line
 * per tenant: {@code name rows_offered rows_ok rows_p50 rows_p99 ingest_offered ingest_ok
 * ingest_429 ingest_p50 ingest_p99 events_accepted} (latencies in microseconds), then {@code
 * late-p99 <us>}: how late the generator itself started its 99th-percentile request.
 */
public final class TenantLoad {
    private record Plan(
            String name,
            String base,
            String key,
            double rowsRate,
            double eventsRate,
            int batch,
            int customers,
            int products) {}

    /** One scheduled request: which tenant, rows or ingest, when. */
    private record Shot(long at, int tenant, boolean rows) {}

    private static final class Tally {
        final Histogram rows = new Histogram(120_000_000_000L, 3);
        final Histogram ingest = new Histogram(120_000_000_000L, 3);
        final AtomicLong rowsOffered = new AtomicLong();
        final AtomicLong rowsOk = new AtomicLong();
        final AtomicLong ingestOffered = new AtomicLong();
        final AtomicLong ingestOk = new AtomicLong();
        final AtomicLong ingestLimited = new AtomicLong();
        final AtomicLong events = new AtomicLong();
    }

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        List<Plan> plans = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split(" ");
            plans.add(
                    new Plan(
                            f[0],
                            f[1],
                            f[2],
                            Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]),
                            Integer.parseInt(f[5]),
                            Integer.parseInt(f[6]),
                            Integer.parseInt(f[7])));
        }
        int seconds = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        String runId = args[3];
        CloseableHttpClient http = OpenLoopClient.httpClient(threads);
        // One untimed request of each kind per tenant first: class loading, the JIT and the
        // connections are this JVM's start-up, not the service's latency.
        java.util.SplittableRandom warm = new java.util.SplittableRandom(0);
        for (Plan plan : plans) {
            OpenLoopClient.get(http, plan.base + "/v1/customers/c-0/rows", "Bearer " + plan.key);
            fire(
                    http,
                    plan,
                    new Tally(),
                    new Shot(System.nanoTime(), 0, false),
                    warm,
                    runId + "-warm",
                    new AtomicLong());
        }
        long start = System.nanoTime() + 500_000_000L;
        List<Shot> shots = new ArrayList<>();
        for (int t = 0; t < plans.size(); t++) {
            Plan plan = plans.get(t);
            // Each tenant's stream starts at its own offset within its interval, so tenants of
            // the same rate do not all fire in the same microsecond.
            double phase = (t * 0.618033988749895) % 1.0;
            schedule(shots, start, seconds, plan.rowsRate, phase, t, true);
            schedule(shots, start, seconds, plan.eventsRate / plan.batch, phase, t, false);
        }
        shots.sort((a, b) -> Long.compare(a.at, b.at));
        Tally[] tallies = new Tally[plans.size()];
        for (int t = 0; t < tallies.length; t++) {
            tallies[t] = new Tally();
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong sequence = new AtomicLong();
        Histogram lateness = new Histogram(120_000_000_000L, 3);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> parts = new ArrayList<>();
        for (int c = 0; c < threads; c++) {
            parts.add(
                    pool.submit(
                            () -> {
                                java.util.SplittableRandom random =
                                        new java.util.SplittableRandom(sequence.incrementAndGet());
                                for (int i = next.getAndIncrement();
                                        i < shots.size();
                                        i = next.getAndIncrement()) {
                                    Shot shot = shots.get(i);
                                    long wait = shot.at - System.nanoTime();
                                    if (wait > 0) {
                                        LockSupport.parkNanos(wait);
                                    }
                                    synchronized (lateness) {
                                        lateness.recordValue(
                                                Math.max(0, System.nanoTime() - shot.at));
                                    }
                                    fire(
                                            http,
                                            plans.get(shot.tenant),
                                            tallies[shot.tenant],
                                            shot,
                                            random,
                                            runId,
                                            sequence);
                                }
                                return null;
                            }));
        }
        for (Future<?> part : parts) {
            part.get();
        }
        pool.shutdown();
        for (int t = 0; t < plans.size(); t++) {
            Tally x = tallies[t];
            System.out.printf(
                    "tenant %s %d %d %d %d %d %d %d %d %d %d%n",
                    plans.get(t).name,
                    x.rowsOffered.get(),
                    x.rowsOk.get(),
                    x.rows.getValueAtPercentile(50) / 1000,
                    x.rows.getValueAtPercentile(99) / 1000,
                    x.ingestOffered.get(),
                    x.ingestOk.get(),
                    x.ingestLimited.get(),
                    x.ingest.getValueAtPercentile(50) / 1000,
                    x.ingest.getValueAtPercentile(99) / 1000,
                    x.events.get());
        }
        System.out.printf("late-p99 %d%n", lateness.getValueAtPercentile(99) / 1000);
        System.exit(0);
    }

    private static void schedule(
            List<Shot> shots,
            long start,
            int seconds,
            double rate,
            double phase,
            int tenant,
            boolean rows) {
        if (rate <= 0) {
            return;
        }
        long interval = (long) (1e9 / rate);
        int count = (int) Math.round(rate * seconds);
        long offset = (long) (phase * interval);
        for (int i = 0; i < count; i++) {
            shots.add(new Shot(start + offset + i * interval, tenant, rows));
        }
    }

    private static void fire(
            CloseableHttpClient http,
            Plan plan,
            Tally tally,
            Shot shot,
            java.util.SplittableRandom random,
            String runId,
            AtomicLong sequence) {
        int status;
        if (shot.rows) {
            tally.rowsOffered.incrementAndGet();
            try {
                status =
                        OpenLoopClient.get(
                                http,
                                plan.base
                                        + "/v1/customers/c-"
                                        + random.nextInt(plan.customers)
                                        + "/rows",
                                "Bearer " + plan.key);
            } catch (Exception e) {
                status = -1;
            }
            if (status == 200) {
                tally.rowsOk.incrementAndGet();
            }
            long took = Math.max(0, System.nanoTime() - shot.at);
            synchronized (tally.rows) {
                tally.rows.recordValue(took);
            }
            return;
        }
        tally.ingestOffered.incrementAndGet();
        HttpPost post = new HttpPost(plan.base + "/v1/events");
        post.setHeader("Authorization", "Bearer " + plan.key);
        post.setEntity(
                new StringEntity(
                        batch(plan, random, runId, sequence.incrementAndGet()),
                        ContentType.APPLICATION_JSON));
        try {
            status =
                    http.execute(
                            post,
                            response -> {
                                EntityUtils.consume(response.getEntity());
                                return response.getCode();
                            });
        } catch (Exception e) {
            status = -1;
        }
        if (status == 200) {
            tally.ingestOk.incrementAndGet();
            tally.events.addAndGet(plan.batch);
        } else if (status == 429) {
            tally.ingestLimited.incrementAndGet();
        }
        long took = Math.max(0, System.nanoTime() - shot.at);
        synchronized (tally.ingest) {
            tally.ingest.recordValue(took);
        }
    }

    /** A batch of new events: product views, and one order of 1–3 lines in 30. */
    private static String batch(
            Plan plan, java.util.SplittableRandom random, String runId, long number) {
        StringBuilder json = new StringBuilder(plan.batch * 160).append("{\"events\": [");
        for (int i = 0; i < plan.batch; i++) {
            if (i > 0) {
                json.append(',');
            }
            String id = runId + "-" + number + "-" + i;
            String customer = "c-" + random.nextInt(plan.customers);
            // Skewed popularity, as real catalogs are.
            int product = (int) (plan.products * Math.pow(random.nextDouble(), 2.5));
            json.append("{\"messageId\": \"")
                    .append(id)
                    .append("\", \"customerId\": \"")
                    .append(customer)
                    .append('"');
            if (random.nextInt(30) == 0) {
                json.append(", \"type\": \"order_completed\", \"orderId\": \"o-")
                        .append(id)
                        .append("\", \"lines\": [");
                int lines = 1 + random.nextInt(3);
                for (int l = 0; l < lines; l++) {
                    if (l > 0) {
                        json.append(',');
                    }
                    json.append("{\"productId\": \"p-")
                            .append((product + l * 7) % plan.products)
                            .append("\", \"quantity\": 1, \"unitPrice\": 12.5,")
                            .append(" \"currency\": \"GBP\"}");
                }
                json.append("]}");
            } else {
                json.append(", \"type\": \"product_viewed\", \"productId\": \"p-")
                        .append(product)
                        .append("\"}");
            }
        }
        return json.append("]}").toString();
    }
}
