package io.hilal.core.reco.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.error.FieldError;
import io.hilal.core.error.ValidationException;
import io.hilal.core.reco.ScoredItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImplicitAlsTest {
    private static final int CLUSTERS = 4;
    private static final int USERS_PER_CLUSTER = 30;
    private static final int ITEMS_PER_CLUSTER = 12;

    /** Planted structure: each user buys 6 of their cluster's 12 items, and one stray item. */
    private static final Map<String, Map<String, Double>> HISTORY = plantedClusters();

    private static final AlsParams PARAMS = new AlsParams(4, 20, 1.0, 5.0, 3, 1, 7L);

    private static Map<String, Map<String, Double>> plantedClusters() {
        Random random = new Random(11);
        Map<String, Map<String, Double>> history = new HashMap<>();
        for (int cluster = 0; cluster < CLUSTERS; cluster++) {
            for (int u = 0; u < USERS_PER_CLUSTER; u++) {
                Map<String, Double> items = new HashMap<>();
                List<Integer> own = new ArrayList<>();
                for (int i = 0; i < ITEMS_PER_CLUSTER; i++) {
                    own.add(i);
                }
                java.util.Collections.shuffle(own, random);
                for (int i = 0; i < 6; i++) {
                    items.put(item(cluster, own.get(i)), 1.0 + random.nextInt(3));
                }
                int stray = (cluster + 1 + random.nextInt(CLUSTERS - 1)) % CLUSTERS;
                items.put(item(stray, random.nextInt(ITEMS_PER_CLUSTER)), 1.0);
                history.put(user(cluster, u), items);
            }
        }
        return history;
    }

    private static String user(int cluster, int index) {
        return "u" + cluster + "-" + index;
    }

    private static String item(int cluster, int index) {
        return "p" + cluster + "-" + index;
    }

    private static int clusterOf(String id) {
        return id.charAt(1) - '0';
    }

    private static Interactions interactions() {
        Interactions.Builder builder = Interactions.builder();
        HISTORY.forEach((user, items) -> items.forEach((item, w) -> builder.add(user, item, w)));
        return builder.build();
    }

    private static final AlsModel MODEL = ImplicitAls.train(interactions(), PARAMS);

    @Test
    void recommendsEachUsersOwnClustersUnseenItems() {
        int inCluster = 0;
        int total = 0;
        for (String user : HISTORY.keySet()) {
            List<ScoredItem> top = MODEL.recommend(user, 4, HISTORY.get(user).keySet());
            assertThat(top).hasSize(4);
            assertThat(top)
                    .extracting(ScoredItem::productId)
                    .doesNotContainAnyElementsOf(HISTORY.get(user).keySet());
            for (ScoredItem item : top) {
                total++;
                if (clusterOf(item.productId()) == clusterOf(user)) {
                    inCluster++;
                }
            }
        }
        assertThat((double) inCluster / total).isGreaterThan(0.95);
    }

    @Test
    void ranksBestFirst() {
        List<ScoredItem> top = MODEL.recommend(user(0, 0), 10, Set.of());
        for (int i = 1; i < top.size(); i++) {
            assertThat(top.get(i - 1).score()).isGreaterThanOrEqualTo(top.get(i).score());
        }
    }

    @Test
    void similarItemsComeFromTheSameCluster() {
        List<ScoredItem> similar = MODEL.similarItems(item(2, 3), 5);
        assertThat(similar).hasSize(5);
        assertThat(similar).extracting(ScoredItem::productId).doesNotContain(item(2, 3));
        assertThat(similar).allSatisfy(s -> assertThat(clusterOf(s.productId())).isEqualTo(2));
        assertThat(similar.get(0).score()).isLessThanOrEqualTo(1.0001);
    }

    @Test
    void unknownCustomersAndProductsGetNothingRatherThanAnError() {
        assertThat(MODEL.recommend("nobody", 10, Set.of())).isEmpty();
        assertThat(MODEL.similarItems("no-such-product", 10)).isEmpty();
        assertThat(MODEL.userVector("nobody")).isEmpty();
    }

    @Test
    void lossDecreasesAcrossIterations() {
        List<Double> losses = new ArrayList<>();
        ImplicitAls.train(
                interactions(),
                PARAMS.withIterations(10),
                (iteration, progress) -> losses.add(progress.loss()));
        assertThat(losses).hasSize(10);
        for (int i = 1; i < losses.size(); i++) {
            assertThat(losses.get(i)).isLessThanOrEqualTo(losses.get(i - 1) * (1 + 1e-6));
        }
        assertThat(losses.get(9)).isLessThan(losses.get(0) * 0.9);
    }

    @Nested
    class FoldIn {
        @Test
        void foldingInATrainedUsersOwnHistoryGivesNearlyTheirTrainedVector() {
            String user = user(1, 4);
            float[] trained = MODEL.userVector(user).orElseThrow();
            float[] folded = MODEL.foldIn(HISTORY.get(user));
            assertThat(cosine(trained, folded)).isGreaterThan(0.99);
            Set<String> seen = HISTORY.get(user).keySet();
            assertThat(ids(MODEL.recommend(folded, 5, seen)))
                    .containsExactlyElementsOf(ids(MODEL.recommend(user, 5, seen)));
        }

        @Test
        void anUnknownCustomerWithAFewEventsGetsTheirClustersItems() {
            Map<String, Double> events = Map.of(item(3, 0), 1.0, item(3, 1), 2.0);
            List<ScoredItem> top = MODEL.recommend(MODEL.foldIn(events), 5, events.keySet());
            assertThat(top).hasSize(5);
            assertThat(top).allSatisfy(s -> assertThat(clusterOf(s.productId())).isEqualTo(3));
        }

        @Test
        void aNewestEventChangesTheRankingAtOnce() {
            String user = user(0, 1);
            Map<String, Double> history = new HashMap<>(HISTORY.get(user));
            for (int i = 0; i < 6; i++) {
                history.merge(item(2, i), 3.0, Double::sum);
            }
            List<ScoredItem> before = MODEL.recommend(user, 10, Set.of());
            List<ScoredItem> after = MODEL.recommend(MODEL.foldIn(history), 10, Set.of());
            long cluster2Before =
                    before.stream().filter(s -> clusterOf(s.productId()) == 2).count();
            long cluster2After = after.stream().filter(s -> clusterOf(s.productId()) == 2).count();
            assertThat(cluster2After).isGreaterThan(cluster2Before + 2);
        }

        @Test
        void unknownProductsAreIgnoredAndBadWeightsRejected() {
            assertThat(MODEL.foldIn(Map.of("no-such-product", 1.0))).containsOnly(0f);
            assertThatThrownBy(() -> MODEL.foldIn(Map.of(item(0, 0), -1.0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive");
        }
    }

    @Nested
    class ScaledRegularization {
        private final AlsParams scaled =
                PARAMS.withRegularization(0.05).withScaledRegularization(true);
        private final AlsModel model = ImplicitAls.train(interactions(), scaled);

        @Test
        void stillRecoversTheClustersAndItsLossDecreases() {
            List<Double> losses = new ArrayList<>();
            ImplicitAls.train(
                    interactions(),
                    scaled.withIterations(8),
                    (iteration, progress) -> losses.add(progress.loss()));
            for (int i = 1; i < losses.size(); i++) {
                assertThat(losses.get(i)).isLessThanOrEqualTo(losses.get(i - 1) * (1 + 1e-6));
            }
            List<ScoredItem> top = model.recommend(user(3, 3), 3, HISTORY.get(user(3, 3)).keySet());
            assertThat(top).allSatisfy(s -> assertThat(clusterOf(s.productId())).isEqualTo(3));
        }

        @Test
        void foldInScalesLambdaTheSameWayAsTraining() {
            String user = user(2, 5);
            float[] folded = model.foldIn(HISTORY.get(user));
            assertThat(cosine(model.userVector(user).orElseThrow(), folded)).isGreaterThan(0.99);
        }

        @Test
        void theArtifactKeepsTheFlag() {
            AlsModel copy = AlsModel.fromBytes(model.toBytes());
            assertThat(copy.scaledRegularization()).isTrue();
            assertThat(MODEL.scaledRegularization()).isFalse();
            assertThat(copy.foldIn(HISTORY.get(user(0, 0))))
                    .isEqualTo(model.foldIn(HISTORY.get(user(0, 0))));
        }
    }

    @Nested
    class FrequencyScaledIals {
        // Rendle et al.'s objective; many CG steps so training reaches the exact row solutions
        // that fold-in computes.
        private final AlsParams ials =
                PARAMS.withRegularization(0.003).withUnobservedWeight(0.1).withCgSteps(8);
        private final AlsModel model = ImplicitAls.train(interactions(), ials);

        @Test
        void recoversTheClustersAndItsLossDecreases() {
            List<Double> losses = new ArrayList<>();
            ImplicitAls.train(
                    interactions(),
                    ials.withIterations(8),
                    (iteration, progress) -> losses.add(progress.loss()));
            for (int i = 1; i < losses.size(); i++) {
                assertThat(losses.get(i)).isLessThanOrEqualTo(losses.get(i - 1) * (1 + 1e-6));
            }
            assertThat(losses.get(7)).isLessThan(losses.get(0) * 0.9);
            for (int cluster = 0; cluster < CLUSTERS; cluster++) {
                String user = user(cluster, 7);
                int own = cluster;
                assertThat(model.recommend(user, 3, HISTORY.get(user).keySet()))
                        .allSatisfy(s -> assertThat(clusterOf(s.productId())).isEqualTo(own));
            }
        }

        @Test
        void isADifferentModelThanTheConfidenceObjective() {
            AlsModel confidence = ImplicitAls.train(interactions(), ials.withUnobservedWeight(0));
            assertThat(model.userVector(user(0, 0)).orElseThrow())
                    .isNotEqualTo(confidence.userVector(user(0, 0)).orElseThrow());
            assertThat(model.unobservedWeight()).isEqualTo(0.1);
            assertThat(confidence.unobservedWeight()).isZero();
        }

        @Test
        void foldInSolvesTheSameObjectiveAsTraining() {
            for (String user : List.of(user(0, 2), user(3, 9))) {
                float[] folded = model.foldIn(HISTORY.get(user));
                assertThat(cosine(model.userVector(user).orElseThrow(), folded))
                        .isGreaterThan(0.99);
            }
        }

        @Test
        void theArtifactKeepsAlpha0AndAConfidenceModelsArtifactIsUnchanged() {
            AlsModel copy = AlsModel.fromBytes(model.toBytes());
            assertThat(copy.unobservedWeight()).isEqualTo(0.1);
            assertThat(copy.foldIn(HISTORY.get(user(1, 1))))
                    .isEqualTo(model.foldIn(HISTORY.get(user(1, 1))));
            assertThat(model.toBytes().length).isEqualTo(MODEL.toBytes().length + 8);
            assertThat(java.util.Arrays.copyOfRange(MODEL.toBytes(), 4, 8))
                    .containsExactly(0, 0, 0, 1);
        }
    }

    @Test
    void serializationRoundTrips() {
        byte[] bytes = MODEL.toBytes();
        AlsModel copy = AlsModel.fromBytes(bytes);
        assertThat(copy.userIds()).isEqualTo(MODEL.userIds());
        assertThat(copy.itemIds()).isEqualTo(MODEL.itemIds());
        assertThat(copy.factors()).isEqualTo(MODEL.factors());
        assertThat(copy.regularization()).isEqualTo(MODEL.regularization());
        assertThat(copy.alpha()).isEqualTo(MODEL.alpha());
        for (String user : MODEL.userIds()) {
            assertThat(copy.userVector(user).orElseThrow())
                    .isEqualTo(MODEL.userVector(user).orElseThrow());
        }
        assertThat(copy.recommend(user(2, 2), 10, Set.of()))
                .isEqualTo(MODEL.recommend(user(2, 2), 10, Set.of()));
        int vectorBytes = 4 * MODEL.factors() * (MODEL.userIds().size() + MODEL.itemIds().size());
        assertThat(bytes.length).isBetween(vectorBytes, vectorBytes + 2000);
        assertThat(MODEL.memoryBytes()).isGreaterThan(vectorBytes);
    }

    @Test
    void corruptArtifactsAreRejected() {
        byte[] bytes = MODEL.toBytes();
        assertThatThrownBy(() -> AlsModel.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ALS model");
        assertThatThrownBy(() -> AlsModel.fromBytes(java.util.Arrays.copyOf(bytes, 100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> AlsModel.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void multiThreadedAndSingleThreadedRunsWithTheSameSeedAgree() {
        AlsModel single = ImplicitAls.train(interactions(), PARAMS.withThreads(1));
        AlsModel parallel = ImplicitAls.train(interactions(), PARAMS.withThreads(3));
        for (String user : single.userIds()) {
            float[] a = single.userVector(user).orElseThrow();
            float[] b = parallel.userVector(user).orElseThrow();
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).isCloseTo(a[i], within(1e-5f));
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentFactorsButTheSameStructure() {
        AlsModel other = ImplicitAls.train(interactions(), PARAMS.withSeed(99));
        assertThat(other.userVector(user(0, 0)).orElseThrow())
                .isNotEqualTo(MODEL.userVector(user(0, 0)).orElseThrow());
        assertThat(other.similarItems(item(1, 1), 3))
                .allSatisfy(s -> assertThat(clusterOf(s.productId())).isEqualTo(1));
    }

    @Nested
    class Parameters {
        static Stream<Arguments> badParameters() {
            AlsParams ok = AlsParams.defaults();
            return Stream.of(
                    Arguments.of((Supplier<AlsParams>) () -> ok.withFactors(0), "factors"),
                    Arguments.of((Supplier<AlsParams>) () -> ok.withFactors(5000), "factors"),
                    Arguments.of((Supplier<AlsParams>) () -> ok.withIterations(0), "iterations"),
                    Arguments.of(
                            (Supplier<AlsParams>) () -> ok.withRegularization(0), "regularization"),
                    Arguments.of(
                            (Supplier<AlsParams>) () -> ok.withRegularization(Double.NaN),
                            "regularization"),
                    Arguments.of((Supplier<AlsParams>) () -> ok.withAlpha(-1), "alpha"),
                    Arguments.of(
                            (Supplier<AlsParams>) () -> ok.withAlpha(Double.POSITIVE_INFINITY),
                            "alpha"),
                    Arguments.of((Supplier<AlsParams>) () -> ok.withCgSteps(0), "cgSteps"),
                    Arguments.of((Supplier<AlsParams>) () -> ok.withThreads(0), "threads"),
                    Arguments.of(
                            (Supplier<AlsParams>) () -> ok.withUnobservedWeight(-0.1),
                            "unobservedWeight"),
                    Arguments.of(
                            (Supplier<AlsParams>) () -> ok.withUnobservedWeight(Double.NaN),
                            "unobservedWeight"));
        }

        @ParameterizedTest
        @MethodSource("badParameters")
        void rejectsABadParameterNamingIt(Supplier<AlsParams> params, String field) {
            assertThatThrownBy(params::get)
                    .isInstanceOfSatisfying(
                            ValidationException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo("validation_failed");
                                assertThat(e.errors())
                                        .extracting(FieldError::field)
                                        .containsExactly(field);
                            });
        }

        @Test
        void namesEveryBadParameterAtOnce() {
            assertThatThrownBy(() -> new AlsParams(0, 0, -1, 0, 0, 0, 1))
                    .isInstanceOfSatisfying(
                            ValidationException.class,
                            e ->
                                    assertThat(e.errors())
                                            .extracting(FieldError::field)
                                            .containsExactly(
                                                    "factors",
                                                    "iterations",
                                                    "regularization",
                                                    "alpha",
                                                    "cgSteps",
                                                    "threads"));
        }

        @Test
        void rejectsEmptyDataAndBadK() {
            assertThatThrownBy(() -> ImplicitAls.train(Interactions.builder().build(), PARAMS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no interactions");
            assertThatThrownBy(() -> MODEL.recommend(user(0, 0), -1, Set.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(MODEL.recommend(user(0, 0), 0, Set.of())).isEmpty();
            assertThat(MODEL.recommend(user(0, 0), 10_000, Set.of()))
                    .hasSize(CLUSTERS * ITEMS_PER_CLUSTER);
        }
    }

    private static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::productId).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
