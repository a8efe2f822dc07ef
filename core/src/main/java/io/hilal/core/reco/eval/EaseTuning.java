package io.hilal.core.reco.eval;

import io.hilal.core.reco.ScoredItem;
import io.hilal.core.reco.ease.EaseModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses EASE's one setting, λ, on a {@link ValidationSplit} of the training data, as {@link
 * AlsTuning} does for ALS: each λ of a geometric grid is trained on the older part and scored by
 * discovery Recall@K on the newest part.
 */
public final class EaseTuning {
    public static final double[] LAMBDAS = {50, 150, 500, 1500};

    /** One λ's validation score. */
    public record Trial(double lambda, double recall, double ndcg) {}

    /** The chosen λ, every trial, and how many customers the validation had. */
    public record Choice(double lambda, List<Trial> trials, int validationCustomers) {
        public Trial best() {
            return trials.stream().max(Comparator.comparingDouble(Trial::recall)).orElseThrow();
        }

        public String describe(int k) {
            return String.format(
                    Locale.ROOT,
                    "ease: chose lambda=%s by validation Recall@%d=%.4f, best of lambda %s on the"
                            + " same split as als (%d customers); test data unused",
                    trim(lambda),
                    k,
                    best().recall(),
                    trials.stream()
                            .map(trial -> trim(trial.lambda()))
                            .collect(Collectors.joining("/", "{", "}")),
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
        Map<String, Set<String>> fit = split.fitProductsByCustomer();
        List<Trial> trials = new ArrayList<>();
        for (double lambda : lambdas) {
            EaseModel model = EaseModel.train(fit, lambda, threads, keepPerItem);
            RankingMetrics metrics = discover(model, split.owned(), split.held(), k);
            trials.add(new Trial(lambda, metrics.recall(), metrics.ndcg()));
        }
        Trial best = trials.stream().max(Comparator.comparingDouble(Trial::recall)).orElseThrow();
        return new Choice(best.lambda(), trials, split.held().size());
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
