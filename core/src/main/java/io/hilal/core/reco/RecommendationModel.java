package io.hilal.core.reco;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A tenant's trained recommender, immutable once built: time-decayed popularity (overall, and per
 * category over the last week), trending products, "often bought together" and "viewed together"
 * neighbours, and repeat-purchase timing per customer and product. Read concurrently by the rows
 * service.
 *
 * <p>This class is the packed model and the questions it answers. {@link RecommenderTraining} and
 * its trainers build it ({@link PopularityTrainer}, {@link NeighbourTrainer} — cosine over orders
 * for "bought together", over a customer's views on one day for "viewed together" — {@link
 * TrendTrainer}, {@link RebuyTimingTrainer}); {@link RecommenderCodec} stores it.
 */
public final class RecommendationModel {
    static final Duration HALF_LIFE = Duration.ofDays(30);

    /** Category rows say "this week": their popularity halves every week. */
    static final Duration CATEGORY_HALF_LIFE = Duration.ofDays(7);

    /** Trending compares the last week with the weekly rate of the four weeks before it. */
    static final Duration TREND_WEEK = Duration.ofDays(7);

    static final int TREND_BASELINE_WEEKS = 4;
    static final int NEIGHBOURS = 20;

    /** Prior weight, in intervals, of the product's typical gap against the customer's own. */
    static final double SHRINKAGE = 2.0;

    /**
     * Prior weight of the category against one product: its re-buy gap counts as this many of the
     * product's own re-buy gaps, its re-buy rate as this many of the product's own buyers.
     */
    static final double CATEGORY_SHRINKAGE = 5.0;

    // Package-private for RecommenderCodec, which writes them as they are.
    // Packed for memory: one tenant's model is held per service instance, for up to a hundred
    // tenants. Products and customers are numbered; per-product and per-customer lists are CSR
    // arrays (start offsets into flat item and score arrays) instead of maps of boxed records.
    final Instant trainedAt;
    final ProductInfo[] products;
    final Map<String, Integer> productIndex;
    final float[] productGapDays;
    final PackedLists popular;
    final double popularScale;
    final String[] categories;
    final Map<String, Integer> categoryIndex;
    final PackedLists popularByCategory;
    final float[] categoryScales;
    final PackedLists boughtTogether;
    final PackedLists viewedTogether;
    final List<Trend> trending;
    final Map<String, Integer> customerIndex;
    final int[] timingStart;
    final int[] timingProduct;
    final long[] timingLastBought;
    final int[] timingPurchases;
    final float[] timingGapDays;
    final float[] timingConfidence;

    /** When a customer is due to buy a product again, from their own and everyone's gaps. */
    public record Timing(
            String productId,
            Instant lastBought,
            int purchases,
            double gapDays,
            double confidence) {

        /** The expected next purchase; the last one again for one-off products. */
        public Instant due() {
            return Double.isNaN(gapDays)
                    ? lastBought
                    : lastBought.plus(Duration.ofMinutes(Math.round(gapDays * 24 * 60)));
        }
    }

    /**
     * A product bought in more orders last week than its usual weekly rate: {@code lastWeek} orders
     * against {@code usualWeekly} on average over the four weeks before.
     */
    public record Trend(String productId, int lastWeek, double usualWeekly, double score) {}

    /**
     * Packs a model from its trained parts: products and customers numbered in id order, each
     * per-product and per-customer list laid out flat.
     */
    static RecommendationModel pack(
            Instant trainedAt,
            Map<String, ProductInfo> catalog,
            List<ScoredItem> popular,
            double popularScale,
            Map<String, List<ScoredItem>> popularByCategory,
            Map<String, Double> categoryScales,
            Map<String, List<ScoredItem>> neighbours,
            Map<String, List<ScoredItem>> viewedTogether,
            List<Trend> trending,
            Map<String, Map<String, Timing>> timings,
            Map<String, Double> productGapDays) {
        List<String> ids = new ArrayList<>(catalog.keySet());
        ids.sort(null);
        ProductInfo[] products = new ProductInfo[ids.size()];
        Map<String, Integer> productIndex = new HashMap<>();
        float[] gapDays = new float[ids.size()];
        for (int p = 0; p < products.length; p++) {
            products[p] = catalog.get(ids.get(p));
            productIndex.put(ids.get(p), p);
            Double gap = productGapDays.get(ids.get(p));
            gapDays[p] = gap == null ? Float.NaN : gap.floatValue();
        }
        String[] categories = popularByCategory.keySet().stream().sorted().toArray(String[]::new);
        List<List<ScoredItem>> byCategory = new ArrayList<>();
        float[] scales = new float[categories.length];
        for (int c = 0; c < categories.length; c++) {
            byCategory.add(popularByCategory.get(categories[c]));
            scales[c] = scaleOf(categoryScales, categories[c]);
        }
        String[] customers = timings.keySet().stream().sorted().toArray(String[]::new);
        int total = timings.values().stream().mapToInt(Map::size).sum();
        int[] timingStart = new int[customers.length + 1];
        int[] timingProduct = new int[total];
        long[] timingLastBought = new long[total];
        int[] timingPurchases = new int[total];
        float[] timingGapDays = new float[total];
        float[] timingConfidence = new float[total];
        int at = 0;
        for (int c = 0; c < customers.length; c++) {
            timingStart[c] = at;
            for (Timing timing : timings.get(customers[c]).values()) {
                timingProduct[at] = productIndex.get(timing.productId());
                timingLastBought[at] = timing.lastBought().toEpochMilli();
                timingPurchases[at] = timing.purchases();
                timingGapDays[at] = (float) timing.gapDays();
                timingConfidence[at] = (float) timing.confidence();
                at++;
            }
        }
        timingStart[customers.length] = at;
        return new RecommendationModel(
                trainedAt,
                products,
                gapDays,
                PackedLists.pack(List.of(popular), productIndex),
                popularScale,
                categories,
                PackedLists.pack(byCategory, productIndex),
                scales,
                PackedLists.pack(perProduct(ids, neighbours), productIndex),
                PackedLists.pack(perProduct(ids, viewedTogether), productIndex),
                List.copyOf(trending),
                customers,
                timingStart,
                timingProduct,
                timingLastBought,
                timingPurchases,
                timingGapDays,
                timingConfidence);
    }

