package io.hilal.sdk.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.Callback;
import io.hilal.sdk.DeliveryStats;
import io.hilal.sdk.Event;
import io.hilal.sdk.HilalException;
import io.hilal.sdk.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The event pipeline behind {@code HilalClient.track}: a bounded queue, one flusher thread that
 * sends batches (by count, bytes and time) and retries them with the same message ids and batch id,
 * and the optional on-disk spool.
 *
 * <p>Order and draining: while the spool holds anything, new batches are written behind it rather
 * than sent, so events reach Hilal in the order they were tracked. The spool drains on the
 * flusher's own clock, between queue items, whatever the traffic: while Hilal seems down one
 * attempt probes it every spool retry interval (measured from the first failure, not pushed back by
 * new batches), and once it answers the spool is sent oldest first, a few batches per turn of the
 * loop. Batches refused with 401 or 403 go to the spool too (a rotated key loses nothing: start
 * with the right key and the spool replays them).
 *
 * <p>Nothing is dropped silently: every final outcome goes to the callback, is counted in {@link
 * DeliveryStats}, and failures and rejections are logged. Not part of the SDK's API.
 */
public final class EventPipeline {
    /** Hilal's limit for events in one batch. */
    public static final int MAX_BATCH_EVENTS = 1000;

    /** The largest batch body the client sends (Hilal accepts 512,000 bytes). */
    public static final int MAX_BATCH_BYTES = 500_000;

    /** Spooled batches sent per turn of the loop, so queued events keep moving meanwhile. */
    private static final int SPOOL_FILES_PER_TURN = 8;

