package io.hilal.core.reco;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hilal.core.reco.als.AlsModel;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a trained model and what a customer just did into Netflix-style rows, strongest first: what
 * goes with the product or cart in view, "Time to restock", "Because you bought X", "Because you
 * viewed X", "Popular in &lt;category&gt; this week", "Trending this week" and "Popular right now".
 * No product appears twice on a page; hidden or unavailable products never appear; discovery rows
 * skip what the customer already bought (restock is the one row of things they own); products the
 * customer gave a thumbs-down are left out everywhere; the request's category and product rules
 * hold for every row. A customer Hilal knows nothing of gets popular and trending rows, marked as
 * not personalized.
 */
public final class RowsService {
    /** A product view says less than a purchase: it counts this much of one in the fold-in. */
    static final double VIEW_WEIGHT = 0.25;

    /**
     * A fold-in reads at most this many of the customer's newest interactions: their current taste,
     * and a bounded cost (it grows with the square of the rank per product) for wholesale buyers
     * with thousands of products.
     */
    static final int FOLD_IN_LIMIT = 100;

    /** A pick is explained by the closest of this many of the customer's newest products. */
    static final int EXPLANATION_SOURCES = 30;

    /**
     * The rankings kept between a customer's requests, weighed in about bytes: some 20,000
     * customers' "Picked for you" candidates at the default page size.
     */
    static final long RANKINGS_MAXIMUM_WEIGHT = 32L << 20;

    /**
     * Each customer's factor-model ranking (their vector, and the best products they do not own)
     * for the models and signals it was made from. Scoring every product is most of a page's cost;
     * a customer's next page, with nothing new from them, needs the same ranking, whatever the page
     * shows besides. New signals (or a new model) make a new one.
     */
    private final Cache<RankingKey, Ranking> rankings =
            Caffeine.newBuilder()
                    .maximumWeight(RANKINGS_MAXIMUM_WEIGHT)
                    .<RankingKey, Ranking>weigher((key, ranking) -> ranking.weight())
                    .build();

    /** Products added since training, matched to what the customer bought by what they are. */
    private final NewArrivals newArrivals = new NewArrivals();

    /** The products answering a customer's searches. */
    private final SearchCatalog searchCatalog = new SearchCatalog();

    /** The category cap and which of the customer's signals make rows. */
    private final RowsSettings settings;

    /** Rows with the default settings. */
    public RowsService() {
        this(RowsSettings.DEFAULTS);
    }

    /** The default rows under {@code diversity}. */
    public RowsService(CategoryCap diversity) {
        this(RowsSettings.DEFAULTS.withDiversity(diversity));
    }

    public RowsService(RowsSettings settings) {
        this.settings = settings;
    }

    /** Rows built from what this customer did; a page with none of them is not personalized. */
    private static final Set<String> PERSONAL =
            Set.of(
                    "complete-your-cart",
                    "time-to-restock",
                    "picked-for-you",
                    "new-for-you",
                    "because-you-searched",
                    "because-you-bought",
                    "because-you-viewed");

    /** Where the rows are shown. */
    public record Context(String kind, String productId) {
        public static final Context HOME = new Context("home", null);

        public static Context product(String productId) {
            return new Context("product", productId);
        }

        public static Context cart() {
            return new Context("cart", null);
        }

        public static Context email() {
            return new Context("email", null);
        }
    }

    /** The rows for a page, without any signals newer than the model. */
    public Rows rows(
            RecommendationModel model,
            String customerId,
            String contextProductId,
            Set<String> thumbsDown,
            int maxRows,
            int perRow) {
        return rows(
                model,
                customerId,
                contextProductId == null ? Context.HOME : Context.product(contextProductId),
                CustomerSignals.thumbsDownOnly(thumbsDown),
                RowsFilter.NONE,
                maxRows,
                perRow);
    }

    public Rows rows(
            RecommendationModel model,
            String customerId,
            Context context,
            CustomerSignals signals,
            RowsFilter filter,
            int maxRows,
            int perRow) {
        return rows(model, null, customerId, context, signals, filter, maxRows, perRow);
    }

