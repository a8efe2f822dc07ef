package io.hilal.bench.spark;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.ease.EaseModel;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.Datasets;
import io.hilal.core.reco.eval.ValidationSplit;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How EASE loses Recall when it is pruned for serving, and three candidate fixes, each scored on
 * the pipeline's validation split (each customer's newest 20%) and on the test split side by side,
 * so a change ships only when validation picks it and the test agrees:
 *
 * <ul>
 *   <li>pruning each product's weights to the 200 largest (the old rule) or the 200 largest in
 *       magnitude (negative ones kept; the served rule since 2026-12-07), and 500 of either;
 *   <li>weighting each owned product by how recently it was bought, {@code exp(−age/τ)};
 *   <li>a blend of ALS and EASE (per-customer z-scores, {@code w·ALS + (1−w)·EASE}).
 * </ul>
 *
 * <p>Usage: {@code bench/spark-als/run ease --data-dir DIR [--dataset movielens|online-retail]
 * [--fold 1] [--lambdas 300,500] [--als 64:30:flat:1:15] [--blend z|rank] [--only-blend true]} (the
 * ALS setting as factors, lambda, flat|scaled, alpha and sweeps, or {@code
 * ials:factors:lambda:alpha0:sweeps}: the one the pipeline's validation chose).
 */
public final class EaseServedProbe {
    private static final int K = 20;

    private EaseServedProbe() {}

    /** Where recommendations are scored: fitting data, what each customer owns, what they found. */
    private record Split(
            String name,
            List<Purchase> fit,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant,
            Map<String, Map<String, Instant>> lastBought,
            Instant cutoff) {
        static Split of(
                String name,
                List<Purchase> fit,
                Map<String, Set<String>> owned,
                Map<String, Set<String>> relevant) {
            Map<String, Map<String, Instant>> last = new HashMap<>();
            Instant cutoff = Instant.EPOCH;
            for (Purchase p : fit) {
                last.computeIfAbsent(p.customerId(), c -> new HashMap<>())
                        .merge(p.productId(), p.at(), (a, b) -> a.isAfter(b) ? a : b);
                cutoff = p.at().isAfter(cutoff) ? p.at() : cutoff;
            }
            return new Split(name, fit, owned, relevant, last, cutoff);
        }
    }

    @FunctionalInterface
    private interface Scorer {
        double[] scores(String customer);
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(AlsVsSparkBenchmark.option(args, "--data-dir", "../shared/data"));
        String dataset = AlsVsSparkBenchmark.option(args, "--dataset", "movielens");
        Datasets.Split data =
                dataset.equals("online-retail")
                        ? Datasets.onlineRetail(
                                dataDir.resolve("online-retail/online-retail.csv.gz"))
                        : Datasets.movieLensFold(
                                dataDir.resolve("movielens-100k"),
                                Integer.parseInt(AlsVsSparkBenchmark.option(args, "--fold", "1")));
        double[] lambdas =
                Arrays.stream(AlsVsSparkBenchmark.option(args, "--lambdas", "500").split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray();
        String als = AlsVsSparkBenchmark.option(args, "--als", "");
        // Only the blends (with --als): skips the pruning and recency variants.
        boolean onlyBlend =
                Boolean.parseBoolean(AlsVsSparkBenchmark.option(args, "--only-blend", "false"));
        // "z" (per-customer z-scores) or "rank" (each model's scores replaced by 1 − rank/n).
        String normalize = AlsVsSparkBenchmark.option(args, "--blend", "z");
        ValidationSplit validation = ValidationSplit.of(data.train());
        List<Split> splits =
                List.of(
                        Split.of(
                                "validation",
                                validation.fit(),
                                validation.owned(),
                                validation.held()),
                        test(data.train(), data.test()));
        for (Split split : splits) {
            for (double lambda : lambdas) {
                Catalog catalog = Catalog.of(split.fit());
                double[][] exact = catalog.ease(split.fit(), lambda);
                if (!onlyBlend) {
                    print(
                            split,
                            lambda,
                            "exact",
                            recall(split, catalog, ease(split, catalog, exact, 0)));
                    for (int keep : new int[] {200, 500}) {
                        print(
                                split,
                                lambda,
                                keep + " largest",
                                recall(
                                        split,
                                        catalog,
                                        ease(split, catalog, prune(exact, keep, false), 0)));
                        print(
                                split,
                                lambda,
                                keep + " largest in magnitude",
                                recall(
                                        split,
                                        catalog,
                                        ease(split, catalog, prune(exact, keep, true), 0)));
                    }
                    for (double tau : new double[] {60, 180}) {
                        print(
                                split,
                                lambda,
                                "exact, recency τ=" + (int) tau + " days",
                                recall(split, catalog, ease(split, catalog, exact, tau)));
                    }
                }
                if (!als.isEmpty()) {
                    Scorer served = ease(split, catalog, prune(exact, 200, true), 0);
                    Scorer factors = als(split, catalog, alsModel(split, data.train(), als));
                    boolean byRank = normalize.equals("rank");
                    for (double w : new double[] {0, 0.25, 0.5, 0.75, 1}) {
                        print(
                                split,
                                lambda,
                                "blend ("
                                        + (byRank ? "ranks" : "z-scores")
                                        + ") w_als="
                                        + w
                                        + " with 200 largest in magnitude",
                                recall(split, catalog, blend(factors, served, w, byRank)));
                    }
                }
            }
        }
    }

    private static void print(Split split, double lambda, String variant, double recall) {
        System.out.printf(
                Locale.ROOT,
                "%s: ease lambda=%s %s Recall@%d=%.4f%n",
                split.name(),
                lambda,
                variant,
                K,
                recall);
    }

    private static Split test(List<Purchase> train, List<Purchase> test) {
        Map<String, Set<String>> owned = new HashMap<>();
        Set<String> items = new HashSet<>();
        for (Purchase p : train) {
            owned.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            items.add(p.productId());
        }
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (Purchase p : test) {
            Set<String> own = owned.get(p.customerId());
            if (own != null && items.contains(p.productId()) && !own.contains(p.productId())) {
                relevant.computeIfAbsent(p.customerId(), c -> new HashSet<>()).add(p.productId());
            }
        }
        return Split.of("test", train, owned, relevant);
    }

    /** The products of a fitting set, in id order, and EASE's dense weights over them. */
    private record Catalog(String[] ids, Map<String, Integer> index) {
        static Catalog of(List<Purchase> fit) {
            Set<String> all = new TreeSet<>();
            fit.forEach(p -> all.add(p.productId()));
            String[] ids = all.toArray(String[]::new);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                index.put(ids[i], i);
            }
            return new Catalog(ids, index);
        }

        double[][] ease(List<Purchase> fit, double lambda) {
            Map<String, Set<String>> byCustomer = new HashMap<>();
            fit.forEach(
                    p ->
                            byCustomer
                                    .computeIfAbsent(p.customerId(), c -> new HashSet<>())
                                    .add(p.productId()));
            EaseModel model = EaseModel.train(byCustomer, lambda, 2);
            double[][] weights = new double[ids.length][ids.length];
            for (int i = 0; i < ids.length; i++) {
                for (int j = 0; j < ids.length; j++) {
                    weights[i][j] = model.weight(ids[i], ids[j]);
                }
            }
            return weights;
        }
    }

    private static double[][] prune(double[][] weights, int keep, boolean magnitude) {
        int n = weights.length;
        double[][] pruned = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] row = weights[i];
            int self = i;
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            Arrays.sort(
                    order,
                    (a, b) ->
                            Double.compare(
                                    b == self ? -1e300 : magnitude ? Math.abs(row[b]) : row[b],
                                    a == self ? -1e300 : magnitude ? Math.abs(row[a]) : row[a]));
            for (int p = 0; p < Math.min(keep, n - 1); p++) {
                pruned[i][order[p]] = row[order[p]];
            }
        }
        return pruned;
    }

    private static Scorer ease(Split split, Catalog catalog, double[][] weights, double tauDays) {
        return customer -> {
            double[] scores = new double[catalog.ids().length];
            for (String product : split.owned().get(customer)) {
                Integer i = catalog.index().get(product);
                if (i == null) {
                    continue;
                }
                double w = 1;
                if (tauDays > 0) {
                    Instant at = split.lastBought().get(customer).get(product);
                    double days =
                            (split.cutoff().getEpochSecond() - at.getEpochSecond()) / 86_400.0;
                    w = Math.exp(-days / tauDays);
                }
                for (int j = 0; j < scores.length; j++) {
                    scores[j] += w * weights[i][j];
                }
            }
            return scores;
        };
    }

    private static AlsModel alsModel(Split split, List<Purchase> train, String spec) {
        String[] p = spec.split(":");
        if (p[0].equals("ials")) {
            // ials:factors:lambda:alpha0:sweeps, Rendle et al.'s objective.
            return ImplicitAls.train(
                    AlsTuning.interactions(split.fit()),
                    AlsParams.defaults()
                            .withFactors(Integer.parseInt(p[1]))
                            .withRegularization(Double.parseDouble(p[2]))
                            .withUnobservedWeight(Double.parseDouble(p[3]))
                            .withIterations(Integer.parseInt(p[4])));
        }
        boolean scaled = p[2].equals("scaled");
        double lambda = Double.parseDouble(p[1]);
        double meanCount = AlsTuning.meanCount(AlsTuning.interactions(train));
        return ImplicitAls.train(
                AlsTuning.interactions(split.fit()),
                AlsParams.defaults()
                        .withFactors(Integer.parseInt(p[0]))
                        .withRegularization(scaled ? lambda / meanCount : lambda)
                        .withScaledRegularization(scaled)
                        .withAlpha(Double.parseDouble(p[3]))
                        .withIterations(Integer.parseInt(p[4])));
    }

    private static Scorer als(Split split, Catalog catalog, AlsModel model) {
        return customer -> {
            double[] scores = new double[catalog.ids().length];
            Optional<float[]> vector = model.userVector(customer);
            for (int j = 0; j < scores.length; j++) {
                scores[j] =
                        vector.isPresent() && model.hasItem(catalog.ids()[j])
                                ? model.score(vector.get(), catalog.ids()[j])
                                : Double.NaN;
            }
            return scores;
        };
    }

    private static Scorer blend(Scorer a, Scorer b, double w, boolean byRank) {
        return customer -> {
            double[] x = byRank ? ranks(a.scores(customer)) : standardized(a.scores(customer));
            double[] y = byRank ? ranks(b.scores(customer)) : standardized(b.scores(customer));
            double[] mixed = new double[x.length];
            for (int j = 0; j < mixed.length; j++) {
                mixed[j] = w * x[j] + (1 - w) * y[j];
            }
            return mixed;
        };
    }

    /** 1 − rank/n for each score (the best 1), unknown products (NaN) last. */
    private static double[] ranks(double[] scores) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        Arrays.sort(
                order,
                (a, b) ->
                        Double.compare(
                                Double.isNaN(scores[b]) ? -1e300 : scores[b],
                                Double.isNaN(scores[a]) ? -1e300 : scores[a]));
        double[] ranked = new double[n];
        for (int r = 0; r < n; r++) {
            ranked[order[r]] = 1 - (double) r / n;
        }
        return ranked;
    }

    private static double[] standardized(double[] scores) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) {
                sum += s;
                squares += s * s;
                n++;
            }
        }
        double mean = sum / Math.max(1, n);
        double sd = Math.sqrt(Math.max(1e-12, squares / Math.max(1, n) - mean * mean));
        double[] z = new double[scores.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = Double.isNaN(scores[j]) ? -1e9 : (scores[j] - mean) / sd;
        }
        return z;
    }

    private static double recall(Split split, Catalog catalog, Scorer scorer) {
        double total = 0;
        for (Map.Entry<String, Set<String>> entry : split.relevant().entrySet()) {
            double[] scores = scorer.scores(entry.getKey());
            Set<String> own = split.owned().get(entry.getKey());
            Integer[] order = new Integer[scores.length];
            for (int j = 0; j < order.length; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            List<String> ranked = new ArrayList<>(K);
            for (int j = 0; j < order.length && ranked.size() < K; j++) {
                String id = catalog.ids()[order[j]];
                if (!own.contains(id)) {
                    ranked.add(id);
                }
            }
            long hits = ranked.stream().filter(entry.getValue()::contains).count();
            total += (double) hits / entry.getValue().size();
        }
        return total / Math.max(1, split.relevant().size());
    }
}