    private static List<List<ScoredItem>> perProduct(
            List<String> ids, Map<String, List<ScoredItem>> lists) {
        List<List<ScoredItem>> result = new ArrayList<>(ids.size());
        for (String id : ids) {
            result.add(lists.getOrDefault(id, List.of()));
        }
        return result;
    }

    private static float scaleOf(Map<String, Double> scales, String category) {
        Double scale = scales.get(category);
        return scale == null ? Float.NaN : scale.floatValue();
    }

    private static Map<String, Integer> index(String[] keys) {
        Map<String, Integer> index = new HashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            index.put(keys[i], i);
        }
        return index;
    }

    /** The customers with re-buy timing, in their packed order. */
    String[] customers() {
        String[] customers = new String[customerIndex.size()];
        customerIndex.forEach((customer, c) -> customers[c] = customer);
        return customers;
    }

    private int productNumber(String productId) {
        Integer p = productIndex.get(productId);
        return p == null ? -1 : p;
    }

    public Instant trainedAt() {
        return trainedAt;
    }

    /** Every product the model knows, showable or not. */
    public List<ProductInfo> products() {
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(products));
    }

    public ProductInfo product(String productId) {
        int p = productNumber(productId);
        return p < 0 ? null : products[p];
    }

    public List<ScoredItem> popular() {
        return popular.get(0, products);
    }

    public List<ScoredItem> popularIn(String category) {
        Integer c = categoryIndex.get(category);
        return c == null ? List.of() : popularByCategory.get(c, products);
    }

    /**
     * What {@link #popular()}'s scores are fractions of: the top product's purchases at {@link
     * #trainedAt()}, each counting half as much every {@link #HALF_LIFE} before it. Sales since
     * training are weighed on this scale to join the ranking. NaN when unknown (an artifact stored
     * before it was kept).
     */
    public double popularScale() {
        return popularScale;
    }

    /**
     * What {@link #popularIn}'s scores of {@code category} are fractions of, as {@link
     * #popularScale()} with a half-life of {@link #CATEGORY_HALF_LIFE}; NaN when unknown or when
     * the category has no ranking.
     */
    public double categoryScale(String category) {
        Integer c = categoryIndex.get(category);
        return c == null ? Double.NaN : categoryScales[c];
    }

    public List<ScoredItem> boughtTogether(String productId) {
        return boughtTogether.get(productNumber(productId), products);
    }

    public List<ScoredItem> viewedTogether(String productId) {
        return viewedTogether.get(productNumber(productId), products);
    }

    /** Whether any product often bought with {@code productId} passes {@code test}. */
    public boolean anyBoughtTogether(String productId, Predicate<String> test) {
        return boughtTogether.any(productNumber(productId), products, test);
    }

    /** Whether any product viewed with {@code productId} passes {@code test}. */
    public boolean anyViewedTogether(String productId, Predicate<String> test) {
        return viewedTogether.any(productNumber(productId), products, test);
    }

    public List<Trend> trending() {
        return trending;
    }

    public Map<String, Timing> timings(String customerId) {
        Integer c = customerIndex.get(customerId);
        if (c == null) {
            return Map.of();
        }
        Map<String, Timing> own = new HashMap<>();
        for (int at = timingStart[c]; at < timingStart[c + 1]; at++) {
            String productId = products[timingProduct[at]].productId();
            own.put(
                    productId,
                    new Timing(
                            productId,
                            Instant.ofEpochMilli(timingLastBought[at]),
                            timingPurchases[at],
                            timingGapDays[at],
                            timingConfidence[at]));
        }
        return own;
    }

    public int customerCount() {
        return customerIndex.size();
    }

    public int productCount() {
        return products.length;
    }

    public boolean knows(String customerId) {
        return customerIndex.containsKey(customerId);
    }

    /** The typical gap between re-buys of a product across customers, when anyone re-buys it. */
    public Double productGapDays(String productId) {
        int p = productNumber(productId);
        return p < 0 || Float.isNaN(productGapDays[p]) ? null : (double) productGapDays[p];
    }

    /**
     * About how many bytes this model holds on the heap: its arrays exactly, its strings, records
     * and hash maps by typical JVM object sizes (compressed references).
     */
    public long memoryBytes() {
        long bytes = 0;
        for (ProductInfo product : products) {
            bytes +=
                    32
                            + stringBytes(product.productId())
                            + stringBytes(product.title())
                            + 48; // map entry and boxed index
        }
        bytes += 4L * productGapDays.length + 4L * categoryScales.length;
        bytes +=
                popular.bytes()
                        + popularByCategory.bytes()
                        + boughtTogether.bytes()
                        + viewedTogether.bytes();
        for (String category : categories) {
            bytes += stringBytes(category) + 48;
        }
        bytes += 64L * trending.size();
        for (String customer : customerIndex.keySet()) {
            bytes += stringBytes(customer) + 48;
        }
        bytes += 4L * timingStart.length + (4L + 8 + 4 + 4 + 4) * timingProduct.length;
        return bytes;
    }

    private static long stringBytes(String value) {
        return value == null ? 0 : 40 + value.length();
    }

    /**
     * A model that knows only what sells: {@code popular}, best first, among {@code catalog}. What
     * serving shows a tenant before its first training, built without training.
     */
    public static RecommendationModel popularOnly(
            Instant present, Map<String, ProductInfo> catalog, List<ScoredItem> popular) {
        return pack(
                present,
                Map.copyOf(catalog),
                popular.stream().filter(item -> catalog.containsKey(item.productId())).toList(),
                1.0, // the scores are order counts
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                List.of(),
                Map.of(),
                Map.of());
    }

    /** Trains on purchases up to {@code now}; products not in {@code catalog} are ignored. */
    public static RecommendationModel train(
            List<Purchase> purchases, Map<String, ProductInfo> catalog, Instant now) {
        return RecommenderTraining.train(purchases, List.of(), catalog, now);
    }

    /**
     * Trains on purchases and product views up to {@code now}; products not in {@code catalog} are
     * ignored. The work is {@link RecommenderTraining}'s; this entry point is kept for callers.
     */
    public static RecommendationModel train(
            List<Purchase> purchases,
            List<View> views,
            Map<String, ProductInfo> catalog,
            Instant now) {
        return RecommenderTraining.train(purchases, views, catalog, now);
    }

    /**
     * As above, borrowing from {@code priors} where the shop's own data is thin ({@link
     * ModelPriors}).
     */
    public static RecommendationModel train(
            List<Purchase> purchases,
            List<View> views,
            Map<String, ProductInfo> catalog,
            Instant now,
            ModelPriors priors) {
        return RecommenderTraining.train(purchases, views, catalog, now, priors);
    }

    /** The artifact kind this model is stored under. */
    public static final String KIND = "recommender";

    /** A model from its packed parts, as {@link #pack} or {@link RecommenderCodec} lay them out. */
    RecommendationModel(
            Instant trainedAt,
            ProductInfo[] products,
            float[] productGapDays,
            PackedLists popular,
            double popularScale,
            String[] categories,
            PackedLists popularByCategory,
            float[] categoryScales,
            PackedLists boughtTogether,
            PackedLists viewedTogether,
            List<Trend> trending,
            String[] customers,
            int[] timingStart,
            int[] timingProduct,
            long[] timingLastBought,
            int[] timingPurchases,
            float[] timingGapDays,
            float[] timingConfidence) {
        this.trainedAt = trainedAt;
        this.products = products;
        this.productIndex = new HashMap<>(products.length * 2);
        for (int p = 0; p < products.length; p++) {
            productIndex.put(products[p].productId(), p);
        }
        this.productGapDays = productGapDays;
        this.popular = popular;
        this.popularScale = popularScale;
        this.categories = categories;
        this.categoryIndex = index(categories);
        this.popularByCategory = popularByCategory;
        this.categoryScales = categoryScales;
        this.boughtTogether = boughtTogether;
        this.viewedTogether = viewedTogether;
        this.trending = trending;
        this.customerIndex = index(customers);
        this.timingStart = timingStart;
        this.timingProduct = timingProduct;
        this.timingLastBought = timingLastBought;
        this.timingPurchases = timingPurchases;
        this.timingGapDays = timingGapDays;
        this.timingConfidence = timingConfidence;
    }

    /** The model as bytes, for the model store; {@link #fromBytes} reads it back. */
    public byte[] toBytes() {
        return RecommenderCodec.write(this);
    }

    /** Reads an artifact written by {@link #toBytes()}, of this format or an older one. */
    public static RecommendationModel fromBytes(byte[] bytes) {
        return RecommenderCodec.read(bytes);
    }

    /** As {@link #fromBytes}, from a stream of the artifact's {@code size} bytes. */
    public static RecommendationModel fromStream(java.io.InputStream in, long size) {
        return RecommenderCodec.read(in, size);
    }
}
