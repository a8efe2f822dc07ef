package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopKTest {

    /** k, the scores of items 0, 1, 2, … in arrival order, and the items kept, best first. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("k = 0 keeps nothing", 0, new float[] {3, 1, 2}, new int[] {}),
                Arguments.of("nothing offered", 3, new float[] {}, new int[] {}),
                Arguments.of(
                        "k > n keeps all, best first",
                        5,
                        new float[] {1, 3, 2},
                        new int[] {1, 2, 0}),
                Arguments.of("k = n", 3, new float[] {2, 1, 3}, new int[] {2, 0, 1}),
                Arguments.of("keeps the best k", 2, new float[] {1, 5, 3, 4, 2}, new int[] {1, 3}),
                Arguments.of(
                        "ties go to the lower item", 2, new float[] {1, 1, 1, 1}, new int[] {0, 1}),
                Arguments.of(
                        "a tie with the worst kept does not displace it",
                        2,
                        new float[] {5, 3, 3},
                        new int[] {0, 1}),
                Arguments.of(
                        "ties rank by item inside the result",
                        4,
                        new float[] {2, 7, 2, 7, 2},
                        new int[] {1, 3, 0, 2}),
                Arguments.of("negative scores", 2, new float[] {-3, -1, -2}, new int[] {1, 2}),
                Arguments.of("best last", 1, new float[] {1, 2, 3, 4, 5, 6}, new int[] {5}),
                Arguments.of("best first", 1, new float[] {6, 5, 4, 3, 2, 1}, new int[] {0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsTheBestKBestFirst(String name, int k, float[] scores, int[] expected) {
        TopK top = new TopK(k);
        for (int item = 0; item < scores.length; item++) {
            top.offer(item, scores[item]);
        }
        assertThat(top.size()).isEqualTo(expected.length);
        int[] items = new int[k];
        float[] kept = new float[k];
        int count = top.drain(items, kept);
        assertThat(Arrays.copyOf(items, count)).containsExactly(expected);
        for (int i = 0; i < count; i++) {
            assertThat(kept[i]).isEqualTo(scores[items[i]]);
        }
        assertThat(top.size()).isZero();
    }

    @Test
    void agreesWithAFullSortWhateverTheArrivalOrder() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(60);
            int k = random.nextInt(70);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(10); // many ties
            }
            List<Integer> arrival = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                arrival.add(i);
            }
            Collections.shuffle(arrival, random);
            TopK top = new TopK(k);
            for (int item : arrival) {
                top.offer(item, scores[item]);
            }
            int[] items = new int[k];
            int count = top.drain(items, new float[k]);
            int[] sorted =
                    arrival.stream()
                            .sorted(
                                    (a, b) ->
                                            scores[a] != scores[b]
                                                    ? Float.compare(scores[b], scores[a])
                                                    : Integer.compare(a, b))
                            .limit(k)
                            .mapToInt(Integer::intValue)
                            .toArray();
            assertThat(Arrays.copyOf(items, count)).containsExactly(sorted);
        }
    }

    @Test
    void refusesANegativeK() {
        assertThatThrownBy(() -> new TopK(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
