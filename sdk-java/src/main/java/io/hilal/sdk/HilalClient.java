package io.hilal.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.internal.Api;
import io.hilal.sdk.internal.DiskSpool;
import io.hilal.sdk.internal.EventPipeline;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

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
/**
 * The Hilal client: a thin facade over an event pipeline and one service per resource.
 *
 * <ul>
 *   <li>{@link #track} and {@link #offer} queue events; one flusher thread sends them in batches
 *       (by count, bytes and time) and retries failures with the same message ids and batch id, so
 *       nothing is stored twice. With a {@linkplain Builder#spool spool}, batches Hilal cannot take
 *       wait on disk through outages, refused keys and restarts. Every event's outcome goes to the
 *       {@link Callback}, into {@link #stats()}, and failures to the log ({@code System.Logger}
 *       {@code io.hilal.sdk} unless {@link Builder#logger} says otherwise).
 *   <li>{@link #customers()}, {@link #products()}, {@link #recommendations()}, {@link #campaigns()}
 *       and {@link #models()} call the API directly, retry what can be retried within a total
 *       deadline, throw typed {@link HilalException}s, and have {@code …Async} variants returning
 *       {@link CompletableFuture}s.
 * </ul>
 *
 * <p>One client per process is enough: it is thread-safe. {@link #close()} sends what is queued
 * (within {@link Builder#closeTimeout}); with {@link Builder#shutdownHook} the JVM's exit does the
 * same when the application never calls it.
 *
 * <pre>{@code
 * try (HilalClient hilal = HilalClient.builder(System.getenv("HILAL_API_KEY")).build()) {
 *     hilal.track(Event.orderCompleted("c-42", "o-9")
 *             .line("p1", 2, new BigDecimal("9.50"), "USD").build());
 *     Rows rows = hilal.recommendations().rows("c-42", RowsParams.builder().rows(3).build());
 * }
 * }</pre>
 */
public final class HilalClient implements AutoCloseable {
    /** Hilal's limit for one event, in bytes of JSON. */
    public static final int MAX_EVENT_BYTES = 32 * 1024;

    /** The largest batch body the client sends (Hilal accepts 512,000 bytes). */
    public static final int MAX_BATCH_BYTES = EventPipeline.MAX_BATCH_BYTES;

    /** Hilal's limit for events in one batch, and for customers or products in one upsert batch. */
    public static final int MAX_BATCH_EVENTS = EventPipeline.MAX_BATCH_EVENTS;

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final EventPipeline pipeline;
    private final EventInterceptor interceptor;
    private final Duration closeTimeout;
    private final ExecutorService ownExecutor;
    private final Api api;
    private final CustomerService customers;
    private final ProductService products;
    private final RecommendationService recommendations;
    private final CampaignService campaigns;
    private final ModelService models;
    private final Thread shutdownHook;
    private volatile boolean closed;
    private volatile DeliveryStats closedStats;

