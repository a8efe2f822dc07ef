package io.hilal.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Each tenant's showable products as the database has them now, kept by one process (a service
 * instance or a worker) and applied as the last rule over whatever a model proposes: a product
 * hidden, made unavailable, sold out or deleted after training leaves every row and email within
 * about {@code refresh} of the change. A tenant's snapshot is checked against its catalog version
 * (one primary-key lookup) at most once per {@code refresh}, and only the products changed since
 * are read again. One request thread per tenant does the check; the others wait for it, so nothing
 * is served from a snapshot checked longer than {@code refresh} before the read.
 */
public final class LiveCatalog {
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

    /**
     * Snapshots kept, weighed in about bytes: some 500,000 products of typical size over all
     * tenants. A tenant evicted is read again in full on its next request.
     */
    static final long MAXIMUM_WEIGHT = 256L << 20;

    /** Scalar attributes kept per product for content-based recommendations. */
    static final int MAX_ATTRIBUTES = 20;

    private static final int MAX_ATTRIBUTE_LENGTH = 100;

    private final Jdbi jdbi;
    private final ObjectMapper mapper = new ObjectMapper();
    private final long refreshNanos;
    private final LongSupplier nanoTime;
    private final Cache<String, Holder> tenants =
            Caffeine.newBuilder()
                    .maximumWeight(MAXIMUM_WEIGHT)
                    .<String, Holder>weigher(
                            (tenantId, holder) ->
                                    (int) Math.min(Integer.MAX_VALUE, holder.snapshot.weight()))
                    .build();

    public LiveCatalog(Jdbi jdbi) {
        this(jdbi, DEFAULT_REFRESH, System::nanoTime);
    }

    LiveCatalog(Jdbi jdbi, Duration refresh, LongSupplier nanoTime) {
        this.jdbi = jdbi;
        this.refreshNanos = refresh.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The tenant's showable products, at most {@code refresh} behind the database. */
    public CatalogSnapshot snapshot(String tenantId) {
        Holder holder = tenants.get(tenantId, id -> new Holder());
        long now = nanoTime.getAsLong();
        if (holder.snapshot != CatalogSnapshot.EMPTY && now - holder.checkedAt < refreshNanos) {
            return holder.snapshot;
        }
        // A read past the refresh waits for the one thread that checks (a primary-key lookup,
        // and the products changed since): serving the old snapshot meanwhile would show, after
        // a quiet spell (a worker between campaigns), a catalog of any age.
        holder.lock.lock();
        try {
            if (holder.snapshot == CatalogSnapshot.EMPTY
                    || now - holder.checkedAt >= refreshNanos) {
                CatalogSnapshot before = holder.snapshot;
                holder.snapshot = refreshed(tenantId, before);
                holder.checkedAt = now;
                if (holder.snapshot != before) {
                    tenants.put(tenantId, holder); // weighed again
                }
            }
            return holder.snapshot;
        } finally {
            holder.lock.unlock();
        }
    }

    private CatalogSnapshot refreshed(String tenantId, CatalogSnapshot snapshot) {
        return jdbi.withExtension(
                CatalogDao.class,
                dao -> {
                    long version = dao.version(tenantId).orElse(0L);
                    if (version == snapshot.version()) {
                        return snapshot;
                    }
                    // Read after the version: every write up to it has committed (writers
                    // commit in version order), and a newer one read here is read again next
                    // time, which does no harm.
                    List<CatalogProduct> showable = new ArrayList<>();
                    List<String> notShowable = new ArrayList<>();
                    for (CatalogDao.ChangedProduct row :
                            dao.changedSince(tenantId, snapshot.version())) {
                        if (Showable.test(row.hidden(), row.available(), row.stock())) {
                            showable.add(toProduct(row));
                        } else {
                            notShowable.add(row.productId());
                        }
                    }
                    return snapshot.with(
                            version,
                            showable,
                            notShowable,
                            dao.deletedSince(tenantId, snapshot.version()));
                });
    }

    private CatalogProduct toProduct(CatalogDao.ChangedProduct row) {
        return new CatalogProduct(
                row.productId(),
                row.title(),
                row.categoryPath() == null
                        ? List.of()
                        : Arrays.asList(row.categoryPath().split(ProductUpsert.CATEGORY_SEPARATOR)),
                row.price() == null ? null : plain(row.price()),
                row.currency(),
                row.imageUrl(),
                row.productUrl(),
                scalarAttributes(row.attributes()),
                row.createdAt());
    }

    /** 12.5 rather than 12.5000, and 20 rather than 2E+1. */
    private static BigDecimal plain(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** The product's short scalar attributes (brand, colour, size…), at most a few. */
    private Map<String, String> scalarAttributes(String json) {
        if (json == null) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (attributes.size() >= MAX_ATTRIBUTES) {
                break;
            }
            JsonNode value = field.getValue();
            if (value.isValueNode()
                    && !value.isNull()
                    && field.getKey().length() <= MAX_ATTRIBUTE_LENGTH
                    && value.asText().length() <= MAX_ATTRIBUTE_LENGTH) {
                attributes.put(field.getKey(), value.asText());
            }
        }
        return attributes;
    }

    /** A tenant's snapshot, when it was last checked, and who may check it next. */
    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;
        volatile long checkedAt;
    }
}
