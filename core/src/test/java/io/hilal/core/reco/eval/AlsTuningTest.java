package io.hilal.core.reco.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.als.AlsParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlsTuningTest {
    /** 3 taste clusters of 20 products; each customer buys 8 of their cluster's over 8 days. */
    private static List<Purchase> clustered(long seed, int dayOffset) {
        Random random = new Random(seed);
        List<Purchase> purchases = new ArrayList<>();
        for (int customer = 0; customer < 60; customer++) {
            int cluster = customer % 3;
            for (int day = 0; day < 8; day++) {
                String product = "p" + cluster + "-" + random.nextInt(20);
                purchases.add(
                        new Purchase(
                                "c" + customer,
                                product,
                                "o" + customer + "-" + day,
                                1,
                                Instant.parse("2024-01-01T00:00:00Z")
                                        .plusSeconds(86_400L * (day + dayOffset))));
            }
        }
        return purchases;
    }

    @Test
    void choosesFromTheGridOnAValidationSplitOfTheTrainingDataOnly() {
        AlsTuning.Grid grid =
                new AlsTuning.Grid(
                        new int[] {4, 8},
                        new double[] {1, 10},
                        new double[] {1},
                        new int[] {5, 10});
        AlsTuning.Choice choice =
                AlsTuning.choose(clustered(1, 0), 10, AlsParams.defaults().withThreads(1), grid);

        assertThat(choice.trials()).hasSize(2 * 2 * 2);
        assertThat(choice.params().factors()).isIn(4, 8);
        assertThat(choice.params().regularization()).isIn(1.0, 10.0);
        assertThat(choice.params().iterations()).isIn(5, 10);
        assertThat(choice.validationCustomers()).isPositive().isLessThanOrEqualTo(60);
        assertThat(choice.trials())
                .allSatisfy(trial -> assertThat(trial.recall()).isBetween(0.0, 1.0));
        assertThat(choice.describe(10))
                .contains("factors {4/8}")
                .contains("newest 20%")
                .contains("test data unused");
    }

    @Test
    void triesEveryLambdaFlatAndCountScaledAtTheSameMeanPenalty() {
        List<Purchase> train = clustered(1, 0);
        AlsTuning.Grid grid =
                new AlsTuning.Grid(
                        new int[] {8},
                        new double[] {1, 10},
                        new double[] {1},
                        new int[] {5},
                        new boolean[] {false, true});
        AlsTuning.Choice choice =
                AlsTuning.choose(train, 10, AlsParams.defaults().withThreads(1), grid);

        double meanCount = AlsTuning.meanCount(AlsTuning.interactions(train));
        assertThat(meanCount).isGreaterThan(1);
        assertThat(choice.trials())
                .extracting(
                        trial -> trial.params().scaledRegularization(),
                        trial -> trial.params().regularization())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(false, 1.0),
                        org.assertj.core.groups.Tuple.tuple(true, 1.0 / meanCount),
                        org.assertj.core.groups.Tuple.tuple(false, 10.0),
                        org.assertj.core.groups.Tuple.tuple(true, 10.0 / meanCount));
        assertThat(choice.describe(10)).contains("·n").containsAnyOf("(flat)", "(count-scaled)");
    }

    @Test
    void theIalsSearchTriesLambdaTimesAlpha0ThenTheWinnerAtTheLargerRanks() {
        AlsTuning.Grid grid =
                new AlsTuning.Grid(new int[] {4}, new double[] {1}, new double[] {1}, new int[] {5})
                        .withIals(
                                new AlsTuning.IalsGrid(
                                        4,
                                        new double[] {0.001, 0.01},
                                        new double[] {0.1, 1},
                                        new int[] {8},
                                        new int[] {3, 6}));
        AlsTuning.Choice choice =
                AlsTuning.choose(clustered(1, 0), 10, AlsParams.defaults().withThreads(1), grid);

        List<AlsTuning.Trial> ials =
                choice.trials().stream().filter(t -> t.params().frequencyScaled()).toList();
        // 2 lambdas × 2 alpha0 at rank 4, then rank 8: each scored after sweeps 3 and 6.
        assertThat(ials).hasSize((2 * 2 + 1) * 2);
        AlsTuning.Trial bestSearch =
                ials.stream()
                        .filter(t -> t.params().factors() == 4)
                        .max(java.util.Comparator.comparingDouble(AlsTuning.Trial::recall))
                        .orElseThrow();
        assertThat(ials)
                .filteredOn(t -> t.params().factors() == 8)
                .allSatisfy(
                        t -> {
                            assertThat(t.params().regularization())
                                    .isEqualTo(bestSearch.params().regularization());
                            assertThat(t.params().unobservedWeight())
                                    .isEqualTo(bestSearch.params().unobservedWeight());
                        });
        assertThat(choice.trials()).hasSize(ials.size() + 1);
        assertThat(grid.sweepsPerLine()).isEqualTo(5 + 2 * 2 * 6 + 6);
    }

    @Test
    void aLogWithoutTimesIsValidatedOnARandomShareAndTheChoiceSaysSo() {
        List<Purchase> untimed =
                clustered(1, 0).stream()
                        .map(
                                p ->
                                        new Purchase(
                                                p.customerId(),
                                                p.productId(),
                                                p.orderId(),
                                                p.quantity(),
                                                Instant.EPOCH))
                        .toList();
        AlsTuning.Grid grid =
                new AlsTuning.Grid(
                        new int[] {4}, new double[] {1}, new double[] {1}, new int[] {5});

        AlsTuning.Choice choice =
                AlsTuning.choose(untimed, 10, AlsParams.defaults().withThreads(1), grid);

        assertThat(choice.byTime()).isFalse();
        assertThat(choice.describe(10))
                .contains("a random 20% of each customer's products")
                .doesNotContain("newest");
        assertThat(
                        AlsTuning.choose(
                                        clustered(1, 0),
                                        10,
                                        AlsParams.defaults().withThreads(1),
                                        grid)
                                .byTime())
                .isTrue();
    }

    @Test
    void pastItsBudgetTheGridRunsOnASampleOfCustomersAtTheWholeDatasMeanCount() {
        List<Purchase> train = clustered(1, 0); // 60 customers, 480 lines
        AlsTuning.Grid grid =
                new AlsTuning.Grid(
                        new int[] {8},
                        new double[] {1, 10},
                        new double[] {1},
                        new int[] {5},
                        new boolean[] {false, true});
        // 480 lines × 4 settings × 5 sweeps = 9,600 line-sweeps, over a budget of 4,800: half.
        AlsTuning.Choice choice =
                AlsTuning.choose(train, 10, AlsParams.defaults().withThreads(1), grid, 4_800, 10);

        assertThat(choice.sample().share()).isEqualTo(0.5);
        long sampled =
                train.stream()
                        .map(Purchase::customerId)
                        .distinct()
                        .filter(choice.sample()::includes)
                        .count();
        assertThat(sampled).isBetween(15L, 45L);
        assertThat(choice.validationCustomers()).isPositive().isLessThanOrEqualTo((int) sampled);
        double meanCount = AlsTuning.meanCount(AlsTuning.interactions(train));
        assertThat(choice.trials())
                .extracting(trial -> trial.params().regularization())
                .containsExactlyInAnyOrder(1.0, 10.0, 1.0 / meanCount, 10.0 / meanCount);
        assertThat(choice.describe(10)).contains("50.0% sample of the 60 customers");

        AlsTuning.Choice within =
                AlsTuning.choose(train, 10, AlsParams.defaults().withThreads(1), grid, 9_600, 10);
        assertThat(within.sample().whole()).isTrue();
        assertThat(within.sample().reason()).startsWith("grid on all 60 customers");
        assertThat(within.describe(10)).doesNotContain("sample");
        assertThat(within.validationCustomers()).isGreaterThan(choice.validationCustomers());
    }

    @Test
    void alsBeatsPopularityOnDiscoveryWhenTastesCluster() {
        List<OfflineEvaluation.Result> results =
                OfflineEvaluation.run(clustered(1, 0), clustered(2, 30), new int[] {10});
        double als = recall(results, "als");
        double popularity = recall(results, "popularity");
        assertThat(als).isGreaterThan(popularity * 1.5);
    }

    @Test
    void easeIsScoredOnlyUpToItsProductLimit() {
        // EASE within a limit of the training data's product count, left out under one less.
        List<Purchase> train = clustered(1, 0);
        List<Purchase> test = clustered(2, 30);
        long products = train.stream().map(Purchase::productId).distinct().count();

        List<OfflineEvaluation.Result> within = scored(train, test, (int) products);
        List<OfflineEvaluation.Result> above = scored(train, test, (int) products - 1);

        assertThat(within).extracting(OfflineEvaluation.Result::model).contains("ease", "als");
        assertThat(above).extracting(OfflineEvaluation.Result::model).doesNotContain("ease");
        // Everything else is scored as before.
        assertThat(above)
                .containsExactlyElementsOf(
                        within.stream().filter(r -> !r.model().equals("ease")).toList());
    }

    private static List<OfflineEvaluation.Result> scored(
            List<Purchase> train, List<Purchase> test, int easeMaxProducts) {
        return OfflineEvaluation.evaluate(
                        train, test, new int[] {10}, p -> null, false, List.of(), easeMaxProducts)
                .results();
    }

    private static double recall(List<OfflineEvaluation.Result> results, String model) {
        return results.stream()
                .filter(r -> r.task().equals("discover") && r.model().equals(model))
                .findFirst()
                .orElseThrow()
                .recall();
    }
}