    private HilalClient(Builder builder) {
        this.mapper = Json.newMapper();
        HttpClient http =
                builder.httpClient != null
                        ? builder.httpClient
                        : HttpClient.newBuilder().connectTimeout(builder.timeout).build();
        this.transport =
                new HttpTransport(
                        http,
                        builder.endpoint,
                        builder.apiKey,
                        builder.timeout,
                        builder.maxAttempts,
                        builder.firstBackoff,
                        builder.maxBackoff,
                        builder.callTimeout,
                        mapper);
        this.interceptor = builder.interceptor;
        this.closeTimeout = builder.closeTimeout;
        this.ownExecutor = builder.executor == null ? Api.defaultExecutor() : null;
        Executor executor = builder.executor != null ? builder.executor : ownExecutor;
        this.api = new Api(transport, mapper, executor);
        this.customers = new CustomerService(api);
        this.products = new ProductService(api);
        this.recommendations = new RecommendationService(api);
        this.campaigns = new CampaignService(api);
        this.models = new ModelService(api);
        DiskSpool spool =
                builder.spoolDirectory == null
                        ? null
                        : DiskSpool.open(
                                builder.spoolDirectory,
                                builder.spoolMaxBytes,
                                builder.spoolMaxFiles);
        this.pipeline =
                new EventPipeline(
                        transport,
                        mapper,
                        new EventPipeline.Settings(
                                builder.flushAt,
                                builder.flushInterval,
                                builder.queueCapacity,
                                builder.spoolRetryInterval),
                        builder.callback,
                        spool,
                        Event::restore,
                        builder.logger);
        if (builder.shutdownHookTimeout != null) {
            Duration deadline = builder.shutdownHookTimeout;
            this.shutdownHook = new Thread(() -> close(deadline), "hilal-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
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

    // ---------------------------------------------------------------- resources

    /**
     * Customers: upsert one or many, read one, list their events, erase.
     *
     * @return the service, never null
     */
    public CustomerService customers() {
        return customers;
    }

    /**
     * The catalog: upsert one or many products, read one or several, list them.
     *
     * @return the service, never null
     */
    public ProductService products() {
        return products;
    }

    /**
     * Rows, recommendation lists and similar products.
     *
     * @return the service, never null
     */
    public RecommendationService recommendations() {
        return recommendations;
    }

    /**
     * Campaigns, their ledgers and lift reports.
     *
     * @return the service, never null
     */
    public CampaignService campaigns() {
        return campaigns;
    }

    /**
     * The tenant's trained models and on-demand training.
     *
     * @return the service, never null
     */
    public ModelService models() {
        return models;
    }

    /**
     * Checks the key and the connection: Hilal answers the key's tenant id and does nothing else.
     *
     * @return the tenant id, never null
     * @throws HilalException.AuthenticationException when the key is wrong or revoked
     */
    public String ping() {
        return ping(RequestOptions.DEFAULT);
    }

    /**
     * Checks the key and the connection, with per-call options.
     *
     * @param options overrides of the client's settings
     * @return the tenant id, never null
     * @throws HilalException.AuthenticationException when the key is wrong or revoked
     */
    public String ping(RequestOptions options) {
        JsonNode answer = api.send("GET", "v1/ping", null, null, options);
        return answer == null ? null : answer.path("tenantId").asText(null);
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
        pipeline.put(prepare(event));
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
        return pipeline.offer(prepare(event));
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
        pipeline.flush();
    }

    /**
     * What became of the events tracked so far: accepted, duplicates, rejected, failed, spooled.
     * Safe to call from any thread, at any time, also after {@link #close()}.
     *
     * @return the counts, never null
     */
    public DeliveryStats stats() {
        DeliveryStats last = closedStats;
        return last != null ? last : pipeline.stats();
    }

    /**
     * Events Hilal will never store: rejected by its validation, or not delivered (and not
     * spooled). The same as {@code stats().dropped()}; every one was also logged and given to the
     * callback.
     *
     * @return the count
     */
    public long droppedEvents() {
        return stats().dropped();
    }

    /**
     * Sends what is queued, waiting at most the close timeout, and stops the flusher thread. Events
     * still unsent then go to the spool, or get {@link Callback#failed} without one; a warning in
     * the log says how many were not delivered, and {@link #stats()} has the counts.
     */
    @Override
    public void close() {
        close(closeTimeout);
    }

    /**
     * Sends what is queued within {@code timeout}, stops the flusher thread and reports what could
     * not be delivered: {@link DeliveryStats#failed()} (lost) and {@link
     * DeliveryStats#spoolBatches()} (kept on disk for the next client on the spool). Calling it
     * again returns the same counts.
     *
     * @param timeout how long to wait for queued events to be sent
     * @return the final counts, never null
     */
    public synchronized DeliveryStats close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (closed) {
            return stats();
        }
        closed = true;
        try {
            closedStats = pipeline.close(timeout);
        } finally {
            if (ownExecutor != null) {
                ownExecutor.shutdown();
            }
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook is running or about to, and finds us closed
                }
            }
        }
        return closedStats;
    }

