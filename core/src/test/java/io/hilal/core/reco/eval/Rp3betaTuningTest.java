package io.hilal.core.reco.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.reco.Purchase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Rp3betaTuningTest {
    /**
     * Customers buy products in fixed pairs, a pair's first product one day and its second the next
     * (three of 30 pairs each), starting {@code dayOffset} days in.
     */
    private static List<Purchase> pairs(int customers, int dayOffset) {
        List<Purchase> purchases = new ArrayList<>();
        for (int customer = 0; customer < customers; customer++) {
            int day = dayOffset;
            for (int pair :
                    new int[] {customer % 30, (customer * 7 + 3) % 30, (customer * 13 + 5) % 30}) {
                for (String side : new String[] {"a", "b"}) {
                    purchases.add(
                            new Purchase(
                                    "c" + customer,
                                    side + pair,
                                    "o" + customer + "-" + day,
                                    1,
                                    Instant.parse("2024-01-01T00:00:00Z")
                                            .plusSeconds(86_400L * day++)));
                }
            }
        }
        return purchases;
    }

    private static final Rp3betaTuning.Grid SMALL =
            new Rp3betaTuning.Grid(new double[] {0.5, 1.0}, new double[] {0.3}, new int[] {5});

    @Test
    void choosesTheSettingWithTheBestValidationRecallAndSaysTheTestWasUnused() {
        Rp3betaTuning.Choice choice =
                Rp3betaTuning.choose(ValidationSplit.of(pairs(90, 0)), 20, SMALL, 1);

        assertThat(choice.trials()).hasSize(2);
        assertThat(choice.best().recall())
                .isEqualTo(
                        choice.trials().stream()
                                .mapToDouble(Rp3betaTuning.Trial::recall)
                                .max()
                                .orElseThrow());
        // Each validated customer's held-out purchase is the second of a pair whose first they own.
        assertThat(choice.best().recall()).isGreaterThan(0.5);
        assertThat(choice.describe(20))
                .startsWith("rp3beta: chose alpha=")
                .contains("beta=0.3 keep=5 by validation Recall@20=")
                .contains("best of 2 settings")
                .endsWith("test data unused");
    }

    @Test
    void theEvaluationScoresRp3betaAsServedAndNamesItOnlyWhenValidationPrefersIt() {
        OfflineEvaluation.Evaluation evaluation =
                OfflineEvaluation.evaluate(
                        pairs(90, 0), pairs(90, 30), new int[] {20}, p -> null, true, List.of());

        assertThat(evaluation.rp3beta()).isNotNull();
        assertThat(evaluation.results())
                .anySatisfy(
                        result -> {
                            assertThat(result.task()).isEqualTo("discover");
                            assertThat(result.model()).isEqualTo("rp3beta");
                        });
        double graph = evaluation.rp3beta().best().recall();
        double others =
                Math.max(
                        OfflineEvaluation.bestRecall(evaluation.als()),
                        evaluation.servedEase().best().recall());
        assertThat(evaluation.chosenDiscoveryModel())
                .isEqualTo(
                        graph > others
                                ? "rp3beta"
                                : evaluation.servedEase().best().recall()
                                                > OfflineEvaluation.bestRecall(evaluation.als())
                                        ? "ease-served"
                                        : "als");
    }
}
