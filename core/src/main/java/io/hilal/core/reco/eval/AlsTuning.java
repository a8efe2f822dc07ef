package io.hilal.core.reco.eval;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ImplicitAls;
import io.hilal.core.reco.als.Interactions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Chooses ALS's rank, lambda (flat or count-scaled), alpha and sweep count without looking at the
 * test split: each training customer's newest 20% of purchases (by time; ties stay together, or a
 * random 20% when the log has no times; {@link ValidationSplit}) become a validation set, a small
 * grid is trained on the rest, and the setting with the best validation Recall@K on the discovery
 * task wins. The sweep count is read off each grid run for free by evaluating after sweeps 5, 10
 * and 15 of the same run.
 */
public final class AlsTuning {
    /**
     * The values tried; sweep counts are checkpoints of one run, so they cost nothing extra. Each
     * lambda is tried flat and, when {@code scaled} asks for it, count-scaled (ALS-WR, Spark's
     * regularizer) at the same total penalty: lambda divided by the mean interactions per customer
     * and product of the data, so one list of lambdas means the same strength for both.
     */
    public record Grid(
            int[] factors,
            double[] regularization,
            double[] alpha,
            int[] iterations,
            boolean[] scaled,
            IalsGrid ials) {
        public static final Grid DEFAULT =
                new Grid(
                        new int[] {32, 64},
                        new double[] {10, 30, 100},
                        new double[] {1, 3},
                        new int[] {5, 10, 15},
                        new boolean[] {false, true});

        /** Hu, Koren and Volinsky's objective only. */
        public Grid(
                int[] factors,
                double[] regularization,
                double[] alpha,
                int[] iterations,
                boolean[] scaled) {
            this(factors, regularization, alpha, iterations, scaled, null);
        }

        /** Flat lambda only. */
        public Grid(int[] factors, double[] regularization, double[] alpha, int[] iterations) {
            this(factors, regularization, alpha, iterations, new boolean[] {false});
        }

        /** The same grid with Rendle et al.'s iALS search as well. */
        public Grid withIals(IalsGrid value) {
            return new Grid(factors, regularization, alpha, iterations, scaled, value);
        }

        /**
         * Sweeps the grid makes over each interaction: its settings × their longest run, an iALS
         * run counted k/64 times for its rank k (its k² part grows faster than that).
         */
        public long sweepsPerLine() {
            long settings =
                    (long) factors.length * regularization.length * alpha.length * scaled.length;
            long sweeps = settings * java.util.Arrays.stream(iterations).max().orElseThrow();
            return ials == null ? sweeps : sweeps + ials.sweepsPerLine();
        }
    }

    /**
     * The iALS search of Rendle, Krichene, Zhang and Koren 2021 ("Revisiting the performance of
     * iALS on item recommendation benchmarks"), as they tuned it: λ × α0 at a small rank first,
     * then that best λ and α0 at each larger rank, since with frequency-scaled regularization the
     * best λ hardly moves with the rank. Sweep counts are checkpoints of each run.
     *
     * @param searchFactors the rank of the λ × α0 search
     * @param regularization the λ values (each vector penalized λ·(n + α0·N))
     * @param unobservedWeight the α0 values, the weight of every pair towards 0
     * @param factors the larger ranks tried with the search's best λ and α0
     * @param iterations the sweep checkpoints scored
     */
    public record IalsGrid(
            int searchFactors,
            double[] regularization,
            double[] unobservedWeight,
            int[] factors,
            int[] iterations) {
        /**
         * Logarithmic steps around the scale where λ·N and 1/α0 match the confidence ALS's λ and
         * alpha that the grid above spans; ranks 128 and 256 as Rendle et al. found larger ranks
         * pay off once regularized by frequency. Chosen before any test figure was seen.
         */
        public static final IalsGrid DEFAULT =
                new IalsGrid(
                        64,
                        new double[] {0.001, 0.003, 0.01, 0.03, 0.1},
                        new double[] {0.01, 0.03, 0.1, 0.3, 1},
                        new int[] {128, 256},
                        new int[] {8, 16, 24});

        long sweepsPerLine() {
            long longest = java.util.Arrays.stream(iterations).max().orElseThrow();
            long search =
                    (long) regularization.length
                            * unobservedWeight.length
                            * longest
                            * Math.max(1, searchFactors / 64);
            long larger = 0;
            for (int k : factors) {
                larger += longest * Math.max(1, k / 64);
            }
            return search + larger;
        }
    }

