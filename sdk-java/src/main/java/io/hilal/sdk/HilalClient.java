package io.hilal.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.internal.HttpTransport;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Hilal client. Events go through a bounded queue to one flusher thread that sends them in
 * batches (by count, bytes and time) and retries failures with the same message ids and batch id,
 * so nothing is stored twice. The synchronous methods call the API directly and throw typed {@link
 * HilalException}s.
 *
 * <pre>{@code
 * try (HilalClient hilal = HilalClient.builder(System.getenv("HILAL_API_KEY")).build()) {
 *     hilal.track(Event.orderCompleted("c-42", "o-9")
 *             .line("p1", 2, new BigDecimal("9.50"), "USD").build());
 *     Rows rows = hilal.rows("c-42", RowsParams.builder().rows(3).build());
 * }
 * }</pre>
 */
public final class HilalClient implements AutoCloseable {
    /** Hilal's limit for one event, in bytes of JSON. */
    public static final int MAX_EVENT_BYTES = 32 * 1024;

    /** The largest batch body the client sends (Hilal accepts 512,000 bytes). */
    public static final int MAX_BATCH_BYTES = 500_000;

    /** Hilal's limit for events in one batch. */
    public static final int MAX_BATCH_EVENTS = 1000;

    private static final Object STOP = new Object();

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final BlockingQueue<Object> queue;
    private final int flushAt;
    private final Duration flushInterval;
    private final Callback callback;
    private final Duration closeTimeout;
    private final Thread flusher;
    private volatile boolean closed;

    private record Queued(Event event, byte[] json) {}

    private record FlushMarker(CountDownLatch done) {}

    private HilalClient(Builder builder) {
        this.mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.transport =
                new HttpTransport(
                        HttpClient.newBuilder().connectTimeout(builder.timeout).build(),
                        builder.endpoint,
                        builder.apiKey,
                        builder.timeout,
                        builder.maxAttempts,
                        builder.firstBackoff,
                        builder.maxBackoff,
                        mapper);
        this.queue = new ArrayBlockingQueue<>(builder.queueCapacity);
        this.flushAt = builder.flushAt;
        this.flushInterval = builder.flushInterval;
        this.callback = builder.callback;
        this.closeTimeout = builder.closeTimeout;
        this.flusher = new Thread(this::flushLoop, "hilal-flusher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /**
     * A builder for a client using {@code apiKey} (a key with the {@code ingest} scope to track).
     */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /**
     * Queues an event, waiting for room when the queue is full.
     *
     * @throws IllegalArgumentException at once when the event is over 32 KB as JSON
     */
    public void track(Event event) throws InterruptedException {
        queue.put(prepare(event));
    }

    /** Queues an event if there is room; false (and nothing queued) when the queue is full. */
    public boolean offer(Event event) {
        return queue.offer(prepare(event));
    }

    /** Blocks until every event queued before this call was sent (or failed). */
    public void flush() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        queue.put(new FlushMarker(done));
        done.await();
    }

    /** Flushes (within the close timeout) and stops the flusher thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            flusher.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flusher.interrupt();
    }

    private Queued prepare(Event event) {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        try {
            byte[] json = mapper.writeValueAsBytes(event.fields());
            if (json.length > MAX_EVENT_BYTES) {
                throw new IllegalArgumentException(
                        "event "
                                + event.messageId()
                                + " is "
                                + json.length
                                + " bytes as JSON; Hilal's limit is "
                                + MAX_EVENT_BYTES);
            }
            return new Queued(event, json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be written as JSON", e);
        }
    }

    private void flushLoop() {
        List<Queued> batch = new ArrayList<>();
        int bytes = 0;
        long deadline = System.nanoTime() + flushInterval.toNanos();
        while (true) {
            Object next;
            try {
                long wait = Math.max(0, deadline - System.nanoTime());
                next = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                send(batch);
                return;
            }
            if (next instanceof Queued queued) {
                // envelope {"events":[...]} plus a comma per event
                if (!batch.isEmpty() && bytes + queued.json().length + 1 + 12 > MAX_BATCH_BYTES) {
                    send(batch);
                    batch = new ArrayList<>();
                    bytes = 0;
                }
                batch.add(queued);
                bytes += queued.json().length + 1;
                if (batch.size() >= flushAt) {
                    send(batch);
                    batch = new ArrayList<>();
                    bytes = 0;
                    deadline = System.nanoTime() + flushInterval.toNanos();
                }
            } else if (next instanceof FlushMarker marker) {
                send(batch);
                batch = new ArrayList<>();
                bytes = 0;
                marker.done().countDown();
            } else if (next == STOP) {
                send(batch);
                return;
            } else {
                send(batch);
                batch = new ArrayList<>();
                bytes = 0;
                deadline = System.nanoTime() + flushInterval.toNanos();
            }
        }
    }

    /** One batch, retried by the transport with the same body and batch id. */
    private void send(List<Queued> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(batch.get(i).json());
        }
        body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        try {
            JsonNode answer =
                    transport.send(
                            "POST", "/v1/events", body.toByteArray(), "batch_" + UUID.randomUUID());
            JsonNode results = answer == null ? null : answer.path("results");
            for (int i = 0; i < batch.size(); i++) {
                Event event = batch.get(i).event();
                JsonNode result = results == null ? null : results.get(i);
                String status = result == null ? "accepted" : result.path("status").asText();
                switch (status) {
                    case "duplicate" -> callback.duplicate(event);
                    case "rejected" -> callback.rejected(event, result.path("reason").asText());
                    default -> callback.accepted(event);
                }
            }
        } catch (HilalException e) {
            for (Queued queued : batch) {
                callback.failed(queued.event(), e);
            }
        } catch (RuntimeException e) {
            HilalException wrapped = new HilalException.HilalConnectionException(e.getMessage(), e);
            for (Queued queued : batch) {
                callback.failed(queued.event(), wrapped);
            }
        }
    }

