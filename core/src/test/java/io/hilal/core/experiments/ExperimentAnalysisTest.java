package io.hilal.core.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.lift.ConfidenceSequence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExperimentAnalysisTest {
    static Experiment experiment(String mode) {
        return new Experiment(
                "exp_1",
                "test",
                mode,
                new Experiment.Arm("als", 3),
                new Experiment.Arm("ease", 4),
                1000,
                Experiment.RUNNING,
                Instant.EPOCH,
                null);
    }

    /** {@code n} customers of an arm, {@code clickers} of whom clicked once and ordered once. */
    static List<ImpressionDao.CustomerCounts> arm(String arm, int n, int clickers) {
        List<ImpressionDao.CustomerCounts> customers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean clicked = i < clickers;
            customers.add(
                    new ImpressionDao.CustomerCounts(
                            arm, arm + i, 2, clicked ? 1 : 0, clicked ? 1 : 0, 0, 0));
        }
        return customers;
    }

    @ParameterizedTest(name = "A {0}/{1}, B {2}/{3}: {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "500 | 100 | 500 | 160 | B (ease v4) raised click-through over A (als v3)",
                "500 | 160 | 500 | 100 | B (ease v4) lowered click-through against A (als v3)",
                "500 | 100 | 500 | 110 | No clear difference in click-through",
                "1   | 1   | 500 | 110 | Not enough data yet",
            })
    void saysWhatTheSplitShows(int nA, int clickA, int nB, int clickB, String verdict) {
        List<ImpressionDao.CustomerCounts> counts = new ArrayList<>(arm("A", nA, clickA));
        counts.addAll(arm("B", nB, clickB));

        ExperimentReport report = ExperimentAnalysis.analyse(experiment("split"), counts);

        assertThat(report.verdict()).startsWith(verdict);
        assertThat(report.arms().get(0).customers()).isEqualTo(nA);
        assertThat(report.arms().get(1).impressions()).isEqualTo(2L * nB);
    }

    @Test
    void theClickThroughIntervalIsTheAlwaysValidSequenceOfCampaignLift() {
        List<ImpressionDao.CustomerCounts> counts = new ArrayList<>(arm("A", 400, 80));
        counts.addAll(arm("B", 600, 150));

        ExperimentReport.Comparison clickThrough =
                ExperimentAnalysis.analyse(experiment("split"), counts).clickThrough();

        double pA = 0.2;
        double pB = 0.25;
        double se = Math.sqrt(pA * (1 - pA) / 400 + pB * (1 - pB) / 600);
        double m = ConfidenceSequence.multiplier(1000, 1000, 0.05);
        assertThat(clickThrough.difference()).isCloseTo(0.05, within(1e-12));
        assertThat(clickThrough.low()).isCloseTo(0.05 - m * se, within(1e-12));
        assertThat(clickThrough.high()).isCloseTo(0.05 + m * se, within(1e-12));
        // Wider than the fixed-horizon 1.96 standard errors: the price of looking any time.
        assertThat(m).isGreaterThan(1.96);
    }

    @Test
    void interleavingReportsThePreferenceOfCustomersWhoClicked() {
        List<ImpressionDao.CustomerCounts> counts = new ArrayList<>();
        Map<String, Integer> votes = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            // Two in three clickers click B's product; the rest do not click.
            long b = i % 3 == 0 ? 0 : 1;
            long a = 1 - b;
            boolean clicked = i < 200;
            counts.add(
                    new ImpressionDao.CustomerCounts(
                            "I", "c" + i, 1, clicked ? 1 : 0, 0, clicked ? a : 0, clicked ? b : 0));
            votes.merge(clicked ? (b == 1 ? "B" : "A") : "none", 1, Integer::sum);
        }

        ExperimentReport report = ExperimentAnalysis.analyse(experiment("interleave"), counts);

        assertThat(report.preference().customers()).isEqualTo(200);
        assertThat(report.preference().difference())
                .isCloseTo((votes.get("B") - votes.get("A")) / 200.0, within(1e-12));
        assertThat(report.preference().low()).isGreaterThan(0);
        assertThat(report.arms().get(1).clicks()).isEqualTo((long) votes.get("B"));
        assertThat(report.verdict()).startsWith("Customers prefer B (ease v4)");
    }

    @Test
    void aSplitComparesEveryOrderAfterExposureAndSaysHowManyNamedAnImpression() {
        List<ImpressionDao.CustomerCounts> counts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // A's customers order once, B's twice; one order in four names an impression.
            counts.add(
                    new ImpressionDao.CustomerCounts("A", "a" + i, 1, 0, i % 4 == 0 ? 1 : 0, 0, 0)
                            .withOrders(1, 0, 0));
            counts.add(
                    new ImpressionDao.CustomerCounts("B", "b" + i, 1, 0, i % 4 == 0 ? 1 : 0, 0, 0)
                            .withOrders(2, 0, 0));
        }

        ExperimentReport report = ExperimentAnalysis.analyse(experiment("split"), counts);

        assertThat(report.arms().get(0).orders()).isEqualTo(200);
        assertThat(report.arms().get(1).orders()).isEqualTo(400);
        assertThat(report.arms().get(1).attributedOrders()).isEqualTo(50);
        assertThat(report.arms().get(1).ordersPerCustomer()).isEqualTo(2.0);
        assertThat(report.ordersPerCustomer().difference()).isEqualTo(1.0);
        assertThat(report.verdict()).contains("Orders per customer rose by 1.000");
    }

    @Test
    void interleavingReportsTheOrdersCreditedToEachTeamAndTheirPreference() {
        List<ImpressionDao.CustomerCounts> counts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // Every customer clicks B's product; two in three order one of B's, the rest A's.
            long orderB = i % 3 == 0 ? 0 : 1;
            counts.add(
                    new ImpressionDao.CustomerCounts("I", "c" + i, 1, 1, 0, 0, 1)
                            .withOrders(1, 1 - orderB, orderB));
        }

        ExperimentReport report = ExperimentAnalysis.analyse(experiment("interleave"), counts);

        assertThat(report.arms().get(0).orders()).isEqualTo(100);
        assertThat(report.arms().get(1).orders()).isEqualTo(200);
        assertThat(report.arms().get(1).ordersPerCustomer()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(report.orderPreference().customers()).isEqualTo(300);
        assertThat(report.orderPreference().difference()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(report.orderPreference().low()).isGreaterThan(0);
        assertThat(report.verdict()).contains("Their orders favour B too");
    }
}
