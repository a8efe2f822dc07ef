package io.hilal.core.reco;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a customer owns, with their repeat-purchase timing per product, as rows see it. From their
 * whole purchase history when the signals carry it: products fully refunded are not owned, and
 * history imported after training counts at once. A product the model does not know (added to the
 * catalog after training) is owned as soon as it is bought, so that no discovery row offers it to
 * its buyer. The timing is the model's where it knows the customer and product; otherwise it is
 * worked out the way the model would, from the customer's own gaps shrunk towards the product's
 * typical one (none for a product the model does not know).
 */
final class Ownership {
    /**
     * The re-buy rate assumed for a product a customer owns but the model has no timing for (bought
     * after training, or imported late): a first purchase then holds the confidence 0.2 below the
     * restock threshold's 0.15 only when nobody re-buys the product.
     */
    static final double UNTRAINED_REBUY_RATE = 0.6;

    private Ownership() {}

    static Map<String, RecommendationModel.Timing> of(
            RecommendationModel model, String customerId, CustomerSignals signals) {
        Map<String, RecommendationModel.Timing> trained = model.timings(customerId);
        if (signals.historyRead()) {
            Map<String, RecommendationModel.Timing> owned = new HashMap<>();
            for (PurchaseHistory product : signals.history().values()) {
                owned.put(
                        product.productId(),
                        timing(model, trained.get(product.productId()), product));
            }
            return owned;
        }
        if (signals.newPurchases().isEmpty()) {
            return trained;
        }
        Map<String, RecommendationModel.Timing> owned = new HashMap<>(trained);
        for (Purchase purchase : signals.newPurchases()) {
            RecommendationModel.Timing before = owned.get(purchase.productId());
            if (before != null) {
                if (purchase.at().isAfter(before.lastBought())) {
                    owned.put(
                            purchase.productId(),
                            new RecommendationModel.Timing(
                                    purchase.productId(),
                                    purchase.at(),
                                    before.purchases() + 1,
                                    before.gapDays(),
                                    before.confidence()));
                }
            } else {
                owned.put(
                        purchase.productId(),
                        timing(
                                model,
                                null,
                                new PurchaseHistory(
                                        purchase.productId(), 1, purchase.at(), purchase.at())));
            }
        }
        return owned;
    }

    /**
     * One product's timing from the history: the trained gap and confidence when the model has them
     * (the last purchase and count come from the history), else the model's formula with the
     * product's typical gap as the prior.
     */
    static RecommendationModel.Timing timing(
            RecommendationModel model,
            RecommendationModel.Timing trained,
            PurchaseHistory history) {
        String productId = history.productId();
        if (trained != null) {
            return new RecommendationModel.Timing(
                    productId,
                    history.lastBought().isAfter(trained.lastBought())
                            ? history.lastBought()
                            : trained.lastBought(),
                    Math.max(trained.purchases(), history.purchaseDays()),
                    trained.gapDays(),
                    trained.confidence());
        }
        int gaps = Math.max(0, history.purchaseDays() - 1);
        double mean =
                gaps == 0 ? Double.NaN : days(history.firstBought(), history.lastBought()) / gaps;
        Double prior = model.productGapDays(productId);
        double gap;
        if (prior != null) {
            gap =
                    gaps == 0
                            ? prior
                            : (gaps * mean + RecommendationModel.SHRINKAGE * prior)
                                    / (gaps + RecommendationModel.SHRINKAGE);
        } else {
            gap = mean;
        }
        double confidence =
                Double.isNaN(gap)
                        ? 0
                        : UNTRAINED_REBUY_RATE
                                * (gaps + 1)
                                / (gaps + 1 + RecommendationModel.SHRINKAGE);
        return new RecommendationModel.Timing(
                productId, history.lastBought(), history.purchaseDays(), gap, confidence);
    }

    /**
     * Whether the customer owns a product the model knows: what the model can read of them (their
     * favourite category, what goes with what they bought).
     */
    static boolean anyKnown(
            Map<String, RecommendationModel.Timing> owned, RecommendationModel model) {
        for (String productId : owned.keySet()) {
            if (model.product(productId) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the customer's purchases of the products the model knows differ from what it was
     * trained on (products it does not know change nothing it can score).
     */
    static boolean differsFromModel(
            Map<String, RecommendationModel.Timing> owned,
            RecommendationModel model,
            String customerId) {
        Map<String, RecommendationModel.Timing> trained = model.timings(customerId);
        int known = 0;
        for (RecommendationModel.Timing timing : owned.values()) {
            if (model.product(timing.productId()) == null) {
                continue;
            }
            known++;
            if (!trained.containsKey(timing.productId())
                    || timing.lastBought().isAfter(model.trainedAt())) {
                return true;
            }
        }
        return known != trained.size();
    }

    /** Days from {@code from} to {@code to}, with fractions. */
    static double days(Instant from, Instant to) {
        return Duration.between(from, to).toMinutes() / (24.0 * 60);
    }
}