    /** One grid point's validation score. */
    public record Trial(AlsParams params, double recall, double ndcg) {
        /**
         * The lambda as it was tried: a count-scaled one marked with its scale, an iALS one with
         * its frequency scale.
         */
        String lambda() {
            String value = trimmed(params.regularization());
            if (params.frequencyScaled()) {
                return value + "·(n+" + trimmed(params.unobservedWeight()) + "N)";
            }
            return params.scaledRegularization() ? value + "·n" : value;
        }
    }

    private static String trimmed(double value) {
        if (value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        return new java.math.BigDecimal(value)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    /**
     * The chosen setting, every trial, how many customers the validation had, and the Recall@K
     * popularity (products ranked by how many fitting purchases they had, the customer's own left
     * out) reached on the same validation.
     */
    public record Choice(
            AlsParams params,
            List<Trial> trials,
            int validationCustomers,
            double popularityRecall,
            GridSample sample,
            boolean byTime) {
        /** A grid run on the whole data; {@code byTime} as {@link ValidationSplit#byTime()}. */
        public Choice(
                AlsParams params,
                List<Trial> trials,
                int validationCustomers,
                double popularityRecall,
                boolean byTime) {
            this(
                    params,
                    trials,
                    validationCustomers,
                    popularityRecall,
                    GridSample.whole("grid on all customers"),
                    byTime);
        }

        /** The same choice, its grid run as {@code value} says. */
        Choice sampled(GridSample value) {
            return new Choice(params, trials, validationCustomers, popularityRecall, value, byTime);
        }

        /** The best trial's validation Recall@K. */
        public double bestRecall() {
            return trials.stream().mapToDouble(Trial::recall).max().orElse(0);
        }

        /** Whether the chosen setting ranks the validation purchases better than popularity. */
        public boolean beatsPopularity() {
            return validationCustomers > 0 && bestRecall() > popularityRecall;
        }

        public String describe(int k) {
            Trial best =
                    trials.stream().max(Comparator.comparingDouble(Trial::recall)).orElseThrow();
            String objective =
                    params.frequencyScaled()
                            ? String.format(
                                    java.util.Locale.ROOT,
                                    "iALS (Rendle et al. 2021) factors=%d lambda=%s·(n+%sN)",
                                    params.factors(),
                                    trim(params.regularization()),
                                    trim(params.unobservedWeight()))
                            : String.format(
                                    java.util.Locale.ROOT,
                                    "factors=%d lambda=%s%s alpha=%s",
                                    params.factors(),
                                    trim(params.regularization()),
                                    params.scaledRegularization() ? " (count-scaled)" : " (flat)",
                                    trim(params.alpha()));
            return String.format(
                            java.util.Locale.ROOT,
                            "als: chose %s iterations=%d (cgSteps=%d) by validation Recall@%d=%.4f,"
                                    + " best of %d settings (factors %s x lambda %s x alpha %s x"
                                    + " sweeps %s) trained on the rest and validated on %s of the"
                                    + " training data (%d customers); test data unused",
                            objective,
                            params.iterations(),
                            params.cgSteps(),
                            k,
                            best.recall(),
                            trials.size(),
                            list(trials, t -> t.params().factors()),
                            list(trials, Trial::lambda),
                            list(
                                    trials.stream()
                                            .filter(t -> !t.params().frequencyScaled())
                                            .toList(),
                                    t -> trim(t.params().alpha())),
                            list(trials, t -> t.params().iterations()),
                            ValidationSplit.describe(byTime),
                            validationCustomers)
                    + (sample.whole() ? "" : "; " + sample.reason());
        }

        private static String list(
                List<Trial> trials, java.util.function.Function<Trial, Object> value) {
            return trials.stream()
                    .map(value)
                    .distinct()
                    .map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining("/", "{", "}"));
        }

        private static String trim(double value) {
            return trimmed(value);
        }
    }

    private AlsTuning() {}

    /** Every purchase line counts 1: the weight of a pair is how often it was bought. */
    public static Interactions interactions(List<Purchase> purchases) {
        Interactions.Builder builder = Interactions.builder();
        for (Purchase purchase : purchases) {
            builder.add(purchase.customerId(), purchase.productId(), 1);
        }
        return builder.build();
    }

    public static Choice choose(List<Purchase> train, int k, AlsParams base) {
        return choose(train, k, base, Grid.DEFAULT);
    }

    public static Choice choose(List<Purchase> train, int k, AlsParams base, Grid grid) {
        // The whole training data's mean, so the retrained model gets the same lambda per count.
        return choose(ValidationSplit.of(train), meanCount(interactions(train)), k, base, grid);
    }

    /**
     * As {@link #choose(List, int, AlsParams, Grid)} while the grid's cost stays within {@code
     * budget} purchase lines × sweeps; past it, the grid runs on a sample of the customers with all
     * of their purchases ({@link GridSample}), scored on at most {@link
     * GridSample#MAX_VALIDATION_CUSTOMERS} of them, and the choice says so. Count-scaled lambdas
     * are tried at the whole data's mean count, so the chosen value per count is the one the final
     * model trained on everything uses.
     */
    public static Choice choose(
            List<Purchase> train, int k, AlsParams base, Grid grid, long budget) {
        return choose(train, ValidationSplit.once(train), k, base, grid, budget);
    }

    /**
     * As {@link #choose(List, int, AlsParams, Grid, long)} with {@code train}'s split from {@code
     * whole} ({@link ValidationSplit#once}), asked for only when the grid runs on all customers: a
     * tenant's training tunes its other models on the same split.
     */
    public static Choice choose(
            List<Purchase> train,
            Supplier<ValidationSplit> whole,
            int k,
            AlsParams base,
            Grid grid,
            long budget) {
        return choose(train, whole, k, base, grid, budget, GridSample.MIN_CUSTOMERS);
    }

    /** With another floor of sampled customers (tests). */
    static Choice choose(
            List<Purchase> train, int k, AlsParams base, Grid grid, long budget, int minCustomers) {
        return choose(train, ValidationSplit.once(train), k, base, grid, budget, minCustomers);
    }

    private static Choice choose(
            List<Purchase> train,
            Supplier<ValidationSplit> whole,
            int k,
            AlsParams base,
            Grid grid,
            long budget,
            int minCustomers) {
        long customers = train.stream().map(Purchase::customerId).distinct().count();
        GridSample sample =
                GridSample.plan(
                        train.size(), customers, grid.sweepsPerLine(), budget, minCustomers);
        if (sample.whole()) {
            return choose(whole.get(), train, k, base, grid).sampled(sample);
        }
        List<Purchase> sampled = new ArrayList<>();
        for (Purchase purchase : train) {
            if (sample.includes(purchase.customerId())) {
                sampled.add(purchase);
            }
        }
        return chooseOnSample(sampled, sample, meanCount(interactions(train)), k, base, grid);
    }

    /**
     * The grid on {@code sampled}, every purchase of the customers {@code sample} includes, for
     * data of {@code meanCount} interactions per vector as a whole ({@link #meanCount}): validated
     * on the sample's own split, scored on at most {@link GridSample#MAX_VALIDATION_CUSTOMERS}
     * customers, count-scaled lambdas tried at the whole data's mean so the chosen value per count
     * is the one a fit on all of it uses. For a caller that never holds the whole data: a tenant
     * trained outside this JVM streams only its sample here.
     */
    public static Choice chooseOnSample(
            List<Purchase> sampled,
            GridSample sample,
            double meanCount,
            int k,
            AlsParams base,
            Grid grid) {
        ValidationSplit split = ValidationSplit.of(sampled);
        Map<String, Set<String>> scored = new java.util.LinkedHashMap<>();
        split.held().entrySet().stream()
                .sorted(
                        Comparator.comparingDouble(
                                        (Map.Entry<String, Set<String>> e) ->
                                                GridSample.unit("v" + e.getKey()))
                                .thenComparing(Map.Entry::getKey))
                .limit(GridSample.MAX_VALIDATION_CUSTOMERS)
                .forEach(e -> scored.put(e.getKey(), e.getValue()));
        return choose(split.scoring(scored), meanCount, k, base, grid).sampled(sample);
    }

    /** On a given split (probes that score its choice on a test split afterwards). */
    public static Choice choose(
            ValidationSplit split, List<Purchase> train, int k, AlsParams base, Grid grid) {
        return choose(split, meanCount(interactions(train)), k, base, grid);
    }

    private static Choice choose(
            ValidationSplit split, double meanCount, int k, AlsParams base, Grid grid) {
        Map<String, Set<String>> owned = split.owned();
        Map<String, Set<String>> held = split.held();
        Interactions data = interactions(split.fit());

        List<Trial> trials = new ArrayList<>();
        for (int factors : grid.factors()) {
            for (double flat : grid.regularization()) {
                for (boolean scaled : grid.scaled()) {
                    for (double alpha : grid.alpha()) {
                        trials.addAll(
                                checkpoints(
                                        data,
                                        owned,
                                        held,
                                        k,
                                        base.withFactors(factors)
                                                .withRegularization(
                                                        scaled ? flat / meanCount : flat)
                                                .withScaledRegularization(scaled)
                                                .withAlpha(alpha),
                                        grid.iterations()));
                    }
                }
            }
        }
        if (grid.ials() != null) {
            trials.addAll(ials(data, owned, held, k, base, grid.ials()));
        }
        Trial best = trials.stream().max(Comparator.comparingDouble(Trial::recall)).orElseThrow();
        return new Choice(
                best.params(),
                trials,
                held.size(),
                popularity(split.fit(), owned, held, k).recall(),
                split.byTime());
    }

    /**
     * Rendle et al.'s search ({@link IalsGrid}): every trial, the search's and the larger ranks'.
     */
    static List<Trial> ials(
            Interactions data,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> held,
            int k,
            AlsParams base,
            IalsGrid grid) {
        List<Trial> search = new ArrayList<>();
        for (double lambda : grid.regularization()) {
            for (double alpha0 : grid.unobservedWeight()) {
                search.addAll(
                        checkpoints(
                                data,
                                owned,
                                held,
                                k,
                                base.withFactors(grid.searchFactors())
                                        .withRegularization(lambda)
                                        .withUnobservedWeight(alpha0),
                                grid.iterations()));
            }
        }
        AlsParams found =
                search.stream()
                        .max(Comparator.comparingDouble(Trial::recall))
                        .orElseThrow()
                        .params();
        List<Trial> trials = new ArrayList<>(search);
        for (int factors : grid.factors()) {
            trials.addAll(
                    checkpoints(
                            data, owned, held, k, found.withFactors(factors), grid.iterations()));
        }
        return trials;
    }

    /** One run to the last checkpoint, scored at each. */
    private static List<Trial> checkpoints(
            Interactions data,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> held,
            int k,
            AlsParams params,
            int[] iterations) {
        List<Trial> trials = new ArrayList<>();
        int longest = java.util.Arrays.stream(iterations).max().orElseThrow();
        ImplicitAls.train(
                data,
                params.withIterations(longest),
                (iteration, progress) -> {
                    if (java.util.Arrays.stream(iterations).anyMatch(c -> c == iteration)) {
                        RankingMetrics metrics = discover(progress.model(), owned, held, k);
                        trials.add(
                                new Trial(
                                        params.withIterations(iteration),
                                        metrics.recall(),
                                        metrics.ndcg()));
                    }
                });
        return trials;
    }

    /**
     * Scores one setting the way {@link #choose} scores each of its grid's, on {@code split}, with
     * {@code model} fitted on its {@code fit()} part: for a trainer outside this JVM (Spark), where
     * every fit is a job of its own and a grid would cost a dozen of them.
     */
    public static Choice validate(ValidationSplit split, int k, AlsParams params, AlsModel model) {
        Map<String, Set<String>> owned = split.owned();
        Map<String, Set<String>> held = split.held();
        RankingMetrics metrics = discover(model, owned, held, k);
        return new Choice(
                params,
                List.of(new Trial(params, metrics.recall(), metrics.ndcg())),
                held.size(),
                popularity(split.fit(), owned, held, k).recall(),
                split.byTime());
    }

    /**
     * {@link #validate(ValidationSplit, int, AlsParams, AlsModel)} for a split held in parts: the
     * {@code owned} and {@code held} products of the scored customers (a sample, {@code sample}),
     * and each product's count of fitting purchase lines ({@code fitLines}, popularity's ranking),
     * where the fitting purchases themselves were never in memory (the Spark trainer's input,
     * written as it was read).
     */
    public static Choice validate(
            Map<String, Set<String>> owned,
            Map<String, Set<String>> held,
            Map<String, Integer> fitLines,
            boolean byTime,
            GridSample sample,
            int k,
            AlsParams params,
            AlsModel model) {
        RankingMetrics metrics = discover(model, owned, held, k);
        return new Choice(
                params,
                List.of(new Trial(params, metrics.recall(), metrics.ndcg())),
                held.size(),
                popularity(fitLines, owned, held, k).recall(),
                sample,
                byTime);
    }

    /**
     * Mean interactions per customer and per product: the count at which a count-scaled lambda
     * equals a flat one, on average (how a flat lambda is also converted to Spark's regParam).
     */
    public static double meanCount(Interactions data) {
        return 2.0 * data.size() / (double) (data.userCount() + data.itemCount());
    }

    /** Discovery metrics of popularity: the most bought products, the customer's own masked. */
    static RankingMetrics popularity(
            List<Purchase> fit,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant,
            int k) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        fit.forEach(purchase -> counts.merge(purchase.productId(), 1, Integer::sum));
        return popularity(counts, owned, relevant, k);
    }

