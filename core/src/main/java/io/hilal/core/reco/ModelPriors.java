package io.hilal.core.reco;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a small shop's recommender borrows where its own data is thin: per category, the typical
 * re-buy gap (median and quartiles), the re-buy rate and the category's share of recent sales; and
 * one such prior over the whole shop. Aggregate numbers only, keyed by normalized category name —
 * never a customer or product id — so they can be pooled across tenants that opted in.
 *
 * <p>A category's repeat timing is shrunk toward its prior ({@link #categoryTiming}): toward the
 * pooled prior of the same category when there is one, else toward the shop-wide prior. The
 * popularity ranking takes the pooled categories' sales shares as {@value
 * #POPULARITY_PRIOR_CUSTOMERS} customers' worth of purchases ({@link #withPopularityPrior}). The
 * quartiles are recorded for the model's "why", not used.
 *
 * @param categories priors per normalized category name (pooled across tenants, or one tenant's)
 * @param shop the prior over every category of one shop, or null
 */
public record ModelPriors(Map<String, CategoryPrior> categories, CategoryPrior shop) {
    /** No priors: a category's timing is its own, the popularity ranking its own sales. */
    public static final ModelPriors NONE = new ModelPriors(Map.of(), null);

    /**
     * The prior's weight against a category's own data: its gap counts as this many of the
     * category's own re-buy gaps, its re-buy rate as this many of its own buyers (as a category
     * counts against one product in {@link RecommendationModel}).
     */
    static final double PRIOR_WEIGHT = 5.0;

    /** The pooled popularity prior counts as this many customers' purchases of the shop's own. */
    static final double POPULARITY_PRIOR_CUSTOMERS = 100.0;

    /**
     * Whether every tenant's training shrinks its categories toward its own shop-wide prior,
     * without any opt-in (it borrows nothing from anyone). Off: on Online Retail shops of 300
     * customers it cost the restock row Recall in every seed (EVALUATION.md, "Small shops").
     */
    static final boolean OWN_SHOP_PRIOR_BY_DEFAULT = false;

    /** Category names are stored (and pooled) at most this long. */
    static final int MAX_CATEGORY_LENGTH = 200;

    private static final Duration SALES_HALF_LIFE = Duration.ofDays(30);

    public ModelPriors {
        categories = Map.copyOf(categories);
    }

    /**
     * One category's (or one shop's) repeat behaviour and sales share.
     *
     * @param buyers customer-product pairs in it (a customer who bought a product counts once)
     * @param rebuyers of those, the pairs bought again on another day
     * @param gaps re-buy gaps observed
     * @param gapDays their median, NaN without gaps
     * @param gapLowDays their first quartile, NaN without gaps
     * @param gapHighDays their third quartile, NaN without gaps
     * @param salesShare its share of the shop's time-decayed purchase lines (1 for a shop prior)
     */
    public record CategoryPrior(
            int buyers,
            int rebuyers,
            int gaps,
            double gapDays,
            double gapLowDays,
            double gapHighDays,
            double salesShare) {

        /** The share of buyers who bought again. */
        public double rebuyRate() {
            return buyers == 0 ? 0 : (double) rebuyers / buyers;
        }
    }

    /** What a category's repeat timing comes to: its gap and re-buy rate. */
    public record CategoryTiming(double gapDays, double rebuyRate) {}

    /**
     * A category name as priors key it: Unicode-normalized (NFKC), trimmed, lower case, inner
     * whitespace single; null or blank is no category.
     */
    public static String normalize(String category) {
        if (category == null) {
            return null;
        }
        String normalized =
                Normalizer.normalize(category, Normalizer.Form.NFKC)
                        .strip()
                        .replaceAll("\\s+", " ")
                        .toLowerCase(Locale.ROOT);
        if (normalized.isEmpty()) {
            return null;
        }
        return normalized.length() > MAX_CATEGORY_LENGTH
                ? normalized.substring(0, MAX_CATEGORY_LENGTH)
                : normalized;
    }

    /**
     * Measures one shop's priors from its purchases up to {@code now}: per category (products
     * without one count only toward the shop) and over the whole shop.
     */
    public static ModelPriors measure(
            List<Purchase> purchases, Map<String, ProductInfo> catalog, Instant now) {
        Map<String, Map<String, List<Instant>>> bought = new HashMap<>();
        Map<String, Double> sales = new HashMap<>();
        double lambda = Math.log(2) / SALES_HALF_LIFE.toSeconds();
        double total = 0;
        for (Purchase purchase : purchases) {
            ProductInfo product = catalog.get(purchase.productId());
            if (product == null || purchase.at().isAfter(now)) {
                continue;
            }
            addDay(
                    bought.computeIfAbsent(purchase.customerId(), c -> new HashMap<>()),
                    purchase.productId(),
                    purchase.at());
            double weight = Math.exp(-lambda * Duration.between(purchase.at(), now).toSeconds());
            total += weight;
            String category = normalize(product.category());
            if (category != null) {
                sales.merge(category, weight, Double::sum);
            }
        }
        Map<String, Tally> byCategory = new TreeMap<>();
        Tally shop = new Tally();
        for (Map<String, List<Instant>> products : bought.values()) {
            products.forEach(
                    (productId, days) -> {
                        List<Double> gaps = gapsInDays(days);
                        shop.add(gaps);
                        String category = normalize(catalog.get(productId).category());
                        if (category != null) {
                            byCategory.computeIfAbsent(category, c -> new Tally()).add(gaps);
                        }
                    });
        }
        Map<String, CategoryPrior> categories = new LinkedHashMap<>();
        double salesTotal = total;
        byCategory.forEach(
                (category, tally) ->
                        categories.put(
                                category,
                                tally.prior(
                                        salesTotal == 0
                                                ? 0
                                                : sales.getOrDefault(category, 0.0) / salesTotal)));
        return new ModelPriors(categories, shop.buyers == 0 ? null : shop.prior(1));
    }

    /**
     * Several shops' priors pooled per category: buyers, re-buyers and gaps add up; the typical gap
     * and its quartiles are the gap-weighted geometric means of the shops' (gaps are skewed, and a
     * median of medians needs the raw gaps, which are not shared); the sales share is the mean over
     * the shops (a shop without the category counts 0). The pool has no shop prior: a tenant's own
     * shop-wide prior is its own.
     */
    public static ModelPriors pool(List<ModelPriors> shops) {
        Map<String, List<CategoryPrior>> byCategory = new TreeMap<>();
        for (ModelPriors shop : shops) {
            shop.categories()
                    .forEach(
                            (category, prior) ->
                                    byCategory
                                            .computeIfAbsent(category, c -> new ArrayList<>())
                                            .add(prior));
        }
        Map<String, CategoryPrior> pooled = new LinkedHashMap<>();
        byCategory.forEach(
                (category, priors) -> {
                    int buyers = 0;
                    int rebuyers = 0;
                    int gaps = 0;
                    double logGap = 0;
                    double logLow = 0;
                    double logHigh = 0;
                    double share = 0;
                    for (CategoryPrior prior : priors) {
                        buyers += prior.buyers();
                        rebuyers += prior.rebuyers();
                        share += prior.salesShare() / shops.size();
                        if (prior.gaps() > 0) {
                            gaps += prior.gaps();
                            logGap += prior.gaps() * Math.log(prior.gapDays());
                            logLow += prior.gaps() * Math.log(prior.gapLowDays());
                            logHigh += prior.gaps() * Math.log(prior.gapHighDays());
                        }
                    }
                    pooled.put(
                            category,
                            new CategoryPrior(
                                    buyers,
                                    rebuyers,
                                    gaps,
                                    gaps == 0 ? Double.NaN : Math.exp(logGap / gaps),
                                    gaps == 0 ? Double.NaN : Math.exp(logLow / gaps),
                                    gaps == 0 ? Double.NaN : Math.exp(logHigh / gaps),
                                    share));
                });
        return new ModelPriors(pooled, null);
    }

    /** These priors with another shop prior (the training tenant's own). */
    public ModelPriors withShop(CategoryPrior shopPrior) {
        return new ModelPriors(categories, shopPrior);
    }

    /** Whether there is anything to borrow. */
    public boolean isEmpty() {
        return categories.isEmpty() && shop == null;
    }

    /**
     * A category's repeat timing from its own re-buy gaps (null or empty: none), buyers and
     * re-buyers, shrunk toward its prior: with n own gaps of median g and a prior gap p, (n g + K
     * p) / (n + K), K = {@value #PRIOR_WEIGHT}; its rate (re-buyers + K r) / (buyers + K) around
     * the prior's rate r. Without a prior (or one without gaps) it is the category's own median and
     * rate; null when neither the category nor its prior has a re-buy (nothing to time).
     */
    public CategoryTiming categoryTiming(
            String category, List<Double> ownGaps, int buyers, int rebuyers) {
        CategoryPrior prior = priorFor(category);
        boolean own = ownGaps != null && !ownGaps.isEmpty();
        double ownRate = buyers == 0 ? 0 : (double) rebuyers / buyers;
        if (prior == null || prior.gaps() == 0) {
            return own ? new CategoryTiming(median(ownGaps), ownRate) : null;
        }
        int n = own ? ownGaps.size() : 0;
        double gap =
                ((own ? n * median(ownGaps) : 0) + PRIOR_WEIGHT * prior.gapDays())
                        / (n + PRIOR_WEIGHT);
        double rate = (rebuyers + PRIOR_WEIGHT * prior.rebuyRate()) / (buyers + PRIOR_WEIGHT);
        return new CategoryTiming(gap, rate);
    }

    /** The prior a category is shrunk toward: its pooled one, else the shop's; null for none. */
    CategoryPrior priorFor(String category) {
        String key = normalize(category);
        CategoryPrior pooled = key == null ? null : categories.get(key);
        return pooled != null && pooled.gaps() > 0 ? pooled : shop;
    }

    /**
     * {@code sales} (a product's time-decayed purchase lines) plus the popularity prior: {@value
     * #POPULARITY_PRIOR_CUSTOMERS} customers' worth of the shop's own sales, spread over the pooled
     * categories by their sales share (renormalized over the categories the catalog has) and evenly
     * over each category's recommendable products. Unchanged without pooled categories.
     */
    public Map<String, Double> withPopularityPrior(
            Map<String, Double> sales, Map<String, ProductInfo> catalog, int customers) {
        if (categories.isEmpty() || customers == 0) {
            return sales;
        }
        Map<String, Integer> productsIn = new HashMap<>();
        for (ProductInfo product : catalog.values()) {
            String key = normalize(product.category());
            if (product.recommendable() && key != null && categories.containsKey(key)) {
                productsIn.merge(key, 1, Integer::sum);
            }
        }
        double shareTotal = 0;
        for (String key : productsIn.keySet()) {
            shareTotal += categories.get(key).salesShare();
        }
        if (shareTotal <= 0) {
            return sales;
        }
        double own = sales.values().stream().mapToDouble(Double::doubleValue).sum();
        double mass = POPULARITY_PRIOR_CUSTOMERS * own / customers;
        Map<String, Double> smoothed = new HashMap<>(sales);
        for (ProductInfo product : catalog.values()) {
            String key = normalize(product.category());
            Integer count = key == null ? null : productsIn.get(key);
            if (count != null && product.recommendable()) {
                double prior = mass * categories.get(key).salesShare() / shareTotal / count;
                if (prior > 0) {
                    smoothed.merge(product.productId(), prior, Double::sum);
                }
            }
        }
        return smoothed;
    }

    /**
     * What the model's "why" records of these priors: the shop prior's figures, how many pooled
     * categories there were and how many of them this catalog has.
     */
    public Map<String, Object> describe(Set<String> catalogCategories) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("priorWeight", PRIOR_WEIGHT);
        if (shop != null) {
            Map<String, Object> shopFigures = new LinkedHashMap<>();
            shopFigures.put("gapDays", round(shop.gapDays()));
            shopFigures.put("gapLowDays", round(shop.gapLowDays()));
            shopFigures.put("gapHighDays", round(shop.gapHighDays()));
            shopFigures.put("rebuyRate", round(shop.rebuyRate()));
            shopFigures.put("gaps", shop.gaps());
            described.put("shop", shopFigures);
        }
        long used =
                catalogCategories.stream()
                        .map(ModelPriors::normalize)
                        .distinct()
                        .filter(key -> key != null && categories.containsKey(key))
                        .count();
        described.put("pooledCategories", categories.size());
        described.put("pooledCategoriesInCatalog", used);
        described.put(
                "popularityPriorCustomers", categories.isEmpty() ? 0 : POPULARITY_PRIOR_CUSTOMERS);
        return described;
    }

    private static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 1000) / 1000.0;
    }

    /**
     * Adds a day a product was bought to a customer's days by product: a product bought once (most
     * are) holds a one-element list, not a growable one with room for ten.
     */
    static void addDay(Map<String, List<Instant>> days, String productId, Instant at) {
        days.merge(
                productId,
                List.of(at),
                (held, one) -> {
                    List<Instant> more = held.size() == 1 ? new ArrayList<>(held) : held;
                    more.add(at);
                    return more;
                });
    }

    /**
     * Gaps in days between one customer's purchases of one product; same-day lines are one trip.
     */
    static List<Double> gapsInDays(List<Instant> purchases) {
        List<Instant> sorted = new ArrayList<>(purchases);
        sorted.sort(null);
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            double days = Duration.between(sorted.get(i - 1), sorted.get(i)).toHours() / 24.0;
            if (days >= 1) {
                gaps.add(days);
            }
        }
        return gaps;
    }

    static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    /** The q-quantile, interpolated between the two nearest ranks (q = 0.5: the usual median). */
    static double quantile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        double position = q * (sorted.size() - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted.get(below) + (position - below) * (sorted.get(above) - sorted.get(below));
    }

    /** Counts toward one category's (or the shop's) prior. */
    private static final class Tally {
        int buyers;
        int rebuyers;
        final List<Double> gaps = new ArrayList<>();

        void add(List<Double> pairGaps) {
            buyers++;
            if (!pairGaps.isEmpty()) {
                rebuyers++;
                gaps.addAll(pairGaps);
            }
        }

        CategoryPrior prior(double salesShare) {
            boolean any = !gaps.isEmpty();
            return new CategoryPrior(
                    buyers,
                    rebuyers,
                    gaps.size(),
                    any ? quantile(gaps, 0.5) : Double.NaN,
                    any ? quantile(gaps, 0.25) : Double.NaN,
                    any ? quantile(gaps, 0.75) : Double.NaN,
                    salesShare);
        }
    }
}