    public Rows rows(
            RecommendationModel model,
            AlsModel als,
            String customerId,
            Context context,
            CustomerSignals signals,
            RowsFilter filter,
            int maxRows,
            int perRow) {
        return rows(
                model,
                als,
                customerId,
                context,
                signals,
                filter,
                RecentSales.NONE,
                maxRows,
                perRow);
    }

    /** As below, without an EASE model. */
    public Rows rows(
            RecommendationModel model,
            AlsModel als,
            String customerId,
            Context context,
            CustomerSignals signals,
            RowsFilter filter,
            RecentSales sales,
            int maxRows,
            int perRow) {
        return rows(model, als, null, customerId, context, signals, filter, sales, maxRows, perRow);
    }

    /**
     * The rows for a page. With a personal model the page gets a "Picked for you" row from
     * everything the customer bought and recently viewed, including events newer than the model:
     * from {@code als}, their vector folded in; from {@code itemToItem} (EASE or RP3beta weights,
     * used when {@code als} is null), the sum of the item-to-item weights of what they own. Either
     * may be null. The popularity, category and trending rows count {@code sales} (those since the
     * model's training) with the model's own.
     */
    public Rows rows(
            RecommendationModel model,
            AlsModel als,
            ItemWeights itemToItem,
            String customerId,
            Context context,
            CustomerSignals signals,
            RowsFilter filter,
            RecentSales sales,
            int maxRows,
            int perRow) {
        Page page =
                new Page(
                        model, filter, signals.thumbsDown(), maxRows, perRow, settings.diversity());
        // Everything they own, the products the model does not know included: no discovery row
        // shows any of it.
        Map<String, RecommendationModel.Timing> owned = Ownership.of(model, customerId, signals);
        boolean personal = Ownership.anyKnown(owned, model);
        Instant asOf = signals.newest(model.trainedAt());

        if (context.productId() != null && model.product(context.productId()) != null) {
            String productId = context.productId();
            page.shown.add(productId);
            String title = title(model, productId);
            page.add(
                    "often-bought-together",
                    "Often bought together with " + title,
                    "Customers who bought " + title + " also bought these",
                    discovery(
                            model.boughtTogether(productId), owned, "Often bought with " + title));
            page.add(
                    "viewed-together",
                    "Customers who viewed " + title + " also viewed",
                    "Viewed on the same day as " + title,
                    discovery(model.viewedTogether(productId), owned, "Viewed with " + title));
        }
        Set<String> cart = new LinkedHashSet<>(signals.cart());
        if ("cart".equals(context.kind()) && !cart.isEmpty()) {
            page.shown.addAll(cart);
            page.add(
                    "complete-your-cart",
                    "Goes with what's in your cart",
                    "Often bought together with the products in your cart",
                    discovery(complements(model, cart), owned, null));
        }
        if (!owned.isEmpty()) {
            page.add(
                    "time-to-restock",
                    "Time to restock",
                    "From how often you buy these and when you last did",
                    restock(model, owned, asOf));
        }
        Searched searched =
                settings.searchRow() || settings.searchesInPersonalModel()
                        ? searched(model, filter, owned, signals.recentSearches())
                        : null;
        // Products that stand in "Picked for you" for what the customer searched, not viewed.
        Set<String> fromSearch = new HashSet<>();
        if (searched != null && settings.searchesInPersonalModel()) {
            // What they looked for says what they want now, as a view does: the best answers join
            // their own products in the personal model.
            List<View> views = new ArrayList<>(signals.recentViews());
            Set<String> viewed = new HashSet<>();
            views.forEach(view -> viewed.add(view.productId()));
            for (String product : searched.products()) {
                if (fromSearch.size() == SEARCH_SOURCES) {
                    break;
                }
                if (!viewed.contains(product)) {
                    fromSearch.add(product);
                    views.add(new View(customerId, product, searched.search().at()));
                }
            }
            signals =
                    new CustomerSignals(
                            signals.thumbsDown(),
                            signals.newPurchases(),
                            List.copyOf(views),
                            signals.cart(),
                            signals.history(),
                            signals.historyRead(),
                            signals.recentSearches());
        }
        if (searched != null && settings.searchRow() && !page.full()) {
            String query = searched.search().query().strip();
            page.add(
                    "because-you-searched",
                    "Because you searched for \u201c" + query + "\u201d",
                    "Matches your search for \u201c" + query + "\u201d",
                    searchRow(model, als, itemToItem, customerId, owned, searched, query));
        }
        if ((als != null || itemToItem != null) && !page.full()) {
            page.add(
                    "picked-for-you",
                    "Picked for you",
                    "Chosen from everything you bought and looked at, by shoppers with similar tastes",
                    als != null
                            ? pickedForYou(model, als, customerId, owned, signals, page, fromSearch)
                            : pickedForYou(model, itemToItem, owned, signals, page, fromSearch));
        }
        if (filter.catalog() != null && !page.full()) {
            page.add(
                    "new-for-you",
                    "New for you",
                    "New in the shop, like what you bought",
                    newArrivals.forCustomer(model, filter.catalog(), owned, page.perRow * 3));
        }
        if (!owned.isEmpty() && !page.full()) {
            String anchor = latestWithNeighbours(model, owned);
            if (anchor != null) {
                String title = title(model, anchor);
                page.add(
                        "because-you-bought",
                        "Because you bought " + title,
                        "Often bought together with " + title,
                        discovery(
                                model.boughtTogether(anchor), owned, "Often bought with " + title));
            }
        }
        String viewed =
                page.full()
                        ? null
                        : latestViewedWithNeighbours(model, signals.recentViews(), owned);
        if (viewed != null) {
            String title = title(model, viewed);
            page.add(
                    "because-you-viewed",
                    "Because you viewed " + title,
                    "Customers who viewed " + title + " also viewed these",
                    discovery(model.viewedTogether(viewed), owned, "Viewed with " + title));
        }
        String category = favouriteCategory(model, owned);
        if (category == null && context.productId() != null) {
            // The page's product as the catalog has it now: one added after training too.
            ProductInfo shown = filter.current(model, context.productId());
            category = shown == null ? null : shown.category();
        }
        if (category != null && !page.full()) {
            page.add(
                    "popular-in-category",
                    "Popular in " + category + " this week",
                    personal
                            ? "You shop " + category + " most"
                            : "Best sellers in " + category + " this week",
                    discovery(
                            SalesNow.popularIn(model, sales, category, page::category),
                            owned,
                            "Popular in " + category + " this week"));
        }
        if (!page.full()) {
            page.add(
                    "trending",
                    "Trending this week",
                    "Bought clearly more often this week than usual",
                    discovery(trending(model, sales), owned, null));
        }
        if (!page.full()) {
            page.add(
                    "popular",
                    "Popular right now",
                    "What shoppers buy most, recent purchases counting more",
                    discovery(
                            SalesNow.popular(model, sales),
                            owned,
                            "Popular with shoppers right now"));
        }
        // The page stops taking rows at maxRows.
        List<Rows.Row> shownRows = List.copyOf(page.rows);
        return new Rows(
                customerId,
                shownRows.stream().anyMatch(row -> PERSONAL.contains(row.id()))
                        || (personal
                                && shownRows.stream()
                                        .anyMatch(row -> row.id().equals("popular-in-category"))),
                shownRows);
    }

