package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ExternalAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.als.PairFile;
import io.hilal.core.reco.eval.AlsTuning;
import io.hilal.core.reco.eval.GridSample;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LargeTenantTrainingTest {
    private static final ExternalAls ENGINE =
            new ExternalAls() {
                @Override
                public String engine() {
                    return "spark";
                }

                @Override
                public Path workDir() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void fitFiles(
                        List<PairFile> inputs, AlsParams params, Consumer<AlsModel> each) {
                    throw new UnsupportedOperationException();
                }
            };

    @ParameterizedTest
    @CsvSource({
        "1000, 0, false",
        "1000, 999, false",
        "1000, 1000, true",
        "1000, 5000000, true",
        "1, 1, true"
    })
    void appliesFromTheThresholdOn(long threshold, long pairs, boolean applies) {
        assertThat(
                        new LargeTenantTraining(threshold, ENGINE, AlsParams.defaults())
                                .appliesTo(pairs))
                .isEqualTo(applies);
    }

    @Test
    void convertsAFlatLambdaToTheCountScaledOneAtTheTenantsMeanCount() {
        // 2 customers x 2 products, 3 pairs: mean count 2 * 3 / (2 + 2) = 1.5.
        Interactions data =
                Interactions.builder().add("a", "x", 1).add("a", "y", 1).add("b", "x", 1).build();
        AlsParams flat = AlsParams.defaults().withRegularization(30);
        AlsParams scaled = new LargeTenantTraining(1, ENGINE, flat).paramsFor(data);
        assertThat(scaled.scaledRegularization()).isTrue();
        assertThat(scaled.regularization()).isEqualTo(20.0);
        assertThat(scaled.factors()).isEqualTo(flat.factors());

        AlsParams already = flat.withScaledRegularization(true);
        assertThat(new LargeTenantTraining(1, ENGINE, already).paramsFor(data)).isEqualTo(already);
    }

    @Test
    void convertsTheGridsFlatChoiceForTheEngineAndKeepsAScaledOne() throws Exception {
        Path file = java.nio.file.Files.createTempFile("pairs", ".bin");
        try {
            // 2 customers x 2 products, 3 pairs: mean count 1.5.
            PairFile data =
                    PairFile.of(
                            Interactions.builder()
                                    .add("a", "x", 1)
                                    .add("a", "y", 1)
                                    .add("b", "x", 1)
                                    .build(),
                            file);
            AlsParams flat = AlsParams.defaults().withRegularization(30);
            assertThat(LargeTenantTraining.paramsFor(data, flat).regularization()).isEqualTo(20.0);
            AlsParams scaled = flat.withRegularization(0.2).withScaledRegularization(true);
            assertThat(LargeTenantTraining.paramsFor(data, scaled)).isEqualTo(scaled);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void gridsTheProductionSettingsTheEngineCanFitAtTheConfiguredRank() {
        AlsTuning.Grid grid = LargeTenantTraining.gridAt(32);
        assertThat(grid.factors()).containsExactly(32);
        assertThat(grid.scaled()).containsExactly(true);
        assertThat(grid.regularization())
                .containsExactly(TrainingService.ALS_GRID.regularization());
        assertThat(grid.alpha()).containsExactly(TrainingService.ALS_GRID.alpha());
        assertThat(grid.iterations()).containsExactly(TrainingService.ALS_GRID.iterations());
        assertThat(grid.ials()).isNull();
    }

    @Test
    void refusesAGridTheEngineCannotFit() {
        AlsTuning.Grid flat =
                new AlsTuning.Grid(
                        new int[] {8}, new double[] {3}, new double[] {1}, new int[] {5});
        assertThatThrownBy(
                        () ->
                                new LargeTenantTraining(
                                        1, ENGINE, AlsParams.defaults(), Optional.of(flat)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count-scaled");
    }

    @Test
    void samplesTheGridsCustomersAsTheInJvmGridWouldFromTheDatabasesCounts() {
        AlsTuning.Grid grid = LargeTenantTraining.gridAt(64);
        LargeTenantTraining tuned =
                new LargeTenantTraining(1, ENGINE, AlsParams.defaults(), Optional.of(grid));
        // 10 M lines of 400,000 customers: 6 settings x 15 sweeps = 90 line-sweeps a line, 150 M
        // of budget: a 1/6 share, 66,667 customers.
        GridSample sample =
                tuned.gridSample(
                                new InteractionDao.PurchaseCounts(
                                        8_000_000, 400_000, false, 10_000_000))
                        .orElseThrow();
        assertThat(sample.share()).isCloseTo(150_000_000.0 / (10_000_000.0 * 90), within(1e-12));
        GridSample small =
                tuned.gridSample(new InteractionDao.PurchaseCounts(700, 100, false, 900))
                        .orElseThrow();
        assertThat(small.whole()).isTrue();
        assertThat(
                        new LargeTenantTraining(1, ENGINE, AlsParams.defaults())
                                .gridSample(
                                        new InteractionDao.PurchaseCounts(
                                                8_000_000, 400_000, false, 10_000_000)))
                .as("no grid: the configured setting")
                .isEmpty();
    }

    @Test
    void saysWhichEngineAndWhy() {
        assertThat(
                        new LargeTenantTraining(2_000_000, ENGINE, AlsParams.defaults())
                                .reason(3_500_000))
                .isEqualTo(
                        "spark: 3,500,000 interactions (distinct customer-product pairs) reach the"
                                + " threshold of 2,000,000 for training outside the worker's JVM");
    }

    @Test
    void refusesANonPositiveThreshold() {
        assertThatThrownBy(() -> new LargeTenantTraining(0, ENGINE, AlsParams.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
