package io.hilal.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * An open-loop load generator, run in its own JVM so that its threads, allocation and collections
 * are not the measured service's: requests go out on a fixed schedule (RATE per second) whatever
 * the answers do, and each latency is counted from the request's intended send time, so a stall of
 * the service shows in full instead of slowing the generator down (no coordinated omission).
 *
 * <p>Each of CONNECTIONS threads sends its share of the schedule over a kept-alive HTTP/1.1
 * connection from a pool of CONNECTIONS and waits for the answer; while all are busy, the next
 * requests start late and that lateness counts.
 *
 * <p>{@code OpenLoopClient BASE_URL KEY PATHS_FILE RATE WARMUP_SECONDS SECONDS CONNECTIONS} prints
 * one line: {@code count errors p50 p90 p99 p99.9 max late-p99} in microseconds, late-p99 being how
 * late the generator itself started the 99th-percentile request. With {@code -Dtimeline=true} it
 * also prints the worst latency of each second to stderr, to tell a steady tail from stalls.
 */
public final class OpenLoopClient {

    public static void main(String[] args) throws Exception {
        ExitOnFailure.install();
        String base = args[0];
        String key = args[1];
        List<String> paths = Files.readAllLines(Path.of(args[2]));
        int rate = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int connections = Integer.parseInt(args[6]);
        CloseableHttpClient http = httpClient(connections);
        List<String> uris = paths.stream().map(path -> base + path).toList();
        String authorization = "Bearer " + key;
        run(http, uris, authorization, rate, warmup, connections);
        Result result = run(http, uris, authorization, rate, seconds, connections);
        Histogram h = result.latency;
        if (Boolean.getBoolean("timeline")) {
            StringBuilder worst = new StringBuilder("worst ms in each second:");
            for (int i = 0; i < seconds; i++) {
                worst.append(' ').append(result.worstPerSecond.get(i) / 1_000_000);
            }
            System.err.println(worst);
        }
        System.out.printf(
                "%d %d %d %d %d %d %d %d%n",
                h.getTotalCount(),
                result.errors,
                h.getValueAtPercentile(50) / 1000,
                h.getValueAtPercentile(90) / 1000,
                h.getValueAtPercentile(99) / 1000,
                h.getValueAtPercentile(99.9) / 1000,
                h.getMaxValue() / 1000,
                result.lateness.getValueAtPercentile(99) / 1000);
        System.exit(0);
    }

    /**
     * Apache's classic blocking client with {@code connections} kept-alive connections: no
     * hand-offs between threads per request, so the load generator's own CPU stays small beside the
     * service's on a 2-core machine. No retries, and, as the SDK, no Accept-Encoding.
     */
    static CloseableHttpClient httpClient(int connections) {
        return HttpClients.custom()
                .setConnectionManager(
                        PoolingHttpClientConnectionManagerBuilder.create()
                                .setMaxConnTotal(connections)
                                .setMaxConnPerRoute(connections)
                                .build())
                .disableAutomaticRetries()
                .disableContentCompression()
                .build();
    }

    /** One GET with the bearer {@code authorization}, its body read and dropped; the status. */
    static int get(CloseableHttpClient http, String uri, String authorization) throws Exception {
        HttpGet get = new HttpGet(uri);
        get.setHeader("Authorization", authorization);
        return http.execute(
                get,
                response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
    }

    private record Result(
            Histogram latency, Histogram lateness, AtomicLongArray worstPerSecond, int errors) {}

    private static Result run(
            CloseableHttpClient http,
            List<String> uris,
            String authorization,
            int rate,
            int seconds,
            int connections)
            throws Exception {
        long interval = 1_000_000_000L / rate;
        int total = rate * seconds;
        long start = System.nanoTime() + 100_000_000L;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLongArray worstPerSecond = new AtomicLongArray(seconds + 1);
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        List<Future<Histogram[]>> parts = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            parts.add(
                    threads.submit(
                            () -> {
                                Histogram latency = new Histogram(60_000_000_000L, 3);
                                Histogram lateness = new Histogram(60_000_000_000L, 3);
                                for (int i = next.getAndIncrement();
                                        i < total;
                                        i = next.getAndIncrement()) {
                                    long intended = start + i * interval;
                                    long wait = intended - System.nanoTime();
                                    if (wait > 0) {
                                        LockSupport.parkNanos(wait);
                                    }
                                    lateness.recordValue(Math.max(0, System.nanoTime() - intended));
                                    try {
                                        int status =
                                                get(http, uris.get(i % uris.size()), authorization);
                                        if (status != 200) {
                                            errors.incrementAndGet();
                                        }
                                    } catch (Exception e) {
                                        errors.incrementAndGet();
                                    }
                                    long took = Math.max(0, System.nanoTime() - intended);
                                    latency.recordValue(took);
                                    worstPerSecond.accumulateAndGet(
                                            (int) ((intended - start) / 1_000_000_000L),
                                            took,
                                            Math::max);
                                }
                                return new Histogram[] {latency, lateness};
                            }));
        }
        Histogram latency = new Histogram(60_000_000_000L, 3);
        Histogram lateness = new Histogram(60_000_000_000L, 3);
        for (Future<Histogram[]> part : parts) {
            Histogram[] histograms = part.get();
            latency.add(histograms[0]);
            lateness.add(histograms[1]);
        }
        threads.shutdown();
        return new Result(latency, lateness, worstPerSecond, errors.get());
    }
}
