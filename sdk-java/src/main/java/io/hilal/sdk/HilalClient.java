package io.hilal.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.internal.DiskSpool;
import io.hilal.sdk.internal.HttpTransport;
import io.hilal.sdk.internal.Json;
import io.hilal.sdk.model.BatchItemResult;
import io.hilal.sdk.model.Campaign;
import io.hilal.sdk.model.CampaignPreview;
import io.hilal.sdk.model.Customer;
import io.hilal.sdk.model.Ledger;
import io.hilal.sdk.model.LiftOverview;
import io.hilal.sdk.model.LiftReport;
import io.hilal.sdk.model.Page;
import io.hilal.sdk.model.Product;
import io.hilal.sdk.model.Recommendations;
import io.hilal.sdk.model.Rows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import java.util.function.Consumer;

/**
 * The Hilal client. Events go through a bounded queue to one flusher thread that sends them in
 * batches (by count, bytes and time) and retries failures with the same message ids and batch id,
 * so nothing is stored twice; with a {@linkplain Builder#spool spool}, batches Hilal cannot take
 * wait on disk through long outages and restarts. The synchronous methods call the API directly,
 * retry what can be retried, and throw typed {@link HilalException}s. One client per process is
 * enough: it is thread-safe, and {@link #close()} sends what is queued.
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

    /** Hilal's limit for events in one batch, and for customers or products in one upsert batch. */
    public static final int MAX_BATCH_EVENTS = 1000;

    private static final System.Logger LOG = System.getLogger("io.hilal.sdk");
    private static final Object STOP = new Object();
    private static final byte[] BATCH_START = "{\"events\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BATCH_END = "]}".getBytes(StandardCharsets.UTF_8);
    private static final RequestOptions ONE_ATTEMPT =
            RequestOptions.builder().maxAttempts(1).build();
    private static final Duration ABANDON_TIMEOUT = Duration.ofSeconds(10);

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final BlockingQueue<Object> queue;
    private final int flushAt;
    private final Duration flushInterval;
    private final Callback callback;
    private final Duration closeTimeout;
    private final DiskSpool spool;
    private final long spoolRetryNanos;
    private final Thread flusher;
    private volatile boolean closed;

    // State of the flusher thread, touched by it alone.
    private boolean degraded;
    private long nextProbe;
    private boolean stopping;

    private record Queued(Event event, byte[] json) {}

    private record FlushMarker(CountDownLatch done) {}

    private HilalClient(Builder builder) {
        this.mapper = Json.newMapper();
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
        this.spool =
                builder.spoolDirectory == null
                        ? null
                        : DiskSpool.open(
                                builder.spoolDirectory,
                                builder.spoolMaxBytes,
                                builder.spoolMaxFiles);
        this.spoolRetryNanos = builder.spoolRetryInterval.toNanos();
        this.flusher = new Thread(this::flushLoop, "hilal-flusher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /**
     * A builder for a client using {@code apiKey}: a key with the {@code ingest} scope to track and
     * upsert, and {@code read} for rows and recommendations.
     *
     * @param apiKey the API key, {@code hk_live_…}
     * @return the builder
     */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    // ---------------------------------------------------------------- events

    /**
     * Queues an event, waiting for room when the queue is full.
     *
     * @param event the event
     * @throws IllegalArgumentException at once when the event is over 32 KB as JSON
     * @throws IllegalStateException when the client is closed
     * @throws InterruptedException when interrupted while waiting for room
     */
    public void track(Event event) throws InterruptedException {
        queue.put(prepare(event));
    }

    /**
     * Queues an event if there is room.
     *
     * @param event the event
     * @return false (and nothing queued) when the queue is full
     * @throws IllegalArgumentException at once when the event is over 32 KB as JSON
     * @throws IllegalStateException when the client is closed
     */
    public boolean offer(Event event) {
        return queue.offer(prepare(event));
    }

    /**
     * Blocks until every event queued before this call was sent, failed or (when Hilal is
     * unreachable) spooled, and, while Hilal answers, until the spool is sent too.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void flush() throws InterruptedException {
        if (closed) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        queue.put(new FlushMarker(done));
        done.await();
    }

    /**
     * Sends what is queued, waiting at most the close timeout, and stops the flusher thread. Events
     * still unsent then go to the spool, or get {@link Callback#failed} without one.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (queue.offer(STOP, closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                flusher.join(closeTimeout.toMillis());
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
        int bytes = BATCH_START.length + BATCH_END.length;
        long deadline = System.nanoTime() + flushInterval.toNanos();
        try {
            drainSpool(Integer.MAX_VALUE);
            while (!stopping) {
                long wait = deadline - System.nanoTime();
                if (degraded && spool != null && !spool.isEmpty()) {
                    wait = Math.min(wait, nextProbe - System.nanoTime());
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
                        deadline = System.nanoTime() + flushInterval.toNanos();
                        drainSpool(1);
                    }
                } else if (next instanceof FlushMarker marker) {
                    deliver(batch);
                    batch = new ArrayList<>();
                    bytes = BATCH_START.length + BATCH_END.length;
                    drainSpool(Integer.MAX_VALUE);
                    marker.done().countDown();
                } else if (next == STOP) {
                    deliver(batch);
                    batch = new ArrayList<>();
                    break;
                } else {
                    if (System.nanoTime() - deadline >= 0) {
                        deliver(batch);
                        batch = new ArrayList<>();
                        bytes = BATCH_START.length + BATCH_END.length;
                        deadline = System.nanoTime() + flushInterval.toNanos();
                    }
                    drainSpool(Integer.MAX_VALUE);
                }
            }
        } catch (InterruptedException e) {
            stopping = true;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "Hilal flusher stopped unexpectedly", e);
        }
        Thread.interrupted(); // spooling below must not be cut short
        abandon(batch);
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
            events.forEach(event -> notify(c -> c.failed(event, closedError)));
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
        if (spool != null && degraded) {
            // Hilal is down: keep the queue moving and let the spool's probe find out when it is
            // up.
            spoolBatch(events, batchId, body);
            return;
        }
        try {
            report(events, transport.send("POST", "v1/events", body, batchId));
        } catch (HilalException e) {
            boolean interrupted = Thread.interrupted();
            stopping |= interrupted;
            if (spool != null && (interrupted || e.retryable())) {
                spoolBatch(events, batchId, body);
            } else {
                events.forEach(event -> notify(c -> c.failed(event, e)));
            }
        } catch (RuntimeException e) {
            HilalException wrapped = new HilalException.HilalConnectionException(e.toString(), e);
            events.forEach(event -> notify(c -> c.failed(event, wrapped)));
        }
    }

    private void spoolBatch(List<Event> events, String batchId, byte[] body) {
        HilalException error;
        try {
            if (spool.write(batchId, body)) {
                if (!stopping) {
                    degraded = true;
                    nextProbe = System.nanoTime() + spoolRetryNanos;
                }
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
        HilalException failure = error;
        events.forEach(event -> notify(c -> c.failed(event, failure)));
    }

    /**
     * Sends up to {@code maxFiles} spooled batches, oldest first. While Hilal seems down, one
     * attempt every spool retry interval probes it; the first success sends the rest.
     */
    private void drainSpool(int maxFiles) {
        if (spool == null) {
            return;
        }
        for (int sent = 0; sent < maxFiles && !stopping && !spool.isEmpty(); sent++) {
            boolean probe = degraded;
            if (probe && System.nanoTime() - nextProbe < 0) {
                return;
            }
            DiskSpool.Entry entry;
            try {
                entry = spool.oldest();
            } catch (UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, "Hilal spool unreadable", e);
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
                if (e.retryable()) {
                    degraded = true;
                    nextProbe = System.nanoTime() + spoolRetryNanos;
                    return;
                }
                spool.setAside(entry, "rejected", "was refused by Hilal (" + e.code() + ")");
                events.forEach(event -> notify(c -> c.failed(event, e)));
                continue;
            }
            degraded = false;
            try {
                spool.remove(entry);
            } catch (UncheckedIOException e) {
                // It will be sent again; Hilal answers "duplicate" for each event.
                LOG.log(System.Logger.Level.WARNING, "Hilal spool: cannot delete a sent batch", e);
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
                        Event.restore(
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
            JsonNode found = result;
            switch (status) {
                case "duplicate" -> notify(c -> c.duplicate(event));
                case "rejected" -> notify(c -> c.rejected(event, found.path("reason").asText()));
                default -> notify(c -> c.accepted(event));
            }
        }
    }

    private void notify(Consumer<Callback> call) {
        try {
            call.accept(callback);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A Hilal callback threw; ignored", e);
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

    // ---------------------------------------------------------------- customers and products

    /**
     * Creates or replaces a customer's details.
     *
     * @param customer the customer
     * @return the customer as stored
     * @throws HilalException.InvalidRequestException when a field is invalid ({@link
     *     HilalException#errors()} says which)
     */
    public Customer upsertCustomer(CustomerParams customer) {
        return upsertCustomer(customer, RequestOptions.DEFAULT);
    }

    /**
     * Creates or replaces a customer's details, with per-call options.
     *
     * @param customer the customer
     * @param options overrides of the client's settings
     * @return the customer as stored
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Customer upsertCustomer(CustomerParams customer, RequestOptions options) {
        return call(
                "PUT",
                "v1/customers/" + encode(customer.id()),
                json(customer),
                options,
                Customer.class);
    }

    /**
     * Creates or replaces many customers, up to 1,000 per request (larger lists are sent in several
     * requests). Invalid customers are rejected one by one, not the whole list.
     *
     * @param customers the customers
     * @return one result per customer, in order
     */
    public List<BatchItemResult> upsertCustomers(List<CustomerParams> customers) {
        return upsertCustomers(customers, RequestOptions.DEFAULT);
    }

    /**
     * Creates or replaces many customers, with per-call options (an idempotency key given here
     * applies to the first request; later ones derive theirs from it).
     *
     * @param customers the customers
     * @param options overrides of the client's settings
     * @return one result per customer, in order
     */
    public List<BatchItemResult> upsertCustomers(
            List<CustomerParams> customers, RequestOptions options) {
        return batch("v1/customers/batch", "customers", customers, options);
    }

    /**
     * A customer as stored.
     *
     * @param customerId your id for the customer
     * @return the customer
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public Customer customer(String customerId) {
        return customer(customerId, RequestOptions.DEFAULT);
    }

    /**
     * A customer as stored, with per-call options.
     *
     * @param customerId your id for the customer
     * @param options overrides of the client's settings
     * @return the customer
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public Customer customer(String customerId, RequestOptions options) {
        return call("GET", "v1/customers/" + encode(customerId), null, options, Customer.class);
    }

    /**
     * Erases a customer and all their events (needs the {@code admin} scope).
     *
     * @param customerId your id for the customer
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public void deleteCustomer(String customerId) {
        deleteCustomer(customerId, RequestOptions.DEFAULT);
    }

    /**
     * Erases a customer and all their events, with per-call options.
     *
     * @param customerId your id for the customer
     * @param options overrides of the client's settings
     * @throws HilalException.NotFoundException when there is no such customer
     */
    public void deleteCustomer(String customerId, RequestOptions options) {
        transport.send(
                "DELETE",
                "v1/customers/" + encode(customerId),
                null,
                options.idempotencyKey(),
                options);
    }

    /**
     * Creates or replaces a product.
     *
     * @param product the product
     * @return the product as stored
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Product upsertProduct(ProductParams product) {
        return upsertProduct(product, RequestOptions.DEFAULT);
    }

    /**
     * Creates or replaces a product, with per-call options.
     *
     * @param product the product
     * @param options overrides of the client's settings
     * @return the product as stored
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Product upsertProduct(ProductParams product, RequestOptions options) {
        return call(
                "PUT",
                "v1/products/" + encode(product.id()),
                json(product),
                options,
                Product.class);
    }

    /**
     * Creates or replaces many products, up to 1,000 per request (larger lists are sent in several
     * requests). Invalid products are rejected one by one, not the whole list.
     *
     * @param products the products
     * @return one result per product, in order
     */
    public List<BatchItemResult> upsertProducts(List<ProductParams> products) {
        return upsertProducts(products, RequestOptions.DEFAULT);
    }

    /**
     * Creates or replaces many products, with per-call options.
     *
     * @param products the products
     * @param options overrides of the client's settings
     * @return one result per product, in order
     */
    public List<BatchItemResult> upsertProducts(
            List<ProductParams> products, RequestOptions options) {
        return batch("v1/products/batch", "products", products, options);
    }

    /**
     * A product as stored.
     *
     * @param productId your id for the product
     * @return the product
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Product product(String productId) {
        return product(productId, RequestOptions.DEFAULT);
    }

    /**
     * A product as stored, with per-call options.
     *
     * @param productId your id for the product
     * @param options overrides of the client's settings
     * @return the product
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Product product(String productId, RequestOptions options) {
        return call("GET", "v1/products/" + encode(productId), null, options, Product.class);
    }

    // ---------------------------------------------------------------- recommendations

    /**
     * A customer's recommendation rows with reasons. Unknown customers get popular rows ({@link
     * Rows#personalized()} false), not an error.
     *
     * @param customerId your id for the customer
     * @param params the page, row count and products per row
     * @return the rows
     */
    public Rows rows(String customerId, RowsParams params) {
        return rows(customerId, params, RequestOptions.DEFAULT);
    }

    /**
     * A customer's recommendation rows, with per-call options.
     *
     * @param customerId your id for the customer
     * @param params the page, row count and products per row
     * @param options overrides of the client's settings
     * @return the rows
     */
    public Rows rows(String customerId, RowsParams params, RequestOptions options) {
        String path =
                "v1/customers/"
                        + encode(customerId)
                        + "/rows"
                        + new Query()
                                .add("context", params.context())
                                .add("rows", params.rows())
                                .add("perRow", params.perRow());
        return call("GET", path, null, options, Rows.class);
    }

    /**
     * A customer's recommendations as one list, strongest first.
     *
     * @param customerId your id for the customer
     * @param params how many, which category, which products to leave out
     * @return the products
     */
    public Recommendations recommendations(String customerId, RecommendationsParams params) {
        return recommendations(customerId, params, RequestOptions.DEFAULT);
    }

    /**
     * A customer's recommendations as one list, with per-call options.
     *
     * @param customerId your id for the customer
     * @param params how many, which category, which products to leave out
     * @param options overrides of the client's settings
     * @return the products
     */
    public Recommendations recommendations(
            String customerId, RecommendationsParams params, RequestOptions options) {
        String path =
                "v1/customers/"
                        + encode(customerId)
                        + "/recommendations"
                        + new Query()
                                .add("limit", params.limit())
                                .add("category", params.category())
                                .add(
                                        "exclude",
                                        params.exclude() == null
                                                ? null
                                                : String.join(",", params.exclude()));
        return call("GET", path, null, options, Recommendations.class);
    }

    /**
     * The products most often bought with a product, strongest first.
     *
     * @param productId your id for the product
     * @param params how many
     * @return the products
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Recommendations similarProducts(String productId, SimilarProductsParams params) {
        return similarProducts(productId, params, RequestOptions.DEFAULT);
    }

    /**
     * The products most often bought with a product, with per-call options.
     *
     * @param productId your id for the product
     * @param params how many
     * @param options overrides of the client's settings
     * @return the products
     * @throws HilalException.NotFoundException when there is no such product
     */
    public Recommendations similarProducts(
            String productId, SimilarProductsParams params, RequestOptions options) {
        String path =
                "v1/products/"
                        + encode(productId)
                        + "/similar"
                        + new Query().add("limit", params.limit());
        return call("GET", path, null, options, Recommendations.class);
    }

    // ---------------------------------------------------------------- campaigns

    /**
     * Creates a campaign as a {@code draft}. Like every POST, it carries an {@code Idempotency-Key}
     * that its retries share, so a retried create makes one campaign; give your own key in {@link
     * RequestOptions} to make a repeat after a restart act once too.
     *
     * @param campaign the definition
     * @return the campaign with Hilal's defaults filled in
     * @throws HilalException.InvalidRequestException when a field is invalid ({@link
     *     HilalException#errors()} says which)
     */
    public Campaign createCampaign(CampaignParams campaign) {
        return createCampaign(campaign, RequestOptions.DEFAULT);
    }

    /**
     * Creates a campaign as a {@code draft}, with per-call options.
     *
     * @param campaign the definition
     * @param options overrides of the client's settings, e.g. your own idempotency key
     * @return the campaign with Hilal's defaults filled in
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Campaign createCampaign(CampaignParams campaign, RequestOptions options) {
        return call("POST", "v1/campaigns", json(campaign), options, Campaign.class);
    }

    /**
     * Replaces a draft's definition.
     *
     * @param campaignId the campaign's id
     * @param campaign the whole new definition
     * @return the campaign as stored
     * @throws HilalException.InvalidRequestException with code {@code campaign_not_draft} when it
     *     was launched, or when a field is invalid
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Campaign updateCampaign(String campaignId, CampaignParams campaign) {
        return updateCampaign(campaignId, campaign, RequestOptions.DEFAULT);
    }

    /**
     * Replaces a draft's definition, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param campaign the whole new definition
     * @param options overrides of the client's settings
     * @return the campaign as stored
     * @throws HilalException.InvalidRequestException with code {@code campaign_not_draft} when it
     *     was launched, or when a field is invalid
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Campaign updateCampaign(
            String campaignId, CampaignParams campaign, RequestOptions options) {
        return call("PUT", campaignPath(campaignId, ""), json(campaign), options, Campaign.class);
    }

    /**
     * One page of the tenant's campaigns, newest first.
     *
     * @param params the status filter, page size and cursor ({@link CampaignListParams#ALL} for the
     *     first page of all)
     * @return the page
     */
    public Page<Campaign> campaigns(CampaignListParams params) {
        return campaigns(params, RequestOptions.DEFAULT);
    }

    /**
     * One page of the tenant's campaigns, newest first, with per-call options.
     *
     * @param params the status filter, page size and cursor
     * @param options overrides of the client's settings
     * @return the page
     */
    public Page<Campaign> campaigns(CampaignListParams params, RequestOptions options) {
        String path =
                "v1/campaigns"
                        + new Query()
                                .add("status", params.status())
                                .add("limit", params.limit())
                                .add("cursor", params.cursor());
        Objects.requireNonNull(options, "options");
        return read(
                transport.send("GET", path, null, null, options),
                mapper.getTypeFactory().constructParametricType(Page.class, Campaign.class));
    }

    /**
     * One campaign.
     *
     * @param campaignId the campaign's id
     * @return the campaign
     * @throws HilalException.NotFoundException when there is no such campaign (or it is another
     *     tenant's)
     */
    public Campaign campaign(String campaignId) {
        return campaign(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * One campaign, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Campaign campaign(String campaignId, RequestOptions options) {
        return call("GET", campaignPath(campaignId, ""), null, options, Campaign.class);
    }

    /**
     * What the campaign would do if launched now: audience and holdout sizes, the minimum
     * detectable lift, and the email the audience's first customer would get. Sends nothing.
     *
     * @param campaignId the campaign's id
     * @return the preview
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public CampaignPreview previewCampaign(String campaignId) {
        return previewCampaign(campaignId, null, RequestOptions.DEFAULT);
    }

    /**
     * What the campaign would do if launched now, with the email rendered for one customer.
     *
     * @param campaignId the campaign's id
     * @param customerId the customer to render the email for, or null for the audience's first
     * @param options overrides of the client's settings
     * @return the preview
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public CampaignPreview previewCampaign(
            String campaignId, String customerId, RequestOptions options) {
        return call(
                "POST",
                campaignPath(campaignId, "/preview"),
                json(customerId == null ? Map.of() : Map.of("customerId", customerId)),
                options,
                CampaignPreview.class);
    }

    /**
     * Launches a draft: plans one send per customer of the audience (held-out ones included, as
     * {@code HELD_OUT}) and makes it {@code scheduled}; the worker sends. The tenant needs a sender
     * identity first ({@code PUT /v1/sender-identity}).
     *
     * @param campaignId the campaign's id
     * @return the campaign, now {@code scheduled} (or {@code completed} for an empty audience)
     * @throws HilalException.InvalidRequestException with code {@code campaign_not_draft} when it
     *     was launched before, or {@code sender_identity_missing}
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Campaign launchCampaign(String campaignId) {
        return launchCampaign(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * Launches a draft, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code scheduled} (or {@code completed} for an empty audience)
     * @throws HilalException.InvalidRequestException with code {@code campaign_not_draft} when it
     *     was launched before, or {@code sender_identity_missing}
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Campaign launchCampaign(String campaignId, RequestOptions options) {
        return transition(campaignId, "launch", options);
    }

    /**
     * Pauses a scheduled campaign: its sends wait until {@link #resumeCampaign}.
     *
     * @param campaignId the campaign's id
     * @return the campaign, now {@code paused}
     * @throws HilalException.InvalidRequestException with code {@code invalid_transition} when it
     *     is not scheduled
     */
    public Campaign pauseCampaign(String campaignId) {
        return pauseCampaign(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * Pauses a scheduled campaign, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code paused}
     * @throws HilalException.InvalidRequestException with code {@code invalid_transition} when it
     *     is not scheduled
     */
    public Campaign pauseCampaign(String campaignId, RequestOptions options) {
        return transition(campaignId, "pause", options);
    }

    /**
     * Resumes a paused campaign; sends whose validity ran out meanwhile expire.
     *
     * @param campaignId the campaign's id
     * @return the campaign, now {@code scheduled}
     * @throws HilalException.InvalidRequestException with code {@code invalid_transition} when it
     *     is not paused
     */
    public Campaign resumeCampaign(String campaignId) {
        return resumeCampaign(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * Resumes a paused campaign, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code scheduled}
     * @throws HilalException.InvalidRequestException with code {@code invalid_transition} when it
     *     is not paused
     */
    public Campaign resumeCampaign(String campaignId, RequestOptions options) {
        return transition(campaignId, "resume", options);
    }

    /**
     * Cancels a campaign: what has not gone out expires (sends in flight finish).
     *
     * @param campaignId the campaign's id
     * @return the campaign, now {@code cancelled}
     * @throws HilalException.InvalidRequestException with code {@code invalid_transition} when it
     *     is already completed or cancelled
     */
    public Campaign cancelCampaign(String campaignId) {
        return cancelCampaign(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * Cancels a campaign, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code cancelled}
     * @throws HilalException.InvalidRequestException with code {@code invalid_transition} when it
     *     is already completed or cancelled
     */
    public Campaign cancelCampaign(String campaignId, RequestOptions options) {
        return transition(campaignId, "cancel", options);
    }

    /**
     * A campaign's send ledger in counts by state, overall and per run.
     *
     * @param campaignId the campaign's id
     * @return the ledger
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Ledger campaignLedger(String campaignId) {
        return campaignLedger(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * A campaign's send ledger in counts, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the ledger
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Ledger campaignLedger(String campaignId, RequestOptions options) {
        return call("GET", campaignPath(campaignId, "/ledger"), null, options, Ledger.class);
    }

    // ---------------------------------------------------------------- lift

    /**
     * A launched campaign's lift over its holdout in a window of days from each customer's planned
     * send: the newest stored report, computed now if none is stored yet. Check {@link
     * LiftReport#status()}: below the minimum sample sizes it is {@code NOT_ENOUGH_DATA} and has no
     * estimates.
     *
     * @param campaignId the campaign's id
     * @param windowDays 1 to 365 (the worker keeps 30, 60 and 90 up to date)
     * @return the report
     * @throws HilalException.NotFoundException with code {@code campaign_not_found} when the
     *     campaign has no planned sends (or is another tenant's)
     */
    public LiftReport liftReport(String campaignId, int windowDays) {
        return liftReport(campaignId, windowDays, RequestOptions.DEFAULT);
    }

    /**
     * A launched campaign's lift over its holdout, with per-call options.
     *
     * @param campaignId the campaign's id
     * @param windowDays 1 to 365
     * @param options overrides of the client's settings
     * @return the report
     * @throws HilalException.NotFoundException with code {@code campaign_not_found} when the
     *     campaign has no planned sends
     */
    public LiftReport liftReport(String campaignId, int windowDays, RequestOptions options) {
        return call(
                "GET",
                campaignPath(campaignId, "/lift") + new Query().add("window", windowDays),
                null,
                options,
                LiftReport.class);
    }

    /**
     * The tenant's lift across campaigns: per campaign and window, the newest stored report's
     * headline and every earlier look.
     *
     * @return the overview
     */
    public LiftOverview liftReports() {
        return liftReports(RequestOptions.DEFAULT);
    }

    /**
     * The tenant's lift across campaigns, with per-call options.
     *
     * @param options overrides of the client's settings
     * @return the overview
     */
    public LiftOverview liftReports(RequestOptions options) {
        return call("GET", "v1/lift", null, options, LiftOverview.class);
    }

    private Campaign transition(String campaignId, String action, RequestOptions options) {
        return call("POST", campaignPath(campaignId, "/" + action), null, options, Campaign.class);
    }

    private static String campaignPath(String campaignId, String rest) {
        return "v1/campaigns/" + encode(campaignId) + rest;
    }

    // ---------------------------------------------------------------- plumbing

    private <T> T call(
            String method, String path, byte[] body, RequestOptions options, Class<T> type) {
        Objects.requireNonNull(options, "options");
        return read(
                transport.send(method, path, body, idempotencyKey(method, options), options), type);
    }

    /** POSTs act once per key: the caller's, or a random one all retries of this call share. */
    private static String idempotencyKey(String method, RequestOptions options) {
        if (options.idempotencyKey() != null) {
            return options.idempotencyKey();
        }
        return "POST".equals(method) ? "idem_" + UUID.randomUUID() : null;
    }

    private <T> List<BatchItemResult> batch(
            String path, String field, List<T> items, RequestOptions options) {
        Objects.requireNonNull(options, "options");
        List<BatchItemResult> results = new ArrayList<>(items.size());
        List<byte[]> chunk = new ArrayList<>();
        int bytes = 0;
        int requests = 0;
        for (T item : items) {
            byte[] json = json(item);
            if (!chunk.isEmpty()
                    && (chunk.size() >= MAX_BATCH_EVENTS
                            || bytes + json.length + 1 > MAX_BATCH_BYTES - 100)) {
                results.addAll(sendBatch(path, field, chunk, options, requests++));
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(json);
            bytes += json.length + 1;
        }
        if (!chunk.isEmpty() || requests == 0) {
            results.addAll(sendBatch(path, field, chunk, options, requests));
        }
        return results;
    }

    private List<BatchItemResult> sendBatch(
            String path, String field, List<byte[]> items, RequestOptions options, int index) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("{\"" + field + "\":[").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(items.get(i));
        }
        body.writeBytes(BATCH_END);
        String key = idempotencyKey("POST", options);
        JsonNode answer =
                transport.send(
                        "POST",
                        path,
                        body.toByteArray(),
                        index == 0 ? key : key + "-" + index,
                        options);
        try {
            return mapper.readerForListOf(BatchItemResult.class)
                    .readValue(answer == null ? null : answer.get("results"));
        } catch (IOException | IllegalArgumentException e) {
            throw new HilalException.HilalConnectionException(
                    "Unexpected answer: " + e.getMessage(), e);
        }
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON", e);
        }
    }

    private <T> T read(JsonNode node, Class<T> type) {
        return read(node, mapper.constructType(type));
    }

    private <T> T read(JsonNode node, JavaType type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new HilalException.HilalConnectionException(
                    "Unexpected answer: " + e.getMessage(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value, "id"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /** A query string of the options that are set. */
    private static final class Query {
        private final StringBuilder text = new StringBuilder();

        Query add(String name, Object value) {
            if (value != null) {
                text.append(text.length() == 0 ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(encode(value.toString()));
            }
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
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
        private Path spoolDirectory;
        private long spoolMaxBytes = 100L * 1024 * 1024;
        private int spoolMaxFiles = 10_000;
        private Duration spoolRetryInterval = Duration.ofSeconds(5);

        private Builder(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /**
         * Hilal's base URL (default {@code http://localhost:8080/}); a path prefix is kept.
         *
         * @param endpoint e.g. {@code https://hilal.example.com}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint =
                    endpoint.toString().endsWith("/") ? endpoint : URI.create(endpoint + "/");
            return this;
        }

        /**
         * Send a batch once it holds this many events (default 250).
         *
         * @param events 1 to 1,000
         * @return this builder
         */
        public Builder flushAt(int events) {
            if (events < 1 || events > MAX_BATCH_EVENTS) {
                throw new IllegalArgumentException("flushAt must be 1 to " + MAX_BATCH_EVENTS);
            }
            this.flushAt = events;
            return this;
        }

        /**
         * Send what is queued at least this often (default 5 s).
         *
         * @param interval the longest an event waits for its batch to fill
         * @return this builder
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive(interval, "flushInterval");
            return this;
        }

        /**
         * How many events may wait in memory (default 10,000); past it {@link #track} waits and
         * {@link #offer} returns false.
         *
         * @param events at least 1
         * @return this builder
         */
        public Builder queueCapacity(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1");
            }
            this.queueCapacity = events;
            return this;
        }

        /**
         * Attempts per request, the first included (default 6).
         *
         * @param attempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Exponential backoff with full jitter: the wait before retry n is random between 0 and
         * {@code first × 2^(n-1)}, at most {@code max} (defaults 200 ms, 30 s). A {@code
         * Retry-After} answer is honoured instead, up to {@code max} or 60 s, whichever is longer.
         *
         * @param first the first retry's ceiling
         * @param max the largest ceiling
         * @return this builder
         */
        public Builder backoff(Duration first, Duration max) {
            this.firstBackoff = positive(first, "first");
            this.maxBackoff = positive(max, "max");
            return this;
        }

        /**
         * Connect timeout and timeout of each attempt (default 15 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * How long {@link HilalClient#close()} waits for queued events to be sent (default 30 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Told what became of each tracked event (default: nobody).
         *
         * @param callback the callback
         * @return this builder
         */
        public Builder callback(Callback callback) {
            this.callback = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * Keeps batches Hilal cannot take in this folder, to send them when it answers again, even
         * from a later process (default: no spool). A batch goes there when its retries run out on
         * a retryable error, or when the client closes before sending it; while Hilal stays down,
         * new batches go straight there, and the oldest is tried every {@link #spoolRetryInterval}.
         * Give each client its own folder: a lock keeps two out.
         *
         * @param directory the folder, created when needed
         * @return this builder
         */
        public Builder spool(Path directory) {
            this.spoolDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * The spool's bounds (defaults 100 MiB and 10,000 batches); a batch that does not fit gets
         * {@link Callback#failed} with the code {@code spool_full}.
         *
         * @param maxBytes the most bytes of spooled batches
         * @param maxFiles the most spooled batches
         * @return this builder
         */
        public Builder spoolLimits(long maxBytes, int maxFiles) {
            if (maxBytes < 1 || maxFiles < 1) {
                throw new IllegalArgumentException("spool limits must be positive");
            }
            this.spoolMaxBytes = maxBytes;
            this.spoolMaxFiles = maxFiles;
            return this;
        }

        /**
         * While Hilal is unreachable, how often one attempt probes it with the oldest spooled batch
         * (default 5 s).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder spoolRetryInterval(Duration interval) {
            this.spoolRetryInterval = positive(interval, "spoolRetryInterval");
            return this;
        }

        /**
         * The client; its flusher thread starts now, and first sends what the spool holds.
         *
         * @return the client
         * @throws IllegalStateException when another client holds the spool folder
         */
        public HilalClient build() {
            return new HilalClient(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