    /** A customer's recommendation rows. */
    public Rows rows(String customerId, RowsParams params) {
        StringBuilder path = new StringBuilder("/v1/customers/" + encode(customerId) + "/rows?");
        if (params.context() != null) {
            path.append("context=").append(encode(params.context())).append('&');
        }
        path.append("rows=").append(params.rows()).append("&perRow=").append(params.perRow());
        return read(transport.send("GET", path.toString(), null, null), Rows.class);
    }

    /** Creates or replaces a customer's details; returns the stored customer as JSON. */
    public JsonNode upsertCustomer(String customerId, Map<String, Object> fields) {
        return transport.send("PUT", "/v1/customers/" + encode(customerId), json(fields), null);
    }

    /** Creates or replaces a product; returns the stored product as JSON. */
    public JsonNode upsertProduct(String productId, Map<String, Object> fields) {
        return transport.send("PUT", "/v1/products/" + encode(productId), json(fields), null);
    }

    /** A customer as stored. */
    public JsonNode customer(String customerId) {
        return transport.send("GET", "/v1/customers/" + encode(customerId), null, null);
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON", e);
        }
    }

    private <T> T read(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new HilalException.HilalConnectionException(
                    "Unexpected answer: " + e.getMessage(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Configures a {@link HilalClient}. */
    public static final class Builder {
        private final String apiKey;
        private URI endpoint = URI.create("http://localhost:8080/");
        private int flushAt = 250;
        private Duration flushInterval = Duration.ofSeconds(5);
        private int queueCapacity = 10_000;
        private int maxAttempts = 6;
        private Duration firstBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(15);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Callback callback = new Callback() {};

        private Builder(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** Hilal's base URL (default http://localhost:8080/). */
        public Builder endpoint(URI endpoint) {
            this.endpoint =
                    endpoint.toString().endsWith("/") ? endpoint : URI.create(endpoint + "/");
            return this;
        }

        /** Send a batch once it holds this many events (1 to 1,000; default 250). */
        public Builder flushAt(int events) {
            if (events < 1 || events > MAX_BATCH_EVENTS) {
                throw new IllegalArgumentException("flushAt must be 1 to " + MAX_BATCH_EVENTS);
            }
            this.flushAt = events;
            return this;
        }

        /** Send what is queued at least this often (default 5 s). */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = interval;
            return this;
        }

        /** How many events may wait in memory (default 10,000). */
        public Builder queueCapacity(int events) {
            this.queueCapacity = events;
            return this;
        }

        /** Attempts per request, first included (default 6). */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * The first retry's backoff ceiling; it doubles up to {@code max} (defaults 200 ms, 30 s).
         */
        public Builder backoff(Duration first, Duration max) {
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** Connect and request timeout (default 15 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** How long {@link HilalClient#close()} waits for queued events (default 30 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** Told what became of each tracked event. */
        public Builder callback(Callback callback) {
            this.callback = callback;
            return this;
        }

        /** The client; its flusher thread starts now. */
        public HilalClient build() {
            return new HilalClient(this);
        }
    }
}