    /**
     * Forgets the rankings made under {@code model} or {@code als} (and those whose model is gone),
     * once a newer version serves instead: a superseded model is then unreachable from here.
     */
    public void release(RecommendationModel model, AlsModel als) {
        rankings.asMap().keySet().removeIf(key -> key.uses(model, als));
    }

    /** One list instead of rows: the rows' items in page order, under the request's rules. */
    public List<ScoredItem> recommendations(
            RecommendationModel model,
            AlsModel als,
            String customerId,
            CustomerSignals signals,
            RowsFilter filter,
            int limit) {
        return recommendations(
                model, als, null, customerId, signals, filter, RecentSales.NONE, limit);
    }

    /** As above, with the sales since the model's training counted in its popularity. */
    public List<ScoredItem> recommendations(
            RecommendationModel model,
            AlsModel als,
            String customerId,
            CustomerSignals signals,
            RowsFilter filter,
            RecentSales sales,
            int limit) {
        return recommendations(model, als, null, customerId, signals, filter, sales, limit);
    }

    /** As above, with "Picked for you" from {@code itemToItem} when {@code als} is null. */
    public List<ScoredItem> recommendations(
            RecommendationModel model,
            AlsModel als,
            ItemWeights itemToItem,
            String customerId,
            CustomerSignals signals,
            RowsFilter filter,
            RecentSales sales,
            int limit) {
        List<ScoredItem> items = new ArrayList<>();
        for (Rows.Row row :
                rows(
                                model,
                                als,
                                itemToItem,
                                customerId,
                                Context.HOME,
                                signals,
                                filter,
                                sales,
                                20,
                                200)
                        .rows()) {
            for (ScoredItem item : row.items()) {
                if (items.size() < limit) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    /** Products often bought with {@code productId}, without hidden or unavailable ones. */
    public List<ScoredItem> similar(RecommendationModel model, String productId, int limit) {
        String title = title(model, productId);
        List<ScoredItem> items =
                new ArrayList<>(
                        discovery(
                                model.boughtTogether(productId),
                                Map.of(),
                                "Often bought with " + title));
        Set<String> seen = new HashSet<>();
        items.forEach(item -> seen.add(item.productId()));
        for (ScoredItem item :
                discovery(model.viewedTogether(productId), Map.of(), "Viewed with " + title)) {
            if (seen.add(item.productId())) {
                items.add(item);
            }
        }
        return items.stream().limit(limit).toList();
    }

    /**
     * The factor model's best products for this customer that they do not own, each explained by
     * the owned (or viewed) product whose vector is closest to it. A customer the model was trained
     * on and who did nothing since keeps their trained vector; anyone else is folded in at once
     * from their most recent interactions.
     */
    private List<ScoredItem> pickedForYou(
            RecommendationModel model,
            AlsModel als,
            String customerId,
            Map<String, RecommendationModel.Timing> owned,
            CustomerSignals signals,
            Page page,
            Set<String> fromSearch) {
        List<RecommendationModel.Timing> recent = new ArrayList<>(owned.values());
        recent.sort(
                Comparator.comparing(RecommendationModel.Timing::lastBought)
                        .reversed()
                        .thenComparing(RecommendationModel.Timing::productId));
        Map<String, Double> weights = new java.util.LinkedHashMap<>();
        for (View view : signals.recentViews()) {
            if (als.hasItem(view.productId())) {
                weights.merge(view.productId(), VIEW_WEIGHT, Double::sum);
            }
        }
        for (RecommendationModel.Timing timing : recent) {
            if (weights.size() >= FOLD_IN_LIMIT) {
                break;
            }
            if (als.hasItem(timing.productId())) {
                weights.merge(timing.productId(), (double) timing.purchases(), Double::sum);
            }
        }
        if (weights.isEmpty()) {
            return List.of();
        }
        // Nothing new since training: the trained vector already holds all of it.
        boolean unchanged =
                signals.newPurchases().isEmpty()
                        && signals.recentViews().isEmpty()
                        && !(signals.historyRead()
                                && Ownership.differsFromModel(owned, model, customerId));
        // The best perRow * 3 products neither owned nor on the page yet, as if ranked with both
        // excluded: the kept ranking leaves out only what they own, so it must reach that far past
        // what the page shows.
        int needed = page.perRow * 3 + page.shown.size();
        RankingKey key = new RankingKey(model, als, customerId);
        Ranking ranking = rankings.getIfPresent(key);
        boolean sameSignals = ranking != null && ranking.signals().equals(signals);
        if (!sameSignals || !ranking.reaches(needed)) {
            float[] vector =
                    sameSignals
                            ? ranking.vector()
                            : unchanged
                                    ? als.userVector(customerId)
                                            .orElseGet(() -> als.foldIn(weights))
                                    : als.foldIn(weights);
            int depth = Math.max(needed, RANKING_DEPTH);
            ranking =
                    new Ranking(
                            signals, vector, als.recommend(vector, depth, owned.keySet()), depth);
            rankings.put(key, ranking);
        }
        // Explaining a pick costs a pass over the customer's products: explain only those the
        // page will show.
        List<ScoredItem> admitted = new ArrayList<>();
        int candidates = 0;
        for (ScoredItem candidate : ranking.ranked()) {
            if (candidates == page.perRow * 3) {
                break;
            }
            if (page.shown.contains(candidate.productId())) {
                continue;
            }
            candidates++;
            if (page.admits(candidate.productId())) {
                admitted.add(candidate);
            }
        }
        List<ScoredItem> picks = page.select("picked-for-you", admitted);
        List<String> sources = new ArrayList<>(weights.keySet());
        Map<String, String> closest =
                als.closestSources(
                        picks.stream().map(ScoredItem::productId).toList(),
                        sources.subList(0, Math.min(EXPLANATION_SOURCES, sources.size())));
        List<ScoredItem> items = new ArrayList<>();
        for (ScoredItem pick : picks) {
            String source = closest.get(pick.productId());
            String reason =
                    source == null
                            ? "Shoppers with tastes like yours buy this"
                            : owned.containsKey(source)
                                    ? "Goes with the " + title(model, source) + " you bought"
                                    : fromSearch.contains(source)
                                            ? "Like the "
                                                    + title(model, source)
                                                    + " you searched for"
                                            : "Like the " + title(model, source) + " you viewed";
            items.add(new ScoredItem(pick.productId(), pick.score(), reason));
        }
        return items;
    }

    /**
     * The item-to-item model's (EASE's or RP3beta's) best products for this customer that they do
     * not own: the summed weights from what they bought and viewed (views counted once, as the
     * model counts a product once), each pick explained by the owned or viewed product with the
     * largest weight toward it. Scoring sums a few hundred kept weights per product the customer
     * has, so it needs no cached ranking.
     */
    private List<ScoredItem> pickedForYou(
            RecommendationModel model,
            ItemWeights itemToItem,
            Map<String, RecommendationModel.Timing> owned,
            CustomerSignals signals,
            Page page,
            Set<String> fromSearch) {
        List<RecommendationModel.Timing> recent = new ArrayList<>(owned.values());
        recent.sort(
                Comparator.comparing(RecommendationModel.Timing::lastBought)
                        .reversed()
                        .thenComparing(RecommendationModel.Timing::productId));
        Set<String> sources = new LinkedHashSet<>();
        for (View view : signals.recentViews()) {
            if (itemToItem.hasItem(view.productId())) {
                sources.add(view.productId());
            }
        }
        for (RecommendationModel.Timing timing : recent) {
            if (sources.size() >= FOLD_IN_LIMIT) {
                break;
            }
            if (itemToItem.hasItem(timing.productId())) {
                sources.add(timing.productId());
            }
        }
        if (sources.isEmpty()) {
            return List.of();
        }
        Set<String> exclude = new HashSet<>(owned.keySet());
        exclude.addAll(page.shown);
        List<ScoredItem> picks =
                page.select(
                        "picked-for-you", itemToItem.recommend(sources, page.perRow * 3, exclude));
        List<String> sourceList = new ArrayList<>(sources);
        Map<String, String> closest =
                itemToItem.closestSources(
                        picks.stream().map(ScoredItem::productId).toList(),
                        sourceList.subList(0, Math.min(EXPLANATION_SOURCES, sourceList.size())));
        List<ScoredItem> items = new ArrayList<>();
        for (ScoredItem pick : picks) {
            String source = closest.get(pick.productId());
            String reason =
                    source == null
                            ? "Often bought by shoppers who bought what you did"
                            : owned.containsKey(source)
                                    ? "Goes with the " + title(model, source) + " you bought"
                                    : fromSearch.contains(source)
                                            ? "Like the "
                                                    + title(model, source)
                                                    + " you searched for"
                                            : "Like the " + title(model, source) + " you viewed";
            items.add(new ScoredItem(pick.productId(), pick.score(), reason));
        }
        return items;
    }

    /** A search's answers the personal model reads at most, as if the customer viewed them. */
    static final int SEARCH_SOURCES = 5;

    /** The newest search with answers, and those answers, best first. */
    private record Searched(Search search, List<String> products, Map<String, Double> shares) {}

    /**
     * The customer's newest search that some showable product they do not own answers, with those
     * answers ordered by how much of the query they hold, then by the model's popularity; null when
     * none does.
     */
    private Searched searched(
            RecommendationModel model,
            RowsFilter filter,
            Map<String, RecommendationModel.Timing> owned,
            List<Search> searches) {
        for (Search search : searches) {
            Map<String, Double> matches =
                    searchCatalog.matches(model, filter.catalog(), search.query());
            matches.keySet()
                    .removeIf(
                            product -> {
                                ProductInfo shown = filter.current(model, product);
                                return shown == null
                                        || !filter.allows(shown)
                                        || owned.containsKey(product);
                            });
            if (matches.isEmpty()) {
                continue;
            }
            Map<String, Integer> popular = searchCatalog.popularRank(model);
            List<String> ranked = new ArrayList<>(matches.keySet());
            ranked.sort(
                    Comparator.comparingDouble((String product) -> -matches.get(product))
                            .thenComparingInt(
                                    product -> popular.getOrDefault(product, Integer.MAX_VALUE))
                            .thenComparing(product -> product));
            return new Searched(search, ranked, matches);
        }
        return null;
    }

    /**
     * The search's answers the customer does not own, those holding more of the query first and,
     * among equals, the personal model's favourites (its score from what they own), then the best
     * sellers.
     */
    private List<ScoredItem> searchRow(
            RecommendationModel model,
            AlsModel als,
            ItemWeights itemToItem,
            String customerId,
            Map<String, RecommendationModel.Timing> owned,
            Searched searched,
            String query) {
        List<String> answers =
                searched.products().stream()
                        .filter(product -> !owned.containsKey(product))
                        .toList();
        Map<String, Double> personal = new HashMap<>();
        if (als != null) {
            float[] vector = als.userVector(customerId).orElse(null);
            if (vector == null && !owned.isEmpty()) {
                Map<String, Double> weights = new HashMap<>();
                owned.values().stream()
                        .filter(timing -> als.hasItem(timing.productId()))
                        .limit(FOLD_IN_LIMIT)
                        .forEach(
                                timing ->
                                        weights.put(
                                                timing.productId(), (double) timing.purchases()));
                vector = weights.isEmpty() ? null : als.foldIn(weights);
            }
            if (vector != null) {
                for (String product : answers) {
                    personal.put(product, als.score(vector, product));
                }
            }
        } else if (itemToItem != null) {
            List<String> sources =
                    owned.keySet().stream()
                            .filter(itemToItem::hasItem)
                            .limit(FOLD_IN_LIMIT)
                            .toList();
            for (String product : answers) {
                double sum = 0;
                for (String source : sources) {
                    sum += itemToItem.weight(source, product);
                }
                personal.put(product, sum);
            }
        }
        List<String> ordered = new ArrayList<>(answers);
        // Equal shares and scores keep the popularity order searched() gave them.
        Map<String, Integer> place = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            place.put(answers.get(i), i);
        }
        ordered.sort(
                Comparator.comparingDouble((String product) -> -searched.shares().get(product))
                        .thenComparingDouble(product -> -personal.getOrDefault(product, 0.0))
                        .thenComparingInt(place::get));
        List<ScoredItem> items = new ArrayList<>();
        for (String product : ordered) {
            items.add(
                    new ScoredItem(
                            product,
                            personal.getOrDefault(product, 0.0),
                            "Matches your search for \u201c" + query + "\u201d"));
        }
        return items;
    }

    private static List<ScoredItem> restock(
            RecommendationModel model,
            Map<String, RecommendationModel.Timing> owned,
            Instant asOf) {
        List<ScoredItem> items = new ArrayList<>();
        for (RecommendationModel.Timing timing : owned.values()) {
            ProductInfo product = model.product(timing.productId());
            java.util.OptionalDouble score = RestockPolicy.score(timing, asOf);
            if (product == null || !product.recommendable() || score.isEmpty()) {
                continue;
            }
            long every = Math.round(timing.gapDays());
            String since = ago(Duration.between(timing.lastBought(), asOf).toDays());
            // Bought once, the rhythm is other shoppers' (or the category's), not theirs: say so.
            String reason =
                    timing.purchases() > 1
                            ? "You buy this about every " + every + " days; last bought " + since
                            : "Shoppers buy this again about every "
                                    + every
                                    + " days; you bought it "
                                    + since;
            items.add(new ScoredItem(timing.productId(), score.getAsDouble(), reason));
        }
        items.sort(
                Comparator.comparingDouble(ScoredItem::score)
                        .reversed()
                        .thenComparing(ScoredItem::productId));
        return items;
    }

    private static String ago(long days) {
        return days == 0 ? "today" : days == 1 ? "yesterday" : days + " days ago";
    }

    private static List<ScoredItem> trending(RecommendationModel model, RecentSales sales) {
        List<ScoredItem> items = new ArrayList<>();
        for (RecommendationModel.Trend trend : SalesNow.trending(model, sales)) {
            long usual = Math.round(trend.usualWeekly());
            String reason =
                    usual == 0
                            ? "New this week: in " + trend.lastWeek() + " orders"
                            : "In "
                                    + trend.lastWeek()
                                    + " orders this week, usually about "
                                    + usual;
            items.add(new ScoredItem(trend.productId(), trend.score(), reason));
        }
        return items;
    }

    /** Products bought with any in the cart, each scored by its best tie to one of them. */
    private static List<ScoredItem> complements(RecommendationModel model, Set<String> cart) {
        Map<String, ScoredItem> best = new HashMap<>();
        for (String productId : cart) {
            if (model.product(productId) == null) {
                continue;
            }
            String title = title(model, productId);
            for (ScoredItem item : model.boughtTogether(productId)) {
                ScoredItem current = best.get(item.productId());
                if (current == null || item.score() > current.score()) {
                    best.put(
                            item.productId(),
                            new ScoredItem(
                                    item.productId(), item.score(), "Often bought with " + title));
                }
            }
        }
        List<ScoredItem> items = new ArrayList<>(best.values());
        items.sort(
                Comparator.comparingDouble(ScoredItem::score)
                        .reversed()
                        .thenComparing(ScoredItem::productId));
        return items;
    }

    /** Candidates the customer does not own yet, with {@code reason} unless they carry one. */
    private static List<ScoredItem> discovery(
            List<ScoredItem> candidates,
            Map<String, RecommendationModel.Timing> owned,
            String reason) {
        List<ScoredItem> items = new ArrayList<>();
        for (ScoredItem candidate : candidates) {
            if (!owned.containsKey(candidate.productId())) {
                items.add(
                        new ScoredItem(
                                candidate.productId(),
                                candidate.score(),
                                reason == null ? candidate.reason() : reason));
            }
        }
        return items;
    }

    /** A ranking is kept this deep at least, for pages that show more besides. */
    private static final int RANKING_DEPTH = 50;

    /**
     * Whose ranking, under which models (compared by identity: each load is a new version). The
     * models are held weakly: a ranking never keeps a superseded model alive, even one put by a
     * request that was still running on it when the new version came in.
     */
    private static final class RankingKey {
        private final WeakReference<RecommendationModel> model;
        private final WeakReference<AlsModel> als;
        private final String customerId;
        private final int hash;

        RankingKey(RecommendationModel model, AlsModel als, String customerId) {
            this.model = new WeakReference<>(model);
            this.als = new WeakReference<>(als);
            this.customerId = customerId;
            this.hash =
                    31 * (31 * System.identityHashCode(model) + System.identityHashCode(als))
                            + customerId.hashCode();
        }

        boolean uses(RecommendationModel model, AlsModel als) {
            RecommendationModel ownModel = this.model.get();
            AlsModel ownAls = this.als.get();
            return ownModel == null || ownModel == model || (als != null && ownAls == als);
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof RankingKey that) || hash != that.hash) {
                return false;
            }
            RecommendationModel ownModel = model.get();
            AlsModel ownAls = als.get();
            return ownModel != null
                    && ownModel == that.model.get()
                    && ownAls == that.als.get()
                    && (ownAls != null || that.als.get() == null)
                    && customerId.equals(that.customerId);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A customer's vector and their best products not owned, ranked {@code depth} deep (fewer when
     * fewer are left), under {@code signals}.
     */
    private record Ranking(
            CustomerSignals signals, float[] vector, List<ScoredItem> ranked, int depth) {
        /** Whether this ranking holds the first {@code count} products, or all there are. */
        boolean reaches(int count) {
            return depth >= count;
        }

        int weight() {
            return 128 + 4 * vector.length + 32 * ranked.size();
        }
    }

    /**
     * Rows whose items are of one category by design (a category's best sellers) or that are not
     * there to explore (what the customer buys again): the category cap leaves them whole, while
     * their products still count toward the page's share.
     */
    private static final Set<String> UNCAPPED = Set.of("time-to-restock", "popular-in-category");

    /** The rows of one page, and what is already on it. */
    private static final class Page {
        final RecommendationModel model;
        final RowsFilter filter;
        final int maxRows;
        final int perRow;
        final CategoryCap cap;
        final Set<String> shown;
        final Map<String, Integer> categoriesShown = new HashMap<>();
        final List<Rows.Row> rows = new ArrayList<>();

        Page(
                RecommendationModel model,
                RowsFilter filter,
                Set<String> thumbsDown,
                int maxRows,
                int perRow,
                CategoryCap cap) {
            this.model = model;
            this.filter = filter;
            this.maxRows = maxRows;
            this.perRow = perRow;
            this.cap = cap;
            this.shown = new HashSet<>(thumbsDown);
        }

        /** Rows come strongest first, so once the page is full the rest need not be built. */
        boolean full() {
            return rows.size() >= maxRows;
        }

        /** The product's category as the page shows it now, or null when it may not be shown. */
        String category(String productId) {
            ProductInfo product = filter.current(model, productId);
            return product == null ? null : product.category();
        }

        /** Whether the product may still go on this page: known, showable, allowed, not shown. */
        boolean admits(String productId) {
            ProductInfo product = filter.current(model, productId);
            return product != null && filter.allows(product) && !shown.contains(productId);
        }

        /**
         * The candidates row {@code id} would show, in order: admitted, at most {@code perRow}, and
         * under the category cap unless the row is one of {@link #UNCAPPED}.
         */
        List<ScoredItem> select(String id, List<ScoredItem> candidates) {
            Set<String> inRow = new HashSet<>();
            java.util.Iterator<ScoredItem> admitted =
                    candidates.stream()
                            .filter(item -> admits(item.productId()))
                            .filter(item -> inRow.add(item.productId()))
                            .iterator();
            CategoryCap rowCap = UNCAPPED.contains(id) ? CategoryCap.OFF : cap;
            return rowCap.pick(
                    admitted,
                    item -> category(item.productId()),
                    perRow,
                    categoriesShown,
                    maxRows * perRow);
        }

        void add(String id, String title, String evidence, List<ScoredItem> candidates) {
            if (full()) {
                return;
            }
            List<ScoredItem> items = select(id, candidates);
            for (ScoredItem item : items) {
                shown.add(item.productId());
                String category = category(item.productId());
                if (category != null) {
                    categoriesShown.merge(category, 1, Integer::sum);
                }
            }
            if (!items.isEmpty()) {
                rows.add(new Rows.Row(id, title, evidence, List.copyOf(items)));
            }
        }
    }

    /** The most recent purchase that is itself showable and has neighbours not yet owned. */
    private static String latestWithNeighbours(
            RecommendationModel model, Map<String, RecommendationModel.Timing> owned) {
        List<RecommendationModel.Timing> newestFirst = new ArrayList<>(owned.values());
        newestFirst.sort(
                Comparator.comparing(RecommendationModel.Timing::lastBought)
                        .thenComparing(RecommendationModel.Timing::productId)
                        .reversed());
        for (RecommendationModel.Timing timing : newestFirst) {
            ProductInfo product = model.product(timing.productId());
            if (product != null
                    && product.recommendable()
                    && model.anyBoughtTogether(
                            timing.productId(), neighbour -> !owned.containsKey(neighbour))) {
                return timing.productId();
            }
        }
        return null;
    }

    private static String latestViewedWithNeighbours(
            RecommendationModel model,
            List<View> views,
            Map<String, RecommendationModel.Timing> owned) {
        for (View view : views) {
            ProductInfo product = model.product(view.productId());
            if (product != null
                    && product.recommendable()
                    && model.anyViewedTogether(
                            view.productId(), neighbour -> !owned.containsKey(neighbour))) {
                return view.productId();
            }
        }
        return null;
    }

    private static String favouriteCategory(
            RecommendationModel model, Map<String, RecommendationModel.Timing> owned) {
        Map<String, Integer> counts = new HashMap<>();
        for (RecommendationModel.Timing timing : owned.values()) {
            ProductInfo product = model.product(timing.productId());
            if (product != null && product.category() != null) {
                counts.merge(product.category(), timing.purchases(), Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(
                        Map.Entry.<String, Integer>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private static String title(RecommendationModel model, String productId) {
        ProductInfo product = model.product(productId);
        return product == null || product.title() == null ? productId : product.title();
    }
}
