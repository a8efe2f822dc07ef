package io.hilal.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.sdk.HilalException;
import io.hilal.sdk.RequestOptions;
import io.hilal.sdk.model.BatchItemResult;
import io.hilal.sdk.model.Page;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the per-resource services share: typed calls over the transport (with an automatic
 * idempotency key on POST), batch upserts split by count and bytes, query strings, pages and the
 * executor of the async variants. Not part of the SDK's API.
 */
public final class Api {
    /** Hilal's limit for items in one upsert batch. */
    public static final int MAX_BATCH_ITEMS = 1000;

    private static final byte[] BATCH_END = "]}".getBytes(StandardCharsets.UTF_8);

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final Executor executor;

    /**
     * The shared plumbing.
     *
     * @param transport HTTP to Hilal
     * @param mapper JSON
     * @param executor runs the async variants
     */
    public Api(HttpTransport transport, ObjectMapper mapper, Executor executor) {
        this.transport = transport;
        this.mapper = mapper;
        this.executor = executor;
    }

    /**
     * The executor the client makes when given none: daemon threads, created when needed and
     * dropped after a minute idle, since the async calls block on HTTP.
     *
     * @return the executor
     */
    public static ExecutorService defaultExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads =
                task -> {
                    Thread thread = new Thread(task, "hilal-async-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                };
        return Executors.newCachedThreadPool(threads);
    }

    /**
     * A blocking call run on the client's executor.
     *
     * @param <T> the answer's type
     * @param call the call
     * @return its future
     */
    public <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }

    /**
     * Sends as is.
     *
     * @param method the HTTP method
     * @param path the path and query
     * @param body the JSON body, or null
     * @param idempotencyKey the key, or null
     * @param options the call's options
     * @return the answer, or null without a body
     */
    public JsonNode send(
            String method,
            String path,
            byte[] body,
            String idempotencyKey,
            RequestOptions options) {
        return transport.send(
                method, path, body, idempotencyKey, Objects.requireNonNull(options, "options"));
    }

    /**
     * A call whose answer is read as {@code type}; a POST gets the caller's idempotency key or a
     * random one all its retries share.
     *
     * @param <T> the answer's type
     * @param method the HTTP method
     * @param path the path and query
     * @param body the value to send as JSON, or null
     * @param options the call's options
     * @param type the answer's type
     * @return the answer
     */
    public <T> T call(
            String method, String path, Object body, RequestOptions options, Class<T> type) {
        return call(method, path, body, options, mapper.constructType(type));
    }

    /**
     * A call whose answer is read as {@code type}.
     *
     * @param <T> the answer's type
     * @param method the HTTP method
     * @param path the path and query
     * @param body the value to send as JSON, or null
     * @param options the call's options
     * @param type the answer's type
     * @return the answer
     */
    public <T> T call(
            String method, String path, Object body, RequestOptions options, JavaType type) {
        Objects.requireNonNull(options, "options");
        return read(
                transport.send(
                        method,
                        path,
                        body == null ? null : json(body),
                        idempotencyKey(method, options),
                        options),
                type);
    }

    /**
     * The type of a page of {@code item}.
     *
     * @param item the items' type
     * @return the page type
     */
    public JavaType pageOf(Class<?> item) {
        return mapper.getTypeFactory().constructParametricType(Page.class, item);
    }

    /** POSTs act once per key: the caller's, or a random one all retries of this call share. */
    private static String idempotencyKey(String method, RequestOptions options) {
        if (options.idempotencyKey() != null) {
            return options.idempotencyKey();
        }
        return "POST".equals(method) ? "idem_" + UUID.randomUUID() : null;
    }