    private static final byte[] BATCH_START = "{\"events\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BATCH_END = "]}".getBytes(StandardCharsets.UTF_8);
    private static final RequestOptions ONE_ATTEMPT =
            RequestOptions.builder().maxAttempts(1).build();
    private static final Duration ABANDON_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The pipeline's settings.
     *
     * @param flushAt events per batch
     * @param flushInterval the longest an event waits for its batch to fill
     * @param queueCapacity events waiting in memory
     * @param spoolRetryInterval how often a down Hilal is probed
     */
    public record Settings(
            int flushAt, Duration flushInterval, int queueCapacity, Duration spoolRetryInterval) {}

    /**
     * An event ready to queue: the event and its JSON.
     *
     * @param event the event
     * @param json its JSON
     */
    public record Queued(Event event, byte[] json) {}

    private record FlushMarker(CountDownLatch done) {}

    private record Stop(long deadlineNanos) {}

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final BlockingQueue<Object> queue;
    private final int flushAt;
    private final long flushIntervalNanos;
    private final Callback callback;
    private final DiskSpool spool;
    private final long spoolRetryNanos;
    private final Function<Map<String, Object>, Event> restore;
    private final System.Logger log;
    private final DeliveryCounters counters = new DeliveryCounters();
    private final Thread flusher;

    // State of the flusher thread, touched by it alone.
    private boolean degraded;
    private long nextProbe;
    private boolean stopping;

    /**
     * Starts the flusher thread, which first sends what the spool holds.
     *
     * @param transport HTTP to Hilal
     * @param mapper parses answers and spooled batches
     * @param settings batch and queue sizes
     * @param callback told each event's outcome
     * @param spool the spool, or null
     * @param restore turns a spooled event's fields back into an event
     * @param log where failures and outages are logged
     */
    public EventPipeline(
            HttpTransport transport,
            ObjectMapper mapper,
            Settings settings,
            Callback callback,
            DiskSpool spool,
            Function<Map<String, Object>, Event> restore,
            System.Logger log) {
        this.transport = transport;
        this.mapper = mapper;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.flushAt = settings.flushAt();
        this.flushIntervalNanos = settings.flushInterval().toNanos();
        this.callback = callback;
        this.spool = spool;
        this.spoolRetryNanos = settings.spoolRetryInterval().toNanos();
        this.restore = restore;
        this.log = log;
        this.flusher = new Thread(this::flushLoop, "hilal-flusher");
        // A daemon, so a forgotten close() does not keep the JVM alive; the optional shutdown hook
        // (HilalClient.Builder.shutdownHook) is what flushes at exit.
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /**
     * Queues an event, waiting for room.
     *
     * @param queued the event
     * @throws InterruptedException when interrupted while waiting
     */
    public void put(Queued queued) throws InterruptedException {
        queue.put(queued);
    }

    /**
     * Queues an event if there is room.
     *
     * @param queued the event
     * @return false when the queue is full
     */
    public boolean offer(Queued queued) {
        return queue.offer(queued);
    }

    /**
     * Blocks until what was queued before was sent, failed or spooled, and while Hilal answers
     * until the spool is sent too.
     *
     * @throws InterruptedException when interrupted
     */
    public void flush() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        queue.put(new FlushMarker(done));
        while (!done.await(100, TimeUnit.MILLISECONDS)) {
            if (!flusher.isAlive()) {
                return;
            }
        }
    }

    /**
     * Sends what is queued (and, while Hilal answers, the spool) within {@code timeout}, then stops
     * the flusher; what is left goes to the spool, or fails with {@code client_closed}.
     *
     * @param timeout the deadline
     * @return the counts after closing
     */
    public DeliveryStats close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (queue.offer(new Stop(deadline), timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                flusher.join(Math.max(1, remainingMillis(deadline)));
            }
            if (flusher.isAlive()) {
                flusher.interrupt();
                flusher.join(ABANDON_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            flusher.interrupt();
            Thread.currentThread().interrupt();
        } finally {
            if (spool != null && !flusher.isAlive()) {
                spool.close();
            }
        }
        DeliveryStats stats = stats();
        if (stats.failed() > 0 || stats.spoolBatches() > 0) {
            log.log(
                    System.Logger.Level.WARNING,
                    "Hilal client closed: {0} events were not delivered in all (failed, see the"
                            + " earlier warnings); {1} batches wait in the spool for the next"
                            + " client on it",
                    stats.failed(),
                    stats.spoolBatches());
        }
        return stats;
    }

    /**
     * The counts so far.
     *
     * @return the counts
     */
    public DeliveryStats stats() {
        return counters.snapshot(spool == null ? 0 : spool.files());
    }

    private static long remainingMillis(long deadlineNanos) {
        return (deadlineNanos - System.nanoTime()) / 1_000_000;
    }

    // ---------------------------------------------------------------- the flusher thread

    private void flushLoop() {
        List<Queued> batch = new ArrayList<>();
        int bytes = BATCH_START.length + BATCH_END.length;
        long deadline = System.nanoTime() + flushIntervalNanos;
        try {
            drainSpool(Integer.MAX_VALUE, Long.MAX_VALUE);
            while (!stopping) {
                long now = System.nanoTime();
                long wait = deadline - now;
                if (spoolWaiting()) {
                    wait = Math.min(wait, degraded ? nextProbe - now : 0);
                }
                Object next = queue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (next instanceof Queued queued) {
                    if (!batch.isEmpty() && bytes + queued.json().length + 1 > MAX_BATCH_BYTES) {
                        deliver(batch);
                        batch = new ArrayList<>();
                        bytes = BATCH_START.length + BATCH_END.length;
                    }
                    batch.add(queued);
                    bytes += queued.json().length + (batch.size() > 1 ? 1 : 0);
                    if (batch.size() >= flushAt) {
                        deliver(batch);
                        batch = new ArrayList<>();
                        bytes = BATCH_START.length + BATCH_END.length;
                        deadline = System.nanoTime() + flushIntervalNanos;
                    }
                } else if (next instanceof FlushMarker marker) {
                    deliver(batch);
                    batch = new ArrayList<>();
                    bytes = BATCH_START.length + BATCH_END.length;
                    deadline = System.nanoTime() + flushIntervalNanos;
                    drainSpool(Integer.MAX_VALUE, Long.MAX_VALUE);
                    marker.done().countDown();
                } else if (next instanceof Stop stop) {
                    deliver(batch);
                    batch = new ArrayList<>();
                    // While Hilal answers, send the spool too, within the close deadline.
                    drainSpool(Integer.MAX_VALUE, stop.deadlineNanos());
                    break;
                } else if (System.nanoTime() - deadline >= 0) {
                    deliver(batch);
                    batch = new ArrayList<>();
                    bytes = BATCH_START.length + BATCH_END.length;
                    deadline = System.nanoTime() + flushIntervalNanos;
                }
                // The spool's own clock: whatever came (or did not come) from the queue.
                drainSpool(SPOOL_FILES_PER_TURN, Long.MAX_VALUE);
            }
        } catch (InterruptedException e) {
            stopping = true;
        } catch (RuntimeException | Error e) {
            log.log(System.Logger.Level.ERROR, "Hilal flusher stopped unexpectedly", e);
        }
        Thread.interrupted(); // spooling below must not be cut short
        abandon(batch);
    }

    private boolean spoolWaiting() {
        return spool != null && !spool.isEmpty();
    }

    /** What is left when the flusher stops: spooled if there is a spool, else failed. */
    private void abandon(List<Queued> batch) {
        List<Object> rest = new ArrayList<>();
        queue.drainTo(rest);
        List<Queued> left = new ArrayList<>(batch);
        for (Object item : rest) {
            if (item instanceof Queued queued) {
                left.add(queued);
            } else if (item instanceof FlushMarker marker) {
                marker.done().countDown();
            }
        }
        HilalException closedError =
                new HilalException(
                        0,
                        "client_closed",
                        "The client closed before the event was sent",
                        null,
                        true,
                        List.of());
        List<Queued> chunk = new ArrayList<>();
        int bytes = BATCH_START.length + BATCH_END.length;
        for (Queued queued : left) {
            if (!chunk.isEmpty()
                    && (chunk.size() >= MAX_BATCH_EVENTS
                            || bytes + queued.json().length + 1 > MAX_BATCH_BYTES)) {
                abandonChunk(chunk, closedError);
                chunk = new ArrayList<>();
                bytes = BATCH_START.length + BATCH_END.length;
            }
            chunk.add(queued);
            bytes += queued.json().length + 1;
        }
        abandonChunk(chunk, closedError);
    }

    private void abandonChunk(List<Queued> chunk, HilalException closedError) {
        if (chunk.isEmpty()) {
            return;
        }
        List<Event> events = events(chunk);
        if (spool != null) {
            spoolBatch(events, "batch_" + UUID.randomUUID(), body(chunk));
        } else {
            failed(events, closedError);
        }
    }

    /** One live batch, retried by the transport with the same body and batch id. */
    private void deliver(List<Queued> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Event> events = events(batch);
        byte[] body = body(batch);
        String batchId = "batch_" + UUID.randomUUID();
        if (spool != null && !spool.isEmpty()) {
            // Behind what the spool holds, so events arrive in order; the spool's own clock sends
            // it (and probes Hilal while it is down).
            spoolBatch(events, batchId, body);
            return;
        }
        try {
            report(events, transport.send("POST", "v1/events", body, batchId));
        } catch (HilalException e) {
            boolean interrupted = Thread.interrupted();
            stopping |= interrupted;
            if (spool != null && (interrupted || e.retryable() || keyRefused(e))) {
                enterOutage(e);
                spoolBatch(events, batchId, body);
            } else {
                failed(events, e);
            }
        } catch (RuntimeException e) {
            failed(events, new HilalException.HilalConnectionException(e.toString(), e));
        }
    }

    /** 401 or 403: fixing the key (and restarting on the same spool) replays the batch. */
    private static boolean keyRefused(HilalException e) {
        return e instanceof HilalException.AuthenticationException
                || e instanceof HilalException.PermissionException;
    }

    /** Hilal seems down (or refuses the key): probe it from now on, every retry interval. */
    private void enterOutage(HilalException e) {
        if (stopping) {
            return;
        }
        if (!degraded) {
            log.log(
                    System.Logger.Level.WARNING,
                    "Hilal cannot take events ({0}: {1}); spooling them and trying again every"
                            + " {2} ms",
                    e.code(),
                    e.getMessage(),
                    spoolRetryNanos / 1_000_000);
            degraded = true;
            // Measured from the first failure only: new batches do not push the probe back.
            nextProbe = System.nanoTime() + spoolRetryNanos;
        }
    }

    private void spoolBatch(List<Event> events, String batchId, byte[] body) {
        HilalException error;
        try {
            if (spool.write(batchId, body)) {
                counters.spooled(events.size());
                events.forEach(event -> notify(c -> c.spooled(event)));
                return;
            }
            error =
                    new HilalException(
                            0,
                            "spool_full",
                            "Hilal is unreachable and the spool is full",
                            null,
                            false,
                            List.of());
        } catch (UncheckedIOException e) {
            error =
                    new HilalException(
                            0,
                            "spool_failed",
                            "Could not write to the spool: " + e.getCause().getMessage(),
                            null,
                            false,
                            List.of());
            error.initCause(e);
        }
        failed(events, error);
    }

    /**
     * Sends up to {@code maxFiles} spooled batches, oldest first, until {@code untilNanos}. While
     * Hilal seems down, one attempt every spool retry interval probes it; the first success sends
     * the rest.
     */
    private void drainSpool(int maxFiles, long untilNanos) {
        if (spool == null) {
            return;
        }
        for (int sent = 0;
                sent < maxFiles
                        && !stopping
                        && !spool.isEmpty()
                        && (untilNanos == Long.MAX_VALUE || System.nanoTime() - untilNanos < 0);
                sent++) {
            boolean probe = degraded;
            if (probe && System.nanoTime() - nextProbe < 0) {
                return;
            }
            DiskSpool.Entry entry;
            try {
                entry = spool.oldest();
            } catch (UncheckedIOException e) {
                log.log(System.Logger.Level.WARNING, "Hilal spool unreadable", e);
                degraded = true;
                nextProbe = System.nanoTime() + spoolRetryNanos;
                return;
            }
            if (entry == null) {
                return;
            }
            List<Event> events = parseBatch(entry.body());
            if (events == null) {
                spool.setAside(entry, "corrupt", "is not an events batch");
                continue;
            }
            JsonNode answer;
            try {
                answer =
                        transport.send(
                                "POST",
                                "v1/events",
                                entry.body(),
                                entry.batchId(),
                                probe ? ONE_ATTEMPT : RequestOptions.DEFAULT);
            } catch (HilalException e) {
                if (Thread.interrupted()) {
                    stopping = true;
                    return;
                }
                if (e.retryable() || keyRefused(e)) {
                    enterOutage(e);
                    nextProbe = System.nanoTime() + spoolRetryNanos;
                    return;
                }
                spool.setAside(entry, "rejected", "was refused by Hilal (" + e.code() + ")");
                failed(events, e);
                continue;
            }
            if (degraded) {
                degraded = false;
                log.log(
                        System.Logger.Level.INFO,
                        "Hilal answers again; sending the {0} spooled batches",
                        spool.files());
            }
            try {
                spool.remove(entry);
            } catch (UncheckedIOException e) {
                // It will be sent again; Hilal answers "duplicate" for each event.
                log.log(System.Logger.Level.WARNING, "Hilal spool: cannot delete a sent batch", e);
            }
            report(events, answer);
        }
    }

    private List<Event> parseBatch(byte[] body) {
        try {
            JsonNode events = mapper.readTree(body).path("events");
            if (!events.isArray() || events.isEmpty()) {
                return null;
            }
            List<Event> restored = new ArrayList<>();
            for (JsonNode event : events) {
                if (!event.isObject()) {
                    return null;
                }
                restored.add(
                        restore.apply(
                                mapper.convertValue(
                                        event, new TypeReference<Map<String, Object>>() {})));
            }
            return restored;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** One callback per event, from Hilal's per-event results (in request order). */
    private void report(List<Event> events, JsonNode answer) {
        JsonNode results = answer == null ? null : answer.get("results");
        int rejected = 0;
        String firstRejection = null;
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            JsonNode result = results == null ? null : results.get(i);
            if (result != null && !event.messageId().equals(result.path("messageId").asText())) {
                result = null;
                for (JsonNode candidate : results) {
                    if (event.messageId().equals(candidate.path("messageId").asText())) {
                        result = candidate;
                        break;
                    }
                }
            }
            String status = result == null ? "accepted" : result.path("status").asText();
            switch (status) {
                case "duplicate" -> {
                    counters.duplicate();
                    notify(c -> c.duplicate(event));
                }
                case "rejected" -> {
                    String reason = result.path("reason").asText();
                    counters.rejected();
                    rejected++;
                    if (firstRejection == null) {
                        firstRejection = event.messageId() + ": " + reason;
                    }
                    notify(c -> c.rejected(event, reason));
                }
                default -> {
                    counters.accepted();
                    notify(c -> c.accepted(event));
                }
            }
        }
        if (rejected > 0) {
            log.log(
                    System.Logger.Level.WARNING,
                    "Hilal rejected {0} of {1} events of a batch (first: {2})",
                    rejected,
                    events.size(),
                    firstRejection);
        }
    }

    private void failed(List<Event> events, HilalException error) {
        counters.failed(events.size());
        log.log(
                System.Logger.Level.WARNING,
                "Hilal: {0} events not delivered ({1}: {2}); {3} dropped in all",
                events.size(),
                error.code(),
                error.getMessage(),
                counters.failedSoFar());
        events.forEach(event -> notify(c -> c.failed(event, error)));
    }

    private void notify(Consumer<Callback> call) {
        try {
            call.accept(callback);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "A Hilal callback threw; ignored", e);
        }
    }

    private static List<Event> events(List<Queued> batch) {
        List<Event> events = new ArrayList<>(batch.size());
        for (Queued queued : batch) {
            events.add(queued.event());
        }
        return events;
    }

    private static byte[] body(List<Queued> batch) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(BATCH_START);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(batch.get(i).json());
        }
        body.writeBytes(BATCH_END);
        return body.toByteArray();
    }
}