    private EventPipeline.Queued prepare(Event event) {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        Objects.requireNonNull(event, "event");
        if (interceptor != null) {
            event = Objects.requireNonNull(interceptor.intercept(event), "intercepted event");
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
            return new EventPipeline.Queued(event, json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be written as JSON", e);
        }
    }

    // ---------------------------------------------------------------- shortcuts

    // The calls below predate the per-resource services and stay for existing code; each is the
    // service call its Javadoc names.

    /**
     * The same as {@link CustomerService#upsert} on {@link #customers()}.
     *
     * @param customer the customer
     * @return the answer
     */
    public Customer upsertCustomer(CustomerParams customer) {
        return customers.upsert(customer);
    }

    /**
     * The same as {@link CustomerService#upsert} on {@link #customers()}.
     *
     * @param customer the customer
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Customer upsertCustomer(CustomerParams customer, RequestOptions options) {
        return customers.upsert(customer, options);
    }

    /**
     * The same as {@link CustomerService#upsertBatch} on {@link #customers()}.
     *
     * @param customers the customers
     * @return the answer
     */
    public List<BatchItemResult> upsertCustomers(List<CustomerParams> customers) {
        return this.customers.upsertBatch(customers);
    }

    /**
     * The same as {@link CustomerService#upsertBatch} on {@link #customers()}.
     *
     * @param customers the customers
     * @param options overrides of the client's settings
     * @return the answer
     */
    public List<BatchItemResult> upsertCustomers(
            List<CustomerParams> customers, RequestOptions options) {
        return this.customers.upsertBatch(customers, options);
    }

    /**
     * The same as {@link CustomerService#retrieve} on {@link #customers()}.
     *
     * @param customerId your id for the customer
     * @return the answer
     */
    public Customer customer(String customerId) {
        return customers.retrieve(customerId);
    }

    /**
     * The same as {@link CustomerService#retrieve} on {@link #customers()}.
     *
     * @param customerId your id for the customer
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Customer customer(String customerId, RequestOptions options) {
        return customers.retrieve(customerId, options);
    }

    /**
     * The same as {@link CustomerService#delete} on {@link #customers()}.
     *
     * @param customerId your id for the customer
     */
    public void deleteCustomer(String customerId) {
        customers.delete(customerId);
    }

    /**
     * The same as {@link CustomerService#delete} on {@link #customers()}.
     *
     * @param customerId your id for the customer
     * @param options overrides of the client's settings
     */
    public void deleteCustomer(String customerId, RequestOptions options) {
        customers.delete(customerId, options);
    }

    /**
     * The same as {@link ProductService#upsert} on {@link #products()}.
     *
     * @param product the product
     * @return the answer
     */
    public Product upsertProduct(ProductParams product) {
        return products.upsert(product);
    }

    /**
     * The same as {@link ProductService#upsert} on {@link #products()}.
     *
     * @param product the product
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Product upsertProduct(ProductParams product, RequestOptions options) {
        return products.upsert(product, options);
    }

    /**
     * The same as {@link ProductService#upsertBatch} on {@link #products()}.
     *
     * @param products the products
     * @return the answer
     */
    public List<BatchItemResult> upsertProducts(List<ProductParams> products) {
        return this.products.upsertBatch(products);
    }

    /**
     * The same as {@link ProductService#upsertBatch} on {@link #products()}.
     *
     * @param products the products
     * @param options overrides of the client's settings
     * @return the answer
     */
    public List<BatchItemResult> upsertProducts(
            List<ProductParams> products, RequestOptions options) {
        return this.products.upsertBatch(products, options);
    }

    /**
     * The same as {@link ProductService#retrieve} on {@link #products()}.
     *
     * @param productId your id for the product
     * @return the answer
     */
    public Product product(String productId) {
        return products.retrieve(productId);
    }

    /**
     * The same as {@link ProductService#retrieve} on {@link #products()}.
     *
     * @param productId your id for the product
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Product product(String productId, RequestOptions options) {
        return products.retrieve(productId, options);
    }

    /**
     * The same as {@link RecommendationService#rows} on {@link #recommendations()}.
     *
     * @param customerId your id for the customer
     * @param params the options of the call
     * @return the answer
     */
    public Rows rows(String customerId, RowsParams params) {
        return recommendations.rows(customerId, params);
    }

    /**
     * The same as {@link RecommendationService#rows} on {@link #recommendations()}.
     *
     * @param customerId your id for the customer
     * @param params the options of the call
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Rows rows(String customerId, RowsParams params, RequestOptions options) {
        return recommendations.rows(customerId, params, options);
    }

    /**
     * The same as {@link RecommendationService#forCustomer} on {@link #recommendations()}.
     *
     * @param customerId your id for the customer
     * @param params the options of the call
     * @return the answer
     */
    public Recommendations recommendations(String customerId, RecommendationsParams params) {
        return recommendations.forCustomer(customerId, params);
    }

    /**
     * The same as {@link RecommendationService#forCustomer} on {@link #recommendations()}.
     *
     * @param customerId your id for the customer
     * @param params the options of the call
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Recommendations recommendations(
            String customerId, RecommendationsParams params, RequestOptions options) {
        return recommendations.forCustomer(customerId, params, options);
    }

    /**
     * The same as {@link RecommendationService#similar} on {@link #recommendations()}.
     *
     * @param productId your id for the product
     * @param params the options of the call
     * @return the answer
     */
    public Recommendations similarProducts(String productId, SimilarProductsParams params) {
        return recommendations.similar(productId, params);
    }

    /**
     * The same as {@link RecommendationService#similar} on {@link #recommendations()}.
     *
     * @param productId your id for the product
     * @param params the options of the call
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Recommendations similarProducts(
            String productId, SimilarProductsParams params, RequestOptions options) {
        return recommendations.similar(productId, params, options);
    }

    /**
     * The same as {@link CampaignService#create} on {@link #campaigns()}.
     *
     * @param campaign the definition
     * @return the answer
     */
    public Campaign createCampaign(CampaignParams campaign) {
        return campaigns.create(campaign);
    }

    /**
     * The same as {@link CampaignService#create} on {@link #campaigns()}.
     *
     * @param campaign the definition
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Campaign createCampaign(CampaignParams campaign, RequestOptions options) {
        return campaigns.create(campaign, options);
    }

    /**
     * The same as {@link CampaignService#update} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param campaign the definition
     * @return the answer
     */
    public Campaign updateCampaign(String campaignId, CampaignParams campaign) {
        return campaigns.update(campaignId, campaign, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#update} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param campaign the definition
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Campaign updateCampaign(
            String campaignId, CampaignParams campaign, RequestOptions options) {
        return campaigns.update(campaignId, campaign, options);
    }

    /**
     * The same as {@link CampaignService#list} on {@link #campaigns()}.
     *
     * @param params the options of the call
     * @return the answer
     */
    public Page<Campaign> campaigns(CampaignListParams params) {
        return campaigns.list(params);
    }

    /**
     * The same as {@link CampaignService#list} on {@link #campaigns()}.
     *
     * @param params the options of the call
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Page<Campaign> campaigns(CampaignListParams params, RequestOptions options) {
        return campaigns.list(params, options);
    }

    /**
     * The same as {@link CampaignService#retrieve} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @return the answer
     */
    public Campaign campaign(String campaignId) {
        return campaigns.retrieve(campaignId);
    }

    /**
     * The same as {@link CampaignService#retrieve} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Campaign campaign(String campaignId, RequestOptions options) {
        return campaigns.retrieve(campaignId, options);
    }

    /**
     * The same as {@link CampaignService#preview} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @return the answer
     */
    public CampaignPreview previewCampaign(String campaignId) {
        return campaigns.preview(campaignId, null, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#preview} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param customerId the customer to render the email for, or null for the audience's first
     * @param options overrides of the client's settings
     * @return the answer
     */
    public CampaignPreview previewCampaign(
            String campaignId, String customerId, RequestOptions options) {
        return campaigns.preview(campaignId, customerId, options);
    }

    /**
     * The same as {@link CampaignService#launch} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @return the answer
     */
    public Campaign launchCampaign(String campaignId) {
        return campaigns.launch(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#launch} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Campaign launchCampaign(String campaignId, RequestOptions options) {
        return campaigns.launch(campaignId, options);
    }

    /**
     * The same as {@link CampaignService#pause} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @return the answer
     */
    public Campaign pauseCampaign(String campaignId) {
        return campaigns.pause(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#pause} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Campaign pauseCampaign(String campaignId, RequestOptions options) {
        return campaigns.pause(campaignId, options);
    }

    /**
     * The same as {@link CampaignService#resume} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @return the answer
     */
    public Campaign resumeCampaign(String campaignId) {
        return campaigns.resume(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#resume} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Campaign resumeCampaign(String campaignId, RequestOptions options) {
        return campaigns.resume(campaignId, options);
    }

    /**
     * The same as {@link CampaignService#cancel} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @return the answer
     */
    public Campaign cancelCampaign(String campaignId) {
        return campaigns.cancel(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#cancel} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Campaign cancelCampaign(String campaignId, RequestOptions options) {
        return campaigns.cancel(campaignId, options);
    }

    /**
     * The same as {@link CampaignService#ledger} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @return the answer
     */
    public Ledger campaignLedger(String campaignId) {
        return campaigns.ledger(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#ledger} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the answer
     */
    public Ledger campaignLedger(String campaignId, RequestOptions options) {
        return campaigns.ledger(campaignId, options);
    }

    /**
     * The same as {@link CampaignService#lift} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param windowDays the window, 1 to 365 days
     * @return the answer
     */
    public LiftReport liftReport(String campaignId, int windowDays) {
        return campaigns.lift(campaignId, windowDays, RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#lift} on {@link #campaigns()}.
     *
     * @param campaignId the campaign's id
     * @param windowDays the window, 1 to 365 days
     * @param options overrides of the client's settings
     * @return the answer
     */
    public LiftReport liftReport(String campaignId, int windowDays, RequestOptions options) {
        return campaigns.lift(campaignId, windowDays, options);
    }

    /**
     * The same as {@link CampaignService#liftOverview} on {@link #campaigns()}.
     *
     * @return the answer
     */
    public LiftOverview liftReports() {
        return campaigns.liftOverview(RequestOptions.DEFAULT);
    }

    /**
     * The same as {@link CampaignService#liftOverview} on {@link #campaigns()}.
     *
     * @param options overrides of the client's settings
     * @return the answer
     */
    public LiftOverview liftReports(RequestOptions options) {
        return campaigns.liftOverview(options);
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
        private Duration callTimeout = Duration.ofSeconds(60);
        private HttpClient httpClient;
        private Executor executor;
        private System.Logger logger = System.getLogger("io.hilal.sdk");
        private EventInterceptor interceptor;
        private Duration shutdownHookTimeout;

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
         * Connect timeout and timeout of each attempt (default 15 s); {@link #callTimeout} bounds
         * the whole call.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * The total deadline of each synchronous call and of each event batch's delivery, every
         * attempt and wait between attempts included (default 60 s); past it the call throws {@link
         * HilalException.HilalTimeoutException} (code {@code timeout}).
         *
         * @param timeout the deadline
         * @return this builder
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /**
         * Your own JDK {@link HttpClient} (proxy, TLS, HTTP version, its executor) instead of one
         * the client makes; {@link #timeout} still bounds each attempt. The client does not close
         * it.
         *
         * @param httpClient the HTTP client
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Where the {@code …Async} calls run (default: the client's own daemon threads, created as
         * needed and stopped by {@link HilalClient#close()}). The client does not shut yours down.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Where the client logs (default {@code System.getLogger("io.hilal.sdk")}, which goes to
         * java.util.logging unless your logging library binds {@code System.Logger}): each batch
         * not delivered and each rejection at WARNING, outages and recoveries at WARNING and INFO,
         * and what {@link HilalClient#close()} could not deliver.
         *
         * @param logger the logger
         * @return this builder
         */
        public Builder logger(System.Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /**
         * Sees every event before it is queued and may add to it, e.g. context every event should
         * carry.
         *
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder interceptor(EventInterceptor interceptor) {
            this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
            return this;
        }

        /**
         * Registers a JVM shutdown hook that closes the client, sending what is queued within
         * {@code timeout} (and spooling the rest when there is a spool), so an application that
         * returns from {@code main} or is stopped with SIGTERM without calling {@link
         * HilalClient#close()} loses nothing queued. {@link HilalClient#close()} removes the hook.
         * (A SIGKILL runs no hook: only the spool survives that.)
         *
         * @param timeout how long the hook may take
         * @return this builder
         */
        public Builder shutdownHook(Duration timeout) {
            this.shutdownHookTimeout = positive(timeout, "shutdownHook timeout");
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
         * a retryable error or a refused key (401, 403: start again with the right key and it is
         * sent), or when the client closes before sending it. While the spool holds anything, new
         * batches go behind it, so events arrive in order; it drains on its own clock as soon as
         * Hilal answers, whatever the traffic, and while Hilal stays down the oldest batch is tried
         * every {@link #spoolRetryInterval}. Give each client its own folder: a lock keeps two out.
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
