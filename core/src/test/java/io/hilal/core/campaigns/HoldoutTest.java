package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HoldoutTest {
    @Test
    void assignsTheSameCustomerTheSameWayEveryTime() {
        Holdout holdout = new Holdout("campaign-salt-1", 0.1);
        for (int i = 0; i < 1000; i++) {
            assertThat(holdout.heldOut("c-" + i)).isEqualTo(holdout.heldOut("c-" + i));
        }
    }

    @Test
    void holdsOutCloseToTheShareAndSplitsCampaignsIndependently() {
        Holdout first = new Holdout("salt-a", 0.1);
        Holdout second = new Holdout("salt-b", 0.1);
        int n = 100_000;
        int heldFirst = 0;
        int heldBoth = 0;
        for (int i = 0; i < n; i++) {
            boolean a = first.heldOut("customer-" + i);
            heldFirst += a ? 1 : 0;
            heldBoth += a && second.heldOut("customer-" + i) ? 1 : 0;
        }
        // Binomial(100000, 0.1): sd ≈ 95, so ±500 is over 5 sd.
        assertThat(heldFirst).isBetween(9_500, 10_500);
        // Independent splits: about 1% are held out of both.
        assertThat(heldBoth).isBetween(800, 1_200);
    }

    @Test
    void refusesSharesOutsideZeroToHalf() {
        assertThatThrownBy(() -> new Holdout("s", 0.6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Holdout("s", -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
