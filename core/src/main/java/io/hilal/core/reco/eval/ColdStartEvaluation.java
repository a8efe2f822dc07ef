package io.hilal.core.reco.eval;

import io.hilal.core.reco.ColdStart;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ScoredItem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * How well products no model has seen are recommended, on Online Retail: the products first sold on
 * or after the split (new to the catalog as far as training knows) are ranked, for each training
 * customer who bought one of them in the test period, by the content-based {@link ColdStart} (title
 * words, the stock code's family as category, price band, against everything the customer bought in
 * training) and by popularity. Recall@K and NDCG@K over those new products.
 *
 * <p>The popularity baseline is generous: it ranks new products by how many other customers bought
 * them over the whole test period, which a shop only knows afterwards. Cold start uses nothing of
 * the test period but the products' catalog entries.
 */
public final class ColdStartEvaluation {
    /** One model's figures at one K. */
    public record Result(String model, int k, double recall, double ndcg, int customers) {}

    /** The figures, and how many new products there were to rank. */
    public record Evaluation(List<Result> results, int newProducts) {}

    private ColdStartEvaluation() {}

    /** Reads Online Retail from {@code csvGz} and evaluates at each of {@code ks}. */
    public static Evaluation onlineRetail(Path csvGz, int[] ks) throws IOException {
        return evaluate(Datasets.onlineRetail(csvGz), onlineRetailCatalog(csvGz), ks);
    }

    public static Evaluation evaluate(
            Datasets.Split split, Map<String, ColdStart.Item> catalog, int[] ks) {
        Set<String> trained = new HashSet<>();
        Map<String, List<String>> owned = new HashMap<>();
        List<Purchase> train = new ArrayList<>(split.train());
        train.sort(Comparator.comparing(Purchase::at).reversed());
        for (Purchase purchase : train) {
            trained.add(purchase.productId());
            List<String> items =
                    owned.computeIfAbsent(purchase.customerId(), id -> new ArrayList<>());
            if (!items.contains(purchase.productId())) {
                items.add(purchase.productId()); // newest first
            }
        }
        Set<String> newProducts = new LinkedHashSet<>();
        Map<String, Set<String>> relevant = new HashMap<>();
        Map<String, Set<String>> buyers = new HashMap<>();
        for (Purchase purchase : split.test()) {
            if (trained.contains(purchase.productId())) {
                continue;
            }
            newProducts.add(purchase.productId());
            buyers.computeIfAbsent(purchase.productId(), id -> new HashSet<>())
                    .add(purchase.customerId());
            if (owned.containsKey(purchase.customerId())) {
                relevant.computeIfAbsent(purchase.customerId(), id -> new HashSet<>())
                        .add(purchase.productId());
            }
        }
        List<ColdStart.Item> newItems = newProducts.stream().map(id -> item(catalog, id)).toList();
        ColdStart coldStart = new ColdStart(newItems, catalog.values());
        int maxK = java.util.Arrays.stream(ks).max().orElseThrow();
        Map<Integer, RankingMetrics> popularity = new HashMap<>();
        Map<Integer, RankingMetrics> content = new HashMap<>();
        Map<Integer, RankingMetrics> filled = new HashMap<>();
        Map<Integer, RankingMetrics> both = new HashMap<>();
        for (int k : ks) {
            popularity.put(k, new RankingMetrics(k));
            content.put(k, new RankingMetrics(k));
            filled.put(k, new RankingMetrics(k));
            both.put(k, new RankingMetrics(k));
        }
        List<String> customers = new ArrayList<>(relevant.keySet());
        customers.sort(null);
        for (String customer : customers) {
            Set<String> wanted = relevant.get(customer);
            List<String> popular = popular(newProducts, buyers, customer, maxK);
            List<ColdStart.Item> bought =
                    owned.get(customer).stream().map(id -> item(catalog, id)).toList();
            List<String> liked =
                    coldStart.recommend(bought, newProducts.size()).stream()
                            .map(ScoredItem::productId)
                            .toList();
            List<String> fused =
                    fused(liked, popular(newProducts, buyers, customer, newProducts.size()), maxK);
            liked = liked.size() > maxK ? liked.subList(0, maxK) : liked;
            // As a row shows it: the content matches, then the popular ones after them.
            List<String> likedThenPopular = new ArrayList<>(liked);
            for (String id : popular) {
                if (likedThenPopular.size() == maxK) {
                    break;
                }
                if (!likedThenPopular.contains(id)) {
                    likedThenPopular.add(id);
                }
            }
            for (int k : ks) {
                popularity.get(k).add(popular, wanted);
                content.get(k).add(liked, wanted);
                filled.get(k).add(likedThenPopular, wanted);
                both.get(k).add(fused, wanted);
            }
        }
        List<Result> results = new ArrayList<>();
        for (int k : ks) {
            results.add(result("popularity (test-period buyers)", k, popularity.get(k)));
            results.add(result("cold-start", k, content.get(k)));
            results.add(result("cold-start, popularity after", k, filled.get(k)));
            results.add(result("cold-start + popularity (rank fusion)", k, both.get(k)));
        }
        return new Evaluation(results, newProducts.size());
    }