    /** {@link #popularity(List, Map, Map, int)} from each product's count of fitting lines. */
    static RankingMetrics popularity(
            Map<String, Integer> counts,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant,
            int k) {
        List<String> byCount = new ArrayList<>(counts.keySet());
        byCount.sort(
                Comparator.<String>comparingInt(counts::get)
                        .reversed()
                        .thenComparing(Comparator.naturalOrder()));
        RankingMetrics metrics = new RankingMetrics(k);
        relevant.forEach(
                (customer, items) -> {
                    Set<String> own = owned.getOrDefault(customer, Set.of());
                    List<String> ranked = new ArrayList<>(k);
                    for (String productId : byCount) {
                        if (ranked.size() == k) {
                            break;
                        }
                        if (!own.contains(productId)) {
                            ranked.add(productId);
                        }
                    }
                    metrics.add(ranked, items);
                });
        return metrics;
    }

    /** Discovery metrics of a model: full ranking with the customer's own items masked. */
    static RankingMetrics discover(
            AlsModel model,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant,
            int k) {
        RankingMetrics metrics = new RankingMetrics(k);
        relevant.forEach(
                (customer, items) ->
                        metrics.add(ranked(model, customer, owned.get(customer), k), items));
        return metrics;
    }

    static List<String> ranked(AlsModel model, String customer, Set<String> owned, int k) {
        List<String> ids = new ArrayList<>(k);
        for (ScoredItem item : model.recommend(customer, k, owned)) {
            ids.add(item.productId());
        }
        return ids;
    }
}
