package io.hilal.core.reco.eval;

import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.graph.Rp3betaModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Chooses RP3beta's settings (the walk's exponent α, the popularity penalty β, the weights kept per
 * product) on a {@link ValidationSplit} of the training data, as {@link EaseTuning} does for EASE:
 * each point of the grid is trained on the older part and scored by discovery Recall@K on the
 * newest part. The grid spans α 0.5–1 and β up to 0.75 (a first grid of β 0–0.5 peaked at its edge,
 * 0.5, on both MovieLens and Online Retail; bench/results/rp3beta-2026-12-07); kept weights from 25
 * (Online Retail's validation preferred fewer) to what a served EASE keeps.
 */
public final class Rp3betaTuning {
    /** The settings tried: every α × β × kept weights. */
    public record Grid(double[] alphas, double[] betas, int[] keeps) {
        public int size() {
            return alphas.length * betas.length * keeps.length;
        }
    }

    public static final Grid DEFAULT =
            new Grid(
                    new double[] {0.5, 0.75, 1.0},
                    new double[] {0.3, 0.45, 0.6, 0.75},
                    new int[] {25, 50, 200});

    /** One setting's validation score. */
    public record Trial(double alpha, double beta, int keep, double recall, double ndcg) {
        String describe() {
            return String.format(Locale.ROOT, "alpha=%s beta=%s keep=%d", alpha, beta, keep);
        }
    }

    /** The best setting, every trial, and how many customers the validation had. */
    public record Choice(List<Trial> trials, int validationCustomers) {
        public Trial best() {
            return trials.stream().max(Comparator.comparingDouble(Trial::recall)).orElseThrow();
        }

        public String describe(int k) {
            return String.format(
                    Locale.ROOT,
                    "rp3beta: chose %s by validation Recall@%d=%.4f, best of %d settings on the"
                            + " same split as als (%d customers); test data unused",
                    best().describe(),
                    k,
                    best().recall(),
                    trials.size(),
                    validationCustomers);
        }
    }

    private Rp3betaTuning() {}

    public static Choice choose(ValidationSplit split, int k, Grid grid, int threads) {
        Map<String, Set<String>> fit = split.fitProductsByCustomer();
        List<Trial> trials = new ArrayList<>();
        for (double alpha : grid.alphas()) {
            for (double beta : grid.betas()) {
                for (int keep : grid.keeps()) {
                    Rp3betaModel model = Rp3betaModel.train(fit, alpha, beta, keep, threads);
                    RankingMetrics metrics = discover(model, split.owned(), split.held(), k);
                    trials.add(new Trial(alpha, beta, keep, metrics.recall(), metrics.ndcg()));
                }
            }
        }
        return new Choice(trials, split.held().size());
    }

    static RankingMetrics discover(
            Rp3betaModel model,
            Map<String, Set<String>> owned,
            Map<String, Set<String>> relevant,
            int k) {
        RankingMetrics metrics = new RankingMetrics(k);
        relevant.forEach(
                (customer, items) -> metrics.add(ranked(model, owned.get(customer), k), items));
        return metrics;
    }

    public static List<String> ranked(Rp3betaModel model, Set<String> owned, int k) {
        List<String> ids = new ArrayList<>(k);
        for (ScoredItem item : model.recommend(owned, k, owned)) {
            ids.add(item.productId());
        }
        return ids;
    }
}