    /**
     * Reciprocal rank fusion (Cormack et al. 2009, constant 60) of two rankings: how a row would
     * mix what a new product is with how its own sales go.
     */
    private static List<String> fused(List<String> first, List<String> second, int k) {
        Map<String, Double> scores = new HashMap<>();
        for (int i = 0; i < first.size(); i++) {
            scores.merge(first.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        for (int i = 0; i < second.size(); i++) {
            scores.merge(second.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        return scores.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Double>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** New products by how many other customers bought them in the test period. */
    private static List<String> popular(
            Set<String> newProducts, Map<String, Set<String>> buyers, String customer, int k) {
        return newProducts.stream()
                .sorted(
                        Comparator.comparingInt(
                                        (String id) -> {
                                            Set<String> who = buyers.get(id);
                                            return who.size() - (who.contains(customer) ? 1 : 0);
                                        })
                                .reversed()
                                .thenComparing(id -> id))
                .limit(k)
                .toList();
    }

    private static Result result(String model, int k, RankingMetrics metrics) {
        return new Result(model, k, metrics.recall(), metrics.ndcg(), metrics.users());
    }

    private static ColdStart.Item item(Map<String, ColdStart.Item> catalog, String id) {
        ColdStart.Item item = catalog.get(id);
        return item != null ? item : new ColdStart.Item(id, null, List.of(), Map.of(), null);
    }

    /**
     * What the catalog would say of each Online Retail product: its description as the title, its
     * stock code's family as the category, its first listed unit price. The first row of a code is
     * what the shop knew when it first sold it.
     */
    public static Map<String, ColdStart.Item> onlineRetailCatalog(Path csvGz) throws IOException {
        Map<String, ColdStart.Item> catalog = new HashMap<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16),
                                StandardCharsets.UTF_8))) {
            for (CSVRecord row :
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .build()
                            .parse(reader)) {
                String code = row.get("StockCode").strip();
                String description = row.get("Description").strip();
                if (catalog.containsKey(code) || description.isEmpty()) {
                    continue;
                }
                String family = Datasets.onlineRetailFamily(code);
                BigDecimal price;
                try {
                    price = new BigDecimal(row.get("UnitPrice").strip());
                } catch (NumberFormatException e) {
                    price = null;
                }
                catalog.put(
                        code,
                        new ColdStart.Item(
                                code,
                                description,
                                family == null ? List.of() : List.of(family),
                                Map.of(),
                                price));
            }
        }
        return catalog;
    }

    /** Prints the table and the closing ratio line for {@code evaluate --task cold-start}. */
    static void print(Evaluation evaluation, int k) {
        System.out.println(
                "new products (first sold on or after "
                        + Datasets.ONLINE_RETAIL_SPLIT
                        + "): "
                        + evaluation.newProducts());
        System.out.println("| model | K | Recall@K | NDCG@K | customers |");
        System.out.println("|---|---|---|---|---|");
        for (Result result : evaluation.results()) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.4f | %.4f | %d |%n",
                    result.model(),
                    result.k(),
                    result.recall(),
                    result.ndcg(),
                    result.customers());
        }
        Result popularity = find(evaluation, "popularity (test-period buyers)", k);
        Result coldStart = find(evaluation, "cold-start", k);
        Result fused = find(evaluation, "cold-start + popularity (rank fusion)", k);
        System.out.printf(
                Locale.ROOT,
                "cold-start recall@%d=%.4f popularity=%.4f ratio=%.2f; fused with popularity:"
                        + " %.4f ratio=%.2f%n",
                k,
                coldStart.recall(),
                popularity.recall(),
                coldStart.recall() / popularity.recall(),
                fused.recall(),
                fused.recall() / popularity.recall());
    }

    private static Result find(Evaluation evaluation, String model, int k) {
        return evaluation.results().stream()
                .filter(result -> result.model().equals(model) && result.k() == k)
                .findFirst()
                .orElseThrow();
    }
}
