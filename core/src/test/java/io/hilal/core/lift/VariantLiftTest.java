package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VariantLiftTest {
    private static final LiftAnalysis.Settings SETTINGS = LiftAnalysis.Settings.defaults();
    private static final Look FIXED = Look.fixedHorizon(0.95);

    @Test
    void withEvenSharesItIsTheVariantsRateAgainstTheHoldouts() {
        // 400 treated: 200 got variant 0 (30 bought), 200 variant 1 (60 bought); 200 held out
        // (20 bought).
        int n = 600;
        boolean[] buyer = new boolean[n];
        boolean[] heldOut = new boolean[n];
        int[] variant = new int[n];
        double[] share = new double[n];
        for (int i = 0; i < n; i++) {
            heldOut[i] = i >= 400;
            variant[i] = heldOut[i] ? -1 : i % 2;
            share[i] = 0.5;
            int rank = i / 2;
            buyer[i] = heldOut[i] ? i < 420 : variant[i] == 0 ? rank < 30 : rank < 60;
        }
        VariantLift.Result first =
                VariantLift.estimate(buyer, heldOut, variant, share, 0, SETTINGS, FIXED);
        VariantLift.Result second =
                VariantLift.estimate(buyer, heldOut, variant, share, 1, SETTINGS, FIXED);
        assertThat(first.sends()).isEqualTo(200);
        assertThat(first.buyers()).isEqualTo(30);
        assertThat(first.estimate().treated()).isCloseTo(0.15, within(1e-12));
        assertThat(first.estimate().holdout()).isCloseTo(0.10, within(1e-12));
        assertThat(second.estimate().difference()).isCloseTo(0.20, within(1e-12));
        // Hájek's linearized variance at equal weights is the plain binomial one.
        double se = Math.sqrt(0.3 * 0.7 / 200 + 0.1 * 0.9 / 200);
        assertThat(second.estimate().high() - second.estimate().difference())
                .isCloseTo(1.959964 * se, within(1e-5));
        assertThat(second.estimate().significant()).isTrue();
    }

    @Test
    void treatedCustomersNeverSentCountAsTheyAre() {
        // 100 treated never reached the choice (none bought); 200 got variant 0 at share 1.
        int n = 500;
        boolean[] buyer = new boolean[n];
        boolean[] heldOut = new boolean[n];
        int[] variant = new int[n];
        double[] share = new double[n];
        for (int i = 0; i < n; i++) {
            heldOut[i] = i >= 300;
            variant[i] = heldOut[i] || i < 100 ? -1 : 0;
            share[i] = 1;
            buyer[i] = (i >= 100 && i < 160) || (i >= 300 && i < 330);
        }
        VariantLift.Result lift =
                VariantLift.estimate(buyer, heldOut, variant, share, 0, SETTINGS, FIXED);
        assertThat(lift.estimate().treated()).isCloseTo(60.0 / 300, within(1e-12));
    }

    @Test
    void weighsBySharesSoAnAdaptiveAllocationStaysUnbiased() {
        // Variant 0 doubles the buy rate of "returning" customers only; the allocation sent it
        // mostly to them (share 0.9) and rarely to "new" ones (0.1). Unweighted, its customers
        // look far better than "everyone sent variant 0" would be.
        SplittableRandom random = new SplittableRandom(5);
        int n = 200_000;
        boolean[] buyer = new boolean[n];
        boolean[] heldOut = new boolean[n];
        int[] variant = new int[n];
        double[] share = new double[n];
        for (int i = 0; i < n; i++) {
            boolean returning = random.nextDouble() < 0.5;
            double base = returning ? 0.2 : 0.05;
            heldOut[i] = random.nextDouble() < 0.2;
            if (heldOut[i]) {
                variant[i] = -1;
                buyer[i] = random.nextDouble() < base;
                continue;
            }
            double p0 = returning ? 0.9 : 0.1;
            variant[i] = random.nextDouble() < p0 ? 0 : 1;
            share[i] = variant[i] == 0 ? p0 : 1 - p0;
            double rate = variant[i] == 0 && returning ? 2 * base : base;
            buyer[i] = random.nextDouble() < rate;
        }
        VariantLift.Result lift =
                VariantLift.estimate(buyer, heldOut, variant, share, 0, SETTINGS, FIXED);
        // Everyone sent variant 0: 0.5 × 0.4 + 0.5 × 0.05 = 0.225 against 0.125: +0.10.
        assertThat(lift.estimate().covers(0.10)).isTrue();
        assertThat(lift.estimate().difference()).isCloseTo(0.10, within(0.01));
    }

    @Test
    void saysWhenThereIsNotEnoughData() {
        boolean[] buyer = new boolean[20];
        boolean[] heldOut = new boolean[20];
        int[] variant = new int[20];
        double[] share = new double[20];
        java.util.Arrays.fill(share, 0.5);
        for (int i = 10; i < 20; i++) {
            heldOut[i] = true;
            variant[i] = -1;
        }
        VariantLift.Result lift =
                VariantLift.estimate(buyer, heldOut, variant, share, 0, SETTINGS, FIXED);
        assertThat(lift.enoughData()).isFalse();
        assertThat(lift.notEnoughData()).contains("100 customers");
    }
}
