package io.hilal.core.reco.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InteractionsTest {
    @Test
    void sumsRepeatedPairsAndSortsIdsWhateverTheInputOrder() {
        Interactions data =
                Interactions.builder()
                        .add("c2", "p9", 1)
                        .add("c1", "p3", 2)
                        .add("c2", "p3", 1)
                        .add("c2", "p9", 2.5)
                        .build();
        assertThat(data.userIds()).containsExactly("c1", "c2");
        assertThat(data.itemIds()).containsExactly("p3", "p9");
        assertThat(data.size()).isEqualTo(3);
        // By customer: c1 → p3 (2); c2 → p3 (1), p9 (3.5).
        assertThat(data.userPointers()).containsExactly(0, 1, 3);
        assertThat(data.userItems()).containsExactly(0, 0, 1);
        assertThat(data.userWeights()).containsExactly(2f, 1f, 3.5f);
        // By product: p3 → c1 (2), c2 (1); p9 → c2 (3.5).
        assertThat(data.itemPointers()).containsExactly(0, 2, 3);
        assertThat(data.itemUsers()).containsExactly(0, 1, 1);
        assertThat(data.itemWeights()).containsExactly(2f, 1f, 3.5f);
    }

    @Test
    void rejectsNonPositiveOrMissingWeightsAndIds() {
        Interactions.Builder builder = Interactions.builder();
        assertThatThrownBy(() -> builder.add("c", "p", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.add("c", "p", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.add(null, "p", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(builder.build().size()).isZero();
    }
}
