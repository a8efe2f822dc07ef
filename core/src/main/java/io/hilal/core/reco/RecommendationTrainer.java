package io.hilal.core.reco;

import io.hilal.core.catalog.ProductDao;
import io.hilal.core.events.EventType;
import io.hilal.core.reco.eval.GridSample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds a tenant's {@link RecommendationModel} from what it ingested; refunded units no longer
 * count as bought ({@link RefundNetting}). The model's present is the newest purchase, so a shop
 * whose history stops (like the Online Retail demo, which ends in December 2011) still gets
 * sensible restock timing.
 */
public final class RecommendationTrainer {
    private final Jdbi jdbi;
    private final SharedPriors sharedPriors;

    public RecommendationTrainer(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.sharedPriors = new SharedPriors(jdbi, java.time.Clock.systemUTC());
    }

    /** What a tenant's models are trained on: its purchases, views and catalog. */
    public record TrainingData(
            List<Purchase> purchases,
            List<View> views,
            Map<String, ProductInfo> catalog,
            Instant newest) {}

    public RecommendationModel train(String tenantId) {
        return train(load(tenantId));
    }

    /**
     * Trains on what happened before {@code until} only: a model as it would have been then, for
     * replaying a history (the demo's campaign runs at Eid 2011 on data that goes on to December).
     */
    public RecommendationModel train(String tenantId, Instant until) {
        return train(load(tenantId, until));
    }

    public RecommendationModel train(TrainingData data) {
        return train(data, ModelPriors.NONE);
    }

    public RecommendationModel train(TrainingData data, ModelPriors priors) {
        return RecommendationModel.train(
                data.purchases(), data.views(), data.catalog(), data.newest(), priors);
    }

    /**
     * The priors a tenant's training borrows, per the operator's choice ({@link SharedPriors}): the
     * other contributors' pooled priors when it receives. Measures the tenant's own priors and,
     * when it contributes, leaves them in the pool for the others.
     */
    public ModelPriors priors(String tenantId, TrainingData data) {
        ModelPriors own = ModelPriors.measure(data.purchases(), data.catalog(), data.newest());
        sharedPriors.contribute(tenantId, own);
        return sharedPriors.forTraining(
                tenantId, ModelPriors.OWN_SHOP_PRIOR_BY_DEFAULT ? own.shop() : null);
    }

    /** Reads a tenant's training data, streaming it out of the database. */
    public TrainingData load(String tenantId) {
        return load(tenantId, Instant.parse("9999-01-01T00:00:00Z"));
    }

    /** Reads what a tenant's models learn from that happened before {@code until}. */
    public TrainingData load(String tenantId, Instant until) {
        Map<String, ProductInfo> catalog = new HashMap<>();
        for (ProductInfo product : jdbi.onDemand(ProductDao.class).recommendable(tenantId)) {
            catalog.put(product.productId(), product);
        }
        RefundNetting purchases = new RefundNetting();
        List<View> views = new ArrayList<>();
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
                                purchases.bought(
                                        new Purchase(
                                                interaction.customerId(),
                                                interaction.productId(),
                                                interaction.orderId(),
                                                interaction.quantity(),
                                                interaction.occurredAt()));
                            } else if (EventType.ORDER_REFUNDED.equals(interaction.type())) {
                                purchases.refunded(
                                        interaction.customerId(),
                                        interaction.productId(),
                                        -interaction.quantity());
                            } else if (EventType.PRODUCT_VIEWED.equals(interaction.type())
                                    || EventType.PRODUCT_ADDED_TO_CART.equals(interaction.type())) {
                                views.add(
                                        new View(
                                                interaction.customerId(),
                                                interaction.productId(),
                                                interaction.occurredAt()));
                            }
                        });
        List<Purchase> kept = purchases.kept();
        Instant newest = Instant.EPOCH;
        for (Purchase purchase : kept) {
            if (purchase.at().isAfter(newest)) {
                newest = purchase.at();
            }
        }
        return new TrainingData(kept, views, catalog, newest);
    }

    /** A tenant's purchase lines as the database counts them (the Spark trainer's threshold). */
    public InteractionDao.PurchaseCounts purchaseCounts(String tenantId) {
        return new InteractionDao(jdbi).countPurchases(tenantId);
    }

    /**
     * Streams a tenant's (customer, product, weight) pairs into an external trainer's input files
     * in {@code dir}, with its validation split, holding one customer's lines at a time.
     */
    public StreamedPairs streamPairs(
            String tenantId, InteractionDao.PurchaseCounts counts, Path dir) {
        return streamPairs(tenantId, counts, dir, Optional.empty());
    }

    /** As above, keeping every purchase of {@code grid}'s customers for ALS's grid. */
    public StreamedPairs streamPairs(
            String tenantId,
            InteractionDao.PurchaseCounts counts,
            Path dir,
            Optional<GridSample> grid) {
        return StreamedPairs.write(new InteractionDao(jdbi), tenantId, counts, dir, grid);
    }
}