    /**
     * Upserts many items, split into requests of at most 1,000 items and about 500 KB. Hilal's
     * batch endpoints do not check an {@code Idempotency-Key} (an upsert replaces, so a repeat is
     * harmless), so one given here is refused rather than silently ignored.
     *
     * @param <T> the items' type
     * @param path the batch endpoint
     * @param field the array's name in the body
     * @param items the items
     * @param options the call's options
     * @return one result per item, in order
     * @throws IllegalArgumentException when {@code options} carries an idempotency key
     */
    public <T> List<BatchItemResult> batch(
            String path, String field, Collection<T> items, RequestOptions options) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(items, field);
        if (options.idempotencyKey() != null) {
            throw new IllegalArgumentException(
                    "Hilal's "
                            + path
                            + " does not take an Idempotency-Key: an upsert replaces the whole"
                            + " record, so repeating the same batch is already harmless; leave the"
                            + " key out");
        }
        List<BatchItemResult> results = new ArrayList<>(items.size());
        List<byte[]> chunk = new ArrayList<>();
        int bytes = 0;
        int requests = 0;
        for (T item : items) {
            byte[] json = json(item);
            if (!chunk.isEmpty()
                    && (chunk.size() >= MAX_BATCH_ITEMS
                            || bytes + json.length + 1 > EventPipeline.MAX_BATCH_BYTES - 100)) {
                results.addAll(sendBatch(path, field, chunk, options));
                requests++;
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(json);
            bytes += json.length + 1;
        }
        if (!chunk.isEmpty() || requests == 0) {
            results.addAll(sendBatch(path, field, chunk, options));
        }
        return results;
    }

    private List<BatchItemResult> sendBatch(
            String path, String field, List<byte[]> items, RequestOptions options) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("{\"" + field + "\":[").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(items.get(i));
        }
        body.writeBytes(BATCH_END);
        JsonNode answer =
                transport.send(
                        "POST", path, body.toByteArray(), "idem_" + UUID.randomUUID(), options);
        try {
            return mapper.readerForListOf(BatchItemResult.class)
                    .readValue(answer == null ? null : answer.get("results"));
        } catch (IOException | IllegalArgumentException e) {
            throw new HilalException.HilalConnectionException(
                    "Unexpected answer: " + e.getMessage(), e);
        }
    }

    /**
     * A value as JSON bytes.
     *
     * @param value the value
     * @return its JSON
     */
    public byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON", e);
        }
    }

    /**
     * An answer read as {@code type}.
     *
     * @param <T> the type
     * @param node the answer
     * @param type the type
     * @return the value
     */
    public <T> T read(JsonNode node, JavaType type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new HilalException.HilalConnectionException(
                    "Unexpected answer: " + e.getMessage(), e);
        }
    }

    /**
     * The JSON mapper, for services reading answers by hand.
     *
     * @return the mapper
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * A path segment or query value, percent-encoded.
     *
     * @param value the value, not null
     * @return the encoded value
     */
    public static String encode(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value, "id"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /**
     * Every item of every page, fetched page by page as the iteration reaches it.
     *
     * @param <T> the items' type
     * @param firstCursor the first page's cursor, or null
     * @param fetch a page for a cursor
     * @return the items
     */
    public static <T> Iterable<T> autoPaging(String firstCursor, Function<String, Page<T>> fetch) {
        return () ->
                new Iterator<>() {
                    private Page<T> page = fetch.apply(firstCursor);
                    private int index;

                    @Override
                    public boolean hasNext() {
                        while (page != null
                                && (page.items() == null || index >= page.items().size())) {
                            page = page.hasMore() ? fetch.apply(page.nextCursor()) : null;
                            index = 0;
                        }
                        return page != null;
                    }

                    @Override
                    public T next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return page.items().get(index++);
                    }
                };
    }

    /** A query string of the options that are set. */
    public static final class Query {
        private final StringBuilder text = new StringBuilder();

        /**
         * Adds {@code name=value} when the value is not null.
         *
         * @param name the parameter
         * @param value its value, or null to leave it out
         * @return this query
         */
        public Query add(String name, Object value) {
            if (value != null) {
                text.append(text.length() == 0 ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(encode(value.toString()));
            }
            return this;
        }

        /**
         * Adds {@code name=a,b,c} when the list is not null or empty.
         *
         * @param name the parameter
         * @param values the values, or null
         * @return this query
         */
        public Query addAll(String name, Collection<String> values) {
            return add(name, values == null || values.isEmpty() ? null : String.join(",", values));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
