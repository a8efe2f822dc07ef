package io.hilal.core.reco.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.ease.EaseModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EaseTuningTest {
    /**
     * Customers buy products in fixed pairs, a pair's first product one day and its second the next
     * (three of 30 pairs each), so each validated customer's held-out purchase completes a pair.
     */
    private static List<Purchase> pairs(int customers) {
        List<Purchase> purchases = new ArrayList<>();
        for (int customer = 0; customer < customers; customer++) {
            int day = 0;
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

    @Test
    void theDropoutGridIsTheOneFixedBeforeTheFirstRun() {
        assertThat(EaseTuning.WITH_DROPOUT).hasSize(36).doesNotHaveDuplicates();
        // The plain EASE points come first, so a tie goes to the simpler model.
        assertThat(EaseTuning.WITH_DROPOUT.subList(0, 4))
                .containsExactly(
                        EaseModel.Settings.ease(50),
                        EaseModel.Settings.ease(150),
                        EaseModel.Settings.ease(500),
                        EaseModel.Settings.ease(1500));
        List<EaseModel.Settings> dropout = EaseTuning.WITH_DROPOUT.subList(4, 36);

        assertThat(dropout)
                .extracting(EaseModel.Settings::lambda)
                .containsOnly(5.0, 50.0, 150.0, 500.0);
        assertThat(dropout)
                .extracting(EaseModel.Settings::dropout)
                .containsOnly(0.1, 0.25, 0.33, 0.5);
        assertThat(dropout.stream().filter(s -> s.form() == EaseModel.Form.DLAE)).hasSize(16);
    }

    @Test
    void choosesTheBestValidationRecallOverEveryFormAndSaysTheTestWasUnused() {
        List<EaseModel.Settings> grid =
                List.of(
                        EaseModel.Settings.ease(50),
                        new EaseModel.Settings(5, 0.5, EaseModel.Form.EASE),
                        new EaseModel.Settings(5, 0.5, EaseModel.Form.DLAE));

        EaseTuning.Choice choice = EaseTuning.choose(ValidationSplit.of(pairs(90)), 20, grid, 1, 5);

        assertThat(choice.trials())
                .extracting(EaseTuning.Trial::settings)
                .containsExactlyElementsOf(grid);
        double best =
                choice.trials().stream().mapToDouble(EaseTuning.Trial::recall).max().orElseThrow();
        assertThat(choice.best().recall()).isEqualTo(best);
        // The first of the best: no later trial scores the same as the chosen and comes before it.
        assertThat(
                        choice.trials().subList(0, choice.trials().indexOf(choice.best())).stream()
                                .mapToDouble(EaseTuning.Trial::recall))
                .allMatch(recall -> recall < best);
        assertThat(choice.best().recall()).isGreaterThan(0.5);
        assertThat(choice.describe(20))
                .startsWith("ease: chose ")
                .contains("best of 3 settings")
                .endsWith("test data unused");
    }

    @Test
    void aModelTrainedWithTheChosenSettingsOnTheSameDataScoresAsItsTrial() {
        ValidationSplit split = ValidationSplit.of(pairs(90));
        EaseModel.Settings dlae = new EaseModel.Settings(50, 0.25, EaseModel.Form.DLAE);

        EaseTuning.Choice choice = EaseTuning.choose(split, 20, List.of(dlae), 1, 5);
        EaseModel model = EaseModel.train(split.fitProductsByCustomer(), dlae, 1, 5);

        assertThat(EaseTuning.discover(model, split.owned(), split.held(), 20).recall())
                .isEqualTo(choice.best().recall());
    }

    @Test
    void thePlainLambdaGridDescribesItselfAsBefore() {
        EaseTuning.Choice choice =
                EaseTuning.choose(ValidationSplit.of(pairs(90)), 20, new double[] {50, 150}, 1, 5);

        assertThat(choice.describe(20))
                .startsWith("ease: chose lambda=")
                .contains("best of lambda {50/150} on the same split as als");
    }
}
