package io.hilal.core.reco;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A tenant's trained recommender, immutable once built: time-decayed popularity (overall, and per
 * category over the last week), trending products, "often bought together" and "viewed together"
 * neighbours, and repeat-purchase timing per customer and product. Built by {@link #train}; read
 * concurrently by the rows service.
 *
 * <p>Item-to-item similarity is cosine over baskets: co(i, j) / sqrt(n(i) n(j)), where n counts the
 * baskets holding a product — orders for "bought together", a customer's views on one day for
 * "viewed together". Cosine damps the pull of best sellers (which co-occur with everything) without
 * the noise log-likelihood ratio tests add at the small counts most merchants have; neighbours need
 * at least two shared baskets.
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

    // Packed for memory: one tenant's model is held per service instance, for up to a hundred
    // tenants. Products and customers are numbered; per-product and per-customer lists are CSR
    // arrays (start offsets into flat item and score arrays) instead of maps of boxed records.
    private final Instant trainedAt;
    private final ProductInfo[] products;
    private final Map<String, Integer> productIndex;
    private final float[] productGapDays;
    private final Lists popular;
    private final double popularScale;
    private final String[] categories;
    private final Map<String, Integer> categoryIndex;
    private final Lists popularByCategory;
    private final float[] categoryScales;
    private final Lists boughtTogether;
    private final Lists viewedTogether;
    private final List<Trend> trending;
    private final Map<String, Integer> customerIndex;
    private final int[] timingStart;
    private final int[] timingProduct;
    private final long[] timingLastBought;
    private final int[] timingPurchases;
    private final float[] timingGapDays;
    private final float[] timingConfidence;

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

    private RecommendationModel(
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
        this.trainedAt = trainedAt;
        List<String> ids = new ArrayList<>(catalog.keySet());
        ids.sort(null);
        this.products = new ProductInfo[ids.size()];
        this.productIndex = new HashMap<>();
        this.productGapDays = new float[ids.size()];
        for (int p = 0; p < products.length; p++) {
            products[p] = catalog.get(ids.get(p));
            productIndex.put(ids.get(p), p);
            Double gap = productGapDays.get(ids.get(p));
            this.productGapDays[p] = gap == null ? Float.NaN : gap.floatValue();
        }
        this.popular = Lists.pack(List.of(popular), productIndex);
        this.popularScale = popularScale;
        this.categories = popularByCategory.keySet().stream().sorted().toArray(String[]::new);
        this.categoryIndex = index(categories);
        List<List<ScoredItem>> byCategory = new ArrayList<>();
        this.categoryScales = new float[categories.length];
        for (int c = 0; c < categories.length; c++) {
            byCategory.add(popularByCategory.get(categories[c]));
            this.categoryScales[c] = scaleOf(categoryScales, categories[c]);
        }
        this.popularByCategory = Lists.pack(byCategory, productIndex);
        this.boughtTogether = Lists.pack(perProduct(ids, neighbours), productIndex);
        this.viewedTogether = Lists.pack(perProduct(ids, viewedTogether), productIndex);
        this.trending = List.copyOf(trending);
        String[] customers = timings.keySet().stream().sorted().toArray(String[]::new);
        this.customerIndex = index(customers);
        int total = timings.values().stream().mapToInt(Map::size).sum();
        this.timingStart = new int[customers.length + 1];
        this.timingProduct = new int[total];
        this.timingLastBought = new long[total];
        this.timingPurchases = new int[total];
        this.timingGapDays = new float[total];
        this.timingConfidence = new float[total];
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
    }

    /** Scored product lists, packed: list i holds items[start[i]] … items[start[i + 1] - 1]. */
    private record Lists(int[] start, int[] items, float[] scores) {
        static Lists pack(List<List<ScoredItem>> lists, Map<String, Integer> productIndex) {
            int total = lists.stream().mapToInt(List::size).sum();
            int[] start = new int[lists.size() + 1];
            int[] items = new int[total];
            float[] scores = new float[total];
            int at = 0;
            for (int i = 0; i < lists.size(); i++) {
                start[i] = at;
                for (ScoredItem item : lists.get(i)) {
                    items[at] = productIndex.get(item.productId());
                    scores[at] = (float) item.score();
                    at++;
                }
            }
            start[lists.size()] = at;
            return new Lists(start, items, scores);
        }

        /** Whether any product of list {@code list} passes {@code test}, without building it. */
        boolean any(int list, ProductInfo[] products, Predicate<String> test) {
            if (list < 0 || list >= start.length - 1) {
                return false;
            }
            for (int at = start[list]; at < start[list + 1]; at++) {
                if (test.test(products[items[at]].productId())) {
                    return true;
                }
            }
            return false;
        }

        List<ScoredItem> get(int list, ProductInfo[] products) {
            if (list < 0 || list >= start.length - 1) {
                return List.of();
            }
            ScoredItem[] result = new ScoredItem[start[list + 1] - start[list]];
            for (int i = 0; i < result.length; i++) {
                int at = start[list] + i;
                result[i] = new ScoredItem(products[items[at]].productId(), scores[at], null);
            }
            return List.of(result);
        }

        void write(DataOutputStream out) throws IOException {
            writeInts(out, start);
            writeInts(out, items);
            writeFloats(out, scores);
        }

        static Lists read(DataInputStream in) throws IOException {
            return new Lists(readInts(in), readInts(in), readFloats(in));
        }

        long bytes() {
            return 4L * (start.length + items.length + scores.length);
        }
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
        return new RecommendationModel(
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
        return train(purchases, List.of(), catalog, now);
    }

    /**
     * Trains on purchases and product views up to {@code now}; products not in {@code catalog} are
     * ignored.
     */
    public static RecommendationModel train(
            List<Purchase> purchases,
            List<View> views,
            Map<String, ProductInfo> catalog,
            Instant now) {
        Map<String, Double> decayed = new HashMap<>();
        Map<String, Double> decayedWeekly = new HashMap<>();
        Map<String, Set<String>> orderItems = new LinkedHashMap<>();
        Map<String, Map<String, List<Instant>>> boughtDays = new HashMap<>();
        Map<String, Set<String>> recentOrders = new HashMap<>();
        Map<String, Set<String>> baselineOrders = new HashMap<>();
        Instant weekStart = now.minus(TREND_WEEK);
        Instant baselineStart = weekStart.minus(TREND_WEEK.multipliedBy(TREND_BASELINE_WEEKS));
        double lambda = Math.log(2) / HALF_LIFE.toSeconds();
        double weeklyLambda = Math.log(2) / CATEGORY_HALF_LIFE.toSeconds();
        for (Purchase purchase : purchases) {
            if (!catalog.containsKey(purchase.productId()) || purchase.at().isAfter(now)) {
                continue;
            }
            double age = Duration.between(purchase.at(), now).toSeconds();
            decayed.merge(purchase.productId(), Math.exp(-lambda * age), Double::sum);
            decayedWeekly.merge(purchase.productId(), Math.exp(-weeklyLambda * age), Double::sum);
            String order = purchase.customerId() + "\n" + purchase.orderId();
            if (!purchase.at().isBefore(weekStart)) {
                recentOrders.computeIfAbsent(purchase.productId(), k -> new HashSet<>()).add(order);
            } else if (!purchase.at().isBefore(baselineStart)) {
                baselineOrders
                        .computeIfAbsent(purchase.productId(), k -> new HashSet<>())
                        .add(order);
            }
            orderItems
                    .computeIfAbsent(
                            purchase.customerId() + "\n" + purchase.orderId(), k -> new HashSet<>())
                    .add(purchase.productId());
            boughtDays
                    .computeIfAbsent(purchase.customerId(), k -> new HashMap<>())
                    .computeIfAbsent(purchase.productId(), k -> new ArrayList<>())
                    .add(purchase.at());
        }
        Map<String, Set<String>> viewBaskets = new HashMap<>();
        for (View view : views) {
            if (catalog.containsKey(view.productId()) && !view.at().isAfter(now)) {
                // One customer's views on one day stand for a browsing session.
                String day = view.at().truncatedTo(java.time.temporal.ChronoUnit.DAYS).toString();
                viewBaskets
                        .computeIfAbsent(view.customerId() + "\n" + day, k -> new HashSet<>())
                        .add(view.productId());
            }
        }
        List<ScoredItem> popular = rank(decayed, catalog, null);
        Map<String, List<ScoredItem>> byCategory = new HashMap<>();
        Map<String, Double> categoryScales = new HashMap<>();
        for (ProductInfo product : catalog.values()) {
            if (product.category() != null && !byCategory.containsKey(product.category())) {
                byCategory.put(
                        product.category(), rank(decayedWeekly, catalog, product.category()));
                categoryScales.put(
                        product.category(), top(decayedWeekly, catalog, product.category()));
            }
        }
        byCategory.values().removeIf(List::isEmpty);
        categoryScales.keySet().retainAll(byCategory.keySet());
        Map<String, Double> gaps = new HashMap<>();
        Map<String, Map<String, Timing>> timings = timings(boughtDays, catalog, gaps);
        return new RecommendationModel(
                now,
                Map.copyOf(catalog),
                popular,
                top(decayed, catalog, null),
                byCategory,
                categoryScales,
                neighbours(orderItems, catalog),
                neighbours(viewBaskets, catalog),
                trends(recentOrders, baselineOrders, catalog),
                timings,
                gaps);
    }

    /**
     * Products whose orders last week clearly exceed their usual weekly rate, scored like a z-value
     * ((last week − usual) / sqrt(usual + 1)) so a jump from 40 to 60 orders does not lose to one
     * from 0 to 3. At least three orders last week and half again the usual rate.
     */
    private static List<Trend> trends(
            Map<String, Set<String>> recent,
            Map<String, Set<String>> baseline,
            Map<String, ProductInfo> catalog) {
        List<Trend> trends = new ArrayList<>();
        recent.forEach(
                (product, orders) -> {
                    int lastWeek = orders.size();
                    double usual =
                            baseline.getOrDefault(product, Set.of()).size()
                                    / (double) TREND_BASELINE_WEEKS;
                    if (catalog.get(product).recommendable()
                            && lastWeek >= 3
                            && lastWeek >= 1.5 * usual) {
                        trends.add(
                                new Trend(
                                        product,
                                        lastWeek,
                                        usual,
                                        (lastWeek - usual) / Math.sqrt(usual + 1)));
                    }
                });
        trends.sort(
                Comparator.comparingDouble(Trend::score)
                        .reversed()
                        .thenComparing(Trend::productId));
        return List.copyOf(trends.subList(0, Math.min(100, trends.size())));
    }

    /** The highest score {@link #rank} divides by: 1 when nothing is ranked. */
    private static double top(
            Map<String, Double> scores, Map<String, ProductInfo> catalog, String category) {
        double top = 0;
        for (Map.Entry<String, Double> entry : scores.entrySet()) {
            ProductInfo product = catalog.get(entry.getKey());
            if (product.recommendable()
                    && (category == null || category.equals(product.category()))) {
                top = Math.max(top, entry.getValue());
            }
        }
        return top == 0 ? 1 : top;
    }

    private static List<ScoredItem> rank(
            Map<String, Double> scores, Map<String, ProductInfo> catalog, String category) {
        List<ScoredItem> items = new ArrayList<>();
        for (Map.Entry<String, Double> entry : scores.entrySet()) {
            ProductInfo product = catalog.get(entry.getKey());
            if (product.recommendable()
                    && (category == null || category.equals(product.category()))) {
                items.add(new ScoredItem(entry.getKey(), entry.getValue(), null));
            }
        }
        items.sort(
                Comparator.comparingDouble(ScoredItem::score)
                        .reversed()
                        .thenComparing(ScoredItem::productId));
        double top = items.isEmpty() ? 1 : items.get(0).score();
        List<ScoredItem> normalized = new ArrayList<>();
        for (ScoredItem item : items.subList(0, Math.min(200, items.size()))) {
            normalized.add(new ScoredItem(item.productId(), item.score() / top, null));
        }
        return List.copyOf(normalized);
    }

    private static Map<String, List<ScoredItem>> neighbours(
            Map<String, Set<String>> baskets, Map<String, ProductInfo> catalog) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Map<String, Integer>> pairs = new HashMap<>();
        for (Set<String> items : baskets.values()) {
            if (items.size() > 100) {
                continue; // a wholesale basket says little about what goes together
            }
            for (String item : items) {
                counts.merge(item, 1, Integer::sum);
                for (String other : items) {
                    if (!other.equals(item)) {
                        pairs.computeIfAbsent(item, k -> new HashMap<>())
                                .merge(other, 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, List<ScoredItem>> result = new HashMap<>();
        pairs.forEach(
                (item, others) -> {
                    List<ScoredItem> scored = new ArrayList<>();
                    others.forEach(
                            (other, together) -> {
                                if (together >= 2 && catalog.get(other).recommendable()) {
                                    double cosine =
                                            together
                                                    / Math.sqrt(
                                                            (double) counts.get(item)
                                                                    * counts.get(other));
                                    scored.add(new ScoredItem(other, cosine, null));
                                }
                            });
                    scored.sort(
                            Comparator.comparingDouble(ScoredItem::score)
                                    .reversed()
                                    .thenComparing(ScoredItem::productId));
                    if (!scored.isEmpty()) {
                        result.put(
                                item,
                                List.copyOf(
                                        scored.subList(0, Math.min(NEIGHBOURS, scored.size()))));
                    }
                });
        return result;
    }

    /**
     * Each customer's gap between buying a product again, shrunk hierarchically: the customer's own
     * gaps toward the product's, and the product's toward its category's.
     *
     * <ul>
     *   <li>Category: the median of every re-buy gap of its products, and its re-buy rate (buyers
     *       of a product who bought that product again, over all its products' buyers).
     *   <li>Product: with m re-buy gaps of median g and a category gap c, (m g + K c) / (m + K), K
     *       = {@value #CATEGORY_SHRINKAGE}; its re-buy rate (re-buyers + K r) / (buyers + K) around
     *       the category's rate r. A product nobody re-buys in a category that is re-bought takes
     *       the category's gap as its prior, at a rate that drops with every buyer who did not come
     *       back; a product nobody re-buys in a category nobody re-buys (or with none) is a
     *       one-off: owned, never due.
     *   <li>Customer: with n own gaps of mean g and the product's gap p, (n g + k p) / (n + k), k =
     *       {@value #SHRINKAGE}; confidence = the product's re-buy rate × (n + 1) / (n + 1 + k).
     * </ul>
     *
     * <p>{@code productGaps} receives the products' shrunk gaps, for products someone re-buys.
     */
    private static Map<String, Map<String, Timing>> timings(
            Map<String, Map<String, List<Instant>>> boughtDays,
            Map<String, ProductInfo> catalog,
            Map<String, Double> productGaps) {
        Map<String, List<Double>> allGaps = new HashMap<>();
        Map<String, int[]> buyers = new HashMap<>();
        Map<String, List<Double>> categoryGaps = new HashMap<>();
        Map<String, int[]> categoryBuyers = new HashMap<>();
        for (Map<String, List<Instant>> products : boughtDays.values()) {
            for (Map.Entry<String, List<Instant>> entry : products.entrySet()) {
                List<Double> gaps = gapsInDays(entry.getValue());
                String category = catalog.get(entry.getKey()).category();
                int[] counts = buyers.computeIfAbsent(entry.getKey(), k -> new int[2]);
                int[] inCategory =
                        category == null
                                ? new int[2]
                                : categoryBuyers.computeIfAbsent(category, k -> new int[2]);
                counts[0]++;
                inCategory[0]++;
                if (!gaps.isEmpty()) {
                    counts[1]++;
                    inCategory[1]++;
                    allGaps.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).addAll(gaps);
                    if (category != null) {
                        categoryGaps.computeIfAbsent(category, k -> new ArrayList<>()).addAll(gaps);
                    }
                }
            }
        }
        Map<String, Double> categoryGap = new HashMap<>();
        categoryGaps.forEach((category, gaps) -> categoryGap.put(category, median(gaps)));
        // Per product: its prior gap and re-buy rate; absent for one-offs.
        Map<String, double[]> prior = new HashMap<>();
        buyers.forEach(
                (product, counts) -> {
                    String category = catalog.get(product).category();
                    Double fromCategory = category == null ? null : categoryGap.get(category);
                    List<Double> own = allGaps.get(product);
                    if (own == null && fromCategory == null) {
                        return; // nobody buys it twice, nor anything like it: a one-off
                    }
                    double gap;
                    double rate;
                    if (fromCategory == null) {
                        gap = median(own);
                        rate = (double) counts[1] / counts[0];
                    } else {
                        int[] inCategory = categoryBuyers.get(category);
                        double categoryRate = (double) inCategory[1] / inCategory[0];
                        int gaps = own == null ? 0 : own.size();
                        gap =
                                own == null
                                        ? fromCategory
                                        : (gaps * median(own) + CATEGORY_SHRINKAGE * fromCategory)
                                                / (gaps + CATEGORY_SHRINKAGE);
                        rate =
                                (counts[1] + CATEGORY_SHRINKAGE * categoryRate)
                                        / (counts[0] + CATEGORY_SHRINKAGE);
                    }
                    prior.put(product, new double[] {gap, rate});
                    if (own != null) {
                        productGaps.put(product, gap);
                    }
                });
        Map<String, Map<String, Timing>> result = new HashMap<>();
        boughtDays.forEach(
                (customer, products) -> {
                    Map<String, Timing> own = new HashMap<>();
                    products.forEach(
                            (product, days) -> {
                                double[] productPrior = prior.get(product);
                                if (productPrior == null) {
                                    own.put(
                                            product,
                                            new Timing(
                                                    product,
                                                    Collections.max(days),
                                                    days.size(),
                                                    Double.NaN,
                                                    0));
                                    return;
                                }
                                List<Double> gaps = gapsInDays(days);
                                double mean =
                                        gaps.stream()
                                                .mapToDouble(Double::doubleValue)
                                                .average()
                                                .orElse(0);
                                double gap =
                                        (gaps.size() * mean + SHRINKAGE * productPrior[0])
                                                / (gaps.size() + SHRINKAGE);
                                double confidence =
                                        productPrior[1]
                                                * (gaps.size() + 1)
                                                / (gaps.size() + 1 + SHRINKAGE);
                                own.put(
                                        product,
                                        new Timing(
                                                product,
                                                Collections.max(days),
                                                days.size(),
                                                gap,
                                                confidence));
                            });
                    result.put(customer, own);
                });
        return result;
    }

    private static List<Double> gapsInDays(List<Instant> purchases) {
        List<Instant> sorted = new ArrayList<>(purchases);
        sorted.sort(null);
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            double days = Duration.between(sorted.get(i - 1), sorted.get(i)).toHours() / 24.0;
            if (days >= 1) { // same-day lines are one shopping trip
                gaps.add(days);
            }
        }
        return gaps;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The artifact kind this model is stored under. */
    public static final String KIND = "recommender";

    /** Format 4 added the popularity scales; format 3 artifacts are read without them. */
    private static final int FORMAT = 4;

    private static final int OLDEST_FORMAT = 3;

    private RecommendationModel(
            Instant trainedAt,
            ProductInfo[] products,
            float[] productGapDays,
            Lists popular,
            double popularScale,
            String[] categories,
            Lists popularByCategory,
            float[] categoryScales,
            Lists boughtTogether,
            Lists viewedTogether,
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
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out =
                new DataOutputStream(
                        new java.io.BufferedOutputStream(new DeflaterOutputStream(buffer)))) {
            out.writeUTF("hilal-recommender");
            out.writeInt(FORMAT);
            out.writeLong(trainedAt.toEpochMilli());
            out.writeInt(products.length);
            for (ProductInfo product : products) {
                out.writeUTF(product.productId());
                writeNullable(out, product.title());
                writeNullable(out, product.category());
                out.writeBoolean(product.recommendable());
            }
            writeFloats(out, productGapDays);
            popular.write(out);
            out.writeInt(categories.length);
            for (String category : categories) {
                out.writeUTF(category);
            }
            popularByCategory.write(out);
            boughtTogether.write(out);
            viewedTogether.write(out);
            out.writeInt(trending.size());
            for (Trend trend : trending) {
                out.writeUTF(trend.productId());
                out.writeInt(trend.lastWeek());
                out.writeDouble(trend.usualWeekly());
                out.writeDouble(trend.score());
            }
            String[] customers = new String[customerIndex.size()];
            customerIndex.forEach((customer, c) -> customers[c] = customer);
            out.writeInt(customers.length);
            for (String customer : customers) {
                out.writeUTF(customer);
            }
            writeInts(out, timingStart);
            writeInts(out, timingProduct);
            out.writeInt(timingLastBought.length);
            for (long value : timingLastBought) {
                out.writeLong(value);
            }
            writeInts(out, timingPurchases);
            writeFloats(out, timingGapDays);
            writeFloats(out, timingConfidence);
            out.writeDouble(popularScale);
            writeFloats(out, categoryScales);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static RecommendationModel fromBytes(byte[] bytes) {
        try (DataInputStream in =
                new DataInputStream(
                        new java.io.BufferedInputStream(
                                new InflaterInputStream(new ByteArrayInputStream(bytes))))) {
            if (!"hilal-recommender".equals(in.readUTF())) {
                throw new IllegalArgumentException("not a recommender artifact");
            }
            int format = in.readInt();
            if (format < OLDEST_FORMAT || format > FORMAT) {
                throw new IllegalArgumentException("recommender artifact of format " + format);
            }
            Instant trainedAt = Instant.ofEpochMilli(in.readLong());
            ProductInfo[] products = new ProductInfo[in.readInt()];
            for (int p = 0; p < products.length; p++) {
                products[p] =
                        new ProductInfo(
                                in.readUTF(), readNullable(in), readNullable(in), in.readBoolean());
            }
            float[] gaps = readFloats(in);
            Lists popular = Lists.read(in);
            String[] categories = new String[in.readInt()];
            for (int c = 0; c < categories.length; c++) {
                categories[c] = in.readUTF();
            }
            Lists byCategory = Lists.read(in);
            Lists boughtTogether = Lists.read(in);
            Lists viewedTogether = Lists.read(in);
            List<Trend> trending = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                trending.add(
                        new Trend(in.readUTF(), in.readInt(), in.readDouble(), in.readDouble()));
            }
            String[] customers = new String[in.readInt()];
            for (int c = 0; c < customers.length; c++) {
                customers[c] = in.readUTF();
            }
            int[] start = readInts(in);
            int[] product = readInts(in);
            long[] lastBought = new long[in.readInt()];
            for (int i = 0; i < lastBought.length; i++) {
                lastBought[i] = in.readLong();
            }
            int[] purchases = readInts(in);
            float[] gapDays = readFloats(in);
            float[] confidence = readFloats(in);
            double popularScale = Double.NaN;
            float[] categoryScales = new float[categories.length];
            java.util.Arrays.fill(categoryScales, Float.NaN);
            if (format >= 4) {
                popularScale = in.readDouble();
                categoryScales = readFloats(in);
            }
            return new RecommendationModel(
                    trainedAt,
                    products,
                    gaps,
                    popular,
                    popularScale,
                    categories,
                    byCategory,
                    categoryScales,
                    boughtTogether,
                    viewedTogether,
                    List.copyOf(trending),
                    customers,
                    start,
                    product,
                    lastBought,
                    purchases,
                    gapDays,
                    confidence);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt recommender artifact", e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int value : values) {
            out.writeInt(value);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] values = new int[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float value : values) {
            out.writeFloat(value);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
