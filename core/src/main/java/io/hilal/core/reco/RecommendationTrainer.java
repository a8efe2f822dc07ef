package io.hilal.core.reco;

import io.hilal.core.catalog.ProductDao;
import io.hilal.core.events.EventType;
import io.hilal.core.models.InteractionDao;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds a tenant's {@link RecommendationModel} from what it ingested. The model's present is the
 * newest purchase, so a shop whose history stops (like the Online Retail demo, which ends in
 * December 2011) still gets sensible restock timing.
 */
public final class RecommendationTrainer {
    private final Jdbi jdbi;

    public RecommendationTrainer(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public RecommendationModel train(String tenantId) {
        return train(tenantId, Instant.parse("9999-01-01T00:00:00Z"));
    }

    /**
     * Trains on what happened before {@code until} only: a model as it would have been then, for
     * replaying a history (the demo's campaign runs at Eid 2011 on data that goes on to December).
     */
    public RecommendationModel train(String tenantId, Instant until) {
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (ProductInfo product : jdbi.onDemand(ProductDao.class).recommendable(tenantId)) {
            catalog.put(product.productId(), product);
        }
        List<Purchase> purchases = new ArrayList<>();
        Instant[] newest = {Instant.EPOCH};
        new InteractionDao(jdbi)
                .stream(
                        tenantId,
                        Instant.EPOCH,
                        until,
                        interaction -> {
                            if (EventType.ORDER_COMPLETED.equals(interaction.type())) {
                                // Bought before the catalog knew it: history, never shown.
                                catalog.computeIfAbsent(
                                        interaction.productId(),
                                        id -> new ProductInfo(id, null, null, false));
                                purchases.add(
                                        new Purchase(
                                                interaction.customerId(),
                                                interaction.productId(),
                                                interaction.orderId(),
                                                interaction.quantity(),
                                                interaction.occurredAt()));
                                if (interaction.occurredAt().isAfter(newest[0])) {
                                    newest[0] = interaction.occurredAt();
                                }
                            }
                        });
        return RecommendationModel.train(purchases, catalog, newest[0]);
    }

    /** Products the customer gave a thumbs-down, to be left out of their rows. */
    public Set<String> thumbsDown(String tenantId, String customerId) {
        return new HashSet<>(
                jdbi.withHandle(
                        handle ->
                                handle.createQuery(
                                                "SELECT product_id FROM events WHERE tenant_id = :tenantId"
                                                        + " AND customer_id = :customerId AND type = 'product_rated'"
                                                        + " AND JSON_VALUE(payload, '$.rating') = 'down'")
                                        .bind("tenantId", tenantId)
                                        .bind("customerId", customerId)
                                        .mapTo(String.class)
                                        .list()));
    }
}
