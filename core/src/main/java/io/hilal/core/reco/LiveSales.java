package io.hilal.core.reco;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Each tenant's sales since its model's training, kept by one process (a service instance or a
 * worker) for at most {@code refresh}: one indexed range read of the newest order lines after the
 * training's cut-off, at most {@link #MAX_LINES} of them, per tenant and refresh. A product that
 * sells after training so enters the popularity, trending and category rows within seconds, without
 * retraining.
 */
public final class LiveSales {
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(2);

    /**
     * Order and refund lines read per tenant at most, the newest first: the sales of the days since
     * a nightly training for most shops; past it the oldest of them (which count least) wait for
     * the next training.
     */
    static final int MAX_LINES = 10_000;

    private final Jdbi jdbi;
    private final Cache<Key, RecentSales> sales;

    public LiveSales(Jdbi jdbi) {
        this(jdbi, DEFAULT_REFRESH);
    }

    public LiveSales(Jdbi jdbi, Duration refresh) {
        this.jdbi = jdbi;
        this.sales = Caffeine.newBuilder().expireAfterWrite(refresh).maximumSize(1_000).build();
    }

    /** The tenant's sales after {@code cutoff}, at most {@code refresh} behind the database. */
    public RecentSales since(String tenantId, Instant cutoff) {
        return sales.get(new Key(tenantId, cutoff), this::read);
    }

    private RecentSales read(Key key) {
        List<RecentSales.Line> lines =
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT product_id, customer_id, message_id,"
                                                        + " quantity, occurred_at FROM order_lines"
                                                        + " WHERE tenant_id = :tenantId"
                                                        + " AND occurred_at > :since"
                                                        + " ORDER BY occurred_at DESC"
                                                        + " LIMIT :limit")
                                        .bind("tenantId", key.tenantId())
                                        .bind("since", key.cutoff())
                                        .bind("limit", MAX_LINES)
                                        .map(
                                                (rs, ctx) ->
                                                        new RecentSales.Line(
                                                                rs.getString(1),
                                                                rs.getString(2),
                                                                rs.getString(3),
                                                                rs.getInt(4),
                                                                ctx.findColumnMapperFor(
                                                                                Instant.class)
                                                                        .orElseThrow()
                                                                        .map(rs, 5, ctx)))
                                        .list());
        return RecentSales.of(lines);
    }

    private record Key(String tenantId, Instant cutoff) {}
}
