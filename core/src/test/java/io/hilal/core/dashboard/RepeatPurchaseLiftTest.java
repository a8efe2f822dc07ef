package io.hilal.core.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hilal.core.dashboard.DashboardQueries.Exposure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatPurchaseLiftTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant SENT = NOW.minus(Duration.ofDays(40));

    private static Exposure buyer(boolean heldOut, Duration after) {
        return new Exposure(heldOut, SENT, SENT.plus(after));
    }

    private static Exposure nonBuyer(boolean heldOut) {
        return new Exposure(heldOut, SENT, null);
    }

    @Test
    void comparesTheShareOfEachGroupThatBoughtAgainWithinTheWindow() {
        List<Exposure> exposures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            exposures.add(i < 20 ? buyer(false, Duration.ofDays(2)) : nonBuyer(false));
            exposures.add(i < 8 ? buyer(true, Duration.ofDays(5)) : nonBuyer(true));
        }

        RepeatPurchaseLift.Result result = RepeatPurchaseLift.measure(exposures, 30, NOW);

        assertThat(result.treatedN()).isEqualTo(40);
        assertThat(result.holdoutN()).isEqualTo(40);
        assertThat(result.estimate().difference()).isCloseTo(0.30, within(1e-12));
        // Wald: 1.959964 × sqrt(0.5·0.5/40 + 0.2·0.8/40) = 0.198431
        assertThat(result.estimate().low()).isCloseTo(0.30 - 0.198431, within(1e-6));
        assertThat(result.treated()).hasSize(31);
        assertThat(result.treated().get(1).rate()).isZero();
        assertThat(result.treated().get(2).rate()).isEqualTo(0.5);
        assertThat(result.holdout().get(4).rate()).isZero();
        assertThat(result.holdout().get(5).rate()).isEqualTo(0.2);
        assertThat(result.holdout().get(30).low()).isLessThan(0.2);
        assertThat(result.holdout().get(30).high()).isGreaterThan(0.2);
    }

    @Test
    void purchasesAfterTheWindowDoNotCount() {
        List<Exposure> exposures =
                List.of(
                        buyer(false, Duration.ofDays(30)),
                        buyer(false, Duration.ofDays(30).plusMillis(1)),
                        nonBuyer(true),
                        nonBuyer(true));

        RepeatPurchaseLift.Result result = RepeatPurchaseLift.measure(exposures, 30, NOW);

        assertThat(result.treatedBuyers()).isEqualTo(1);
    }

    @Test
    void sendsYoungerThanTheWindowAreLeftOutSoBothGroupsHadTheSameTime() {
        Instant recent = NOW.minus(Duration.ofDays(10));
        List<Exposure> exposures =
                List.of(
                        new Exposure(false, recent, null),
                        new Exposure(true, recent, recent.plus(Duration.ofDays(1))));

        RepeatPurchaseLift.Result result = RepeatPurchaseLift.measure(exposures, 30, NOW);

        assertThat(result.enoughData()).isFalse();
        assertThat(result.treatedN()).isZero();
        assertThat(result.holdoutN()).isZero();
        assertThat(result.treated()).isEmpty();
    }

    @Test
    void aGroupOfOneIsNotEnoughData() {
        RepeatPurchaseLift.Result result =
                RepeatPurchaseLift.measure(
                        List.of(nonBuyer(false), nonBuyer(false), nonBuyer(true)), 30, NOW);

        assertThat(result.enoughData()).isFalse();
        assertThat(result.treatedN()).isEqualTo(2);
        assertThat(result.minimumDetectableEffect()).isNaN();
    }
}
