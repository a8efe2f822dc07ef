package io.hilal.core.reco.eval;

import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.ease.EaseModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses EASE's settings on a {@link ValidationSplit} of the training data, as {@link AlsTuning}
 * does for ALS: each point of a grid is trained on the older part and scored by discovery Recall@K
 * on the newest part. The plain grid is EASE's λ; {@link #WITH_DROPOUT} adds Steck's (2020) EDLAE
 * and DLAE, EASE with a penalty that grows with each product's popularity.
 */
public final class EaseTuning {
    public static final double[] LAMBDAS = {50, 150, 500, 1500};

    /** EDLAE's and DLAE's λ and dropout, fixed before the first run (bench/results/edlae-…). */
    static final double[] DROPOUT_LAMBDAS = {5, 50, 150, 500};

    static final double[] DROPOUTS = {0.1, 0.25, 0.33, 0.5};

    /**
     * EASE's λ grid, then EDLAE and DLAE at every λ × dropout of theirs: 20 inversions (EDLAE and
     * DLAE share one), five times the plain grid's cost. Not a tenant's grid: on MovieLens its
     * validation choice beat ALS's on two folds whose test then favoured ALS
     * (bench/results/HISTORY.md, "EDLAE and DLAE"), so tenants keep {@link #LAMBDAS}; the bench
     * probes use it.
     */
    public static final List<EaseModel.Settings> WITH_DROPOUT = withDropout();

    /** One setting's validation score. */
    public record Trial(EaseModel.Settings settings, double recall, double ndcg) {
        public double lambda() {
            return settings.lambda();
        }
    }

    /**
     * The chosen settings (the first of the best: the grid lists simpler models first, so a tie
     * goes to EASE), every trial, and how many customers the validation had.
     */
    public record Choice(EaseModel.Settings settings, List<Trial> trials, int validationCustomers) {
        public double lambda() {
            return settings.lambda();
        }

        public Trial best() {
            return trials.stream()
                    .filter(t -> t.settings().equals(settings))
                    .findFirst()
                    .orElseThrow();
        }

        public String describe(int k) {
            boolean plain = trials.stream().allMatch(t -> t.settings().dropout() == 0);
            return String.format(
                    Locale.ROOT,
                    "ease: chose %s by validation Recall@%d=%.4f, best of %s on the"
                            + " same split as als (%d customers); test data unused",
                    plain ? "lambda=" + trim(lambda()) : settings.describe(),
                    k,
                    best().recall(),
                    plain
                            ? trials.stream()
                                    .map(trial -> trim(trial.lambda()))
                                    .collect(Collectors.joining("/", "lambda {", "}"))
                            : trials.size()
                                    + " settings (EASE lambda, EDLAE and DLAE lambda x dropout)",
                    validationCustomers);
        }

        private static String trim(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }

    private EaseTuning() {}

    public static Choice choose(ValidationSplit split, int k, double[] lambdas, int threads) {
        return choose(split, k, lambdas, threads, EaseModel.KEEP_ALL);
    }

    /**
     * As above, each candidate keeping {@code keepPerItem} weights per product, as the model that
     * will be served does, so the validation scores the model as served.
     */
    public static Choice choose(
            ValidationSplit split, int k, double[] lambdas, int threads, int keepPerItem) {
        List<EaseModel.Settings> grid = new ArrayList<>();
        for (double lambda : lambdas) {
            grid.add(EaseModel.Settings.ease(lambda));
        }
        return choose(split, k, grid, threads, keepPerItem);
    }

    /**
     * Every setting of {@code grid}; settings that differ only in form (EDLAE and DLAE at the same
     * λ and dropout) share one inversion.
     */
    public static Choice choose(
            ValidationSplit split,
            int k,
            List<EaseModel.Settings> grid,
            int threads,
            int keepPerItem) {
        Map<String, Set<String>> fit = split.fitProductsByCustomer();
        Map<EaseModel.Settings, Trial> scored = new java.util.HashMap<>();
        for (EaseModel.Settings settings : grid) {
            if (scored.containsKey(settings)) {
                continue;
            }
            List<EaseModel.Form> forms =
                    grid.stream()
                            .filter(
                                    other ->
                                            other.lambda() == settings.lambda()
                                                    && other.dropout() == settings.dropout())
                            .map(EaseModel.Settings::form)
                            .distinct()
                            .toList();
            List<EaseModel> models =
                    EaseModel.trainEach(
                            fit,
                            settings.lambda(),
                            settings.dropout(),
                            forms,
                            threads,
                            keepPerItem);
            for (EaseModel model : models) {
                RankingMetrics metrics = discover(model, split.owned(), split.held(), k);
                scored.put(
                        model.settings(),
                        new Trial(model.settings(), metrics.recall(), metrics.ndcg()));
            }
        }
        List<Trial> trials = grid.stream().distinct().map(scored::get).toList();
        Trial best = trials.get(0);
        for (Trial trial : trials) {
            if (trial.recall() > best.recall()) {
                best = trial;
            }
        }
        return new Choice(best.settings(), trials, split.held().size());
    }

    private static List<EaseModel.Settings> withDropout() {
        List<EaseModel.Settings> grid = new ArrayList<>();
        for (double lambda : LAMBDAS) {
            grid.add(EaseModel.Settings.ease(lambda));
        }
        for (EaseModel.Form form : EaseModel.Form.values()) {
            for (double lambda : DROPOUT_LAMBDAS) {
                for (double dropout : DROPOUTS) {
                    grid.add(new EaseModel.Settings(lambda, dropout, form));
                }
            }
        }
        return List.copyOf(grid);
    }

    static RankingMetrics discover(
            EaseModel model,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant,
            int k) {
        RankingMetrics metrics = new RankingMetrics(k);
        relevant.forEach(
                (customer, items) -> metrics.add(ranked(model, owned.get(customer), k), items));
        return metrics;
    }

    static List<String> ranked(EaseModel model, Set<String> owned, int k) {
        List<String> ids = new ArrayList<>(k);
        for (ScoredItem item : model.recommend(owned, k, owned)) {
            ids.add(item.productId());
        }
        return ids;
    }
}
