package io.hilal.service.recommendations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hilal.core.reco.CustomerSignals;
import io.hilal.core.reco.CustomerSignalsDao;
import java.time.Instant;
import java.util.Optional;

/**
 * Customers' signals (purchase history, views, cart, ratings) kept by this service instance between
 * their requests. Every request still asks the database for the customer's signals version, one
 * primary-key lookup, and reads the signals again whenever it moved: an event ingested through any
 * instance shows on the very next request, as without the cache. What it saves is the range scans
 * and aggregations of reading unchanged signals again.
 */
final class CustomerSignalsCache {
    /**
     * Bounded by what the entries hold (one unit per entry and per product in it): about 500,000
     * small objects at most, tens of MiB, whatever the mix of idle and busy customers.
     */
    static final long MAXIMUM_WEIGHT = 500_000;

    private final CustomerSignalsDao dao;
    private final Cache<Key, Entry> cache =
            Caffeine.newBuilder()
                    .maximumWeight(MAXIMUM_WEIGHT)
                    .<Key, Entry>weigher((key, entry) -> entry.weight())
                    .build();

    CustomerSignalsCache(CustomerSignalsDao dao) {
        this.dao = dao;
    }

    /**
     * The customer's signals for a model trained at {@code trainedAt}, as the database has them.
     */
    CustomerSignals signals(String tenantId, String customerId, Instant trainedAt) {
        Key key = new Key(tenantId, customerId);
        Optional<CustomerSignalsDao.SignalsVersion> version =
                dao.signalsVersion(tenantId, customerId);
        if (version.isEmpty()) {
            // No such customer, so no events of theirs: not worth keeping.
            cache.invalidate(key);
            return CustomerSignals.NONE;
        }
        Entry cached = cache.getIfPresent(key);
        if (cached != null
                && cached.version().equals(version.get())
                && cached.trainedAt().equals(trainedAt)) {
            return cached.signals();
        }
        // Read after the version: these signals are at least as new as it says.
        CustomerSignals signals = dao.signals(tenantId, customerId, trainedAt);
        cache.put(key, new Entry(version.get(), trainedAt, signals));
        return signals;
    }

    private record Key(String tenantId, String customerId) {}

    private record Entry(
            CustomerSignalsDao.SignalsVersion version, Instant trainedAt, CustomerSignals signals) {
        int weight() {
            return 1
                    + signals.newPurchases().size()
                    + signals.recentViews().size()
                    + signals.cart().size()
                    + signals.thumbsDown().size()
                    + signals.history().size();
        }
    }
}
