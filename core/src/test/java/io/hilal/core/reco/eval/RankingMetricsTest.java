package io.hilal.core.reco.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    @Test
    void computesRecallNdcgAndCoverageByHand() {
        RankingMetrics metrics = new RankingMetrics(3);
        // Hits at ranks 1 and 3 of 2 relevant: recall 1, DCG 1 + 1/log2(4) = 1.5, ideal 1 +
        // 1/log2(3).
        metrics.add(List.of("a", "x", "b", "c"), Set.of("a", "b"));
        // No hit among 1 relevant: recall 0, NDCG 0.
        metrics.add(List.of("x", "y", "z"), Set.of("q"));
        // Customers with nothing relevant do not count.
        metrics.add(List.of("a"), Set.of());

        assertThat(metrics.users()).isEqualTo(2);
        assertThat(metrics.recall()).isCloseTo(0.5, within(1e-12));
        double ideal = 1 + 1 / (Math.log(3) / Math.log(2));
        assertThat(metrics.ndcg()).isCloseTo(1.5 / ideal / 2, within(1e-12));
        assertThat(metrics.coverage(10)).isCloseTo(5 / 10.0, within(1e-12));
    }
}
