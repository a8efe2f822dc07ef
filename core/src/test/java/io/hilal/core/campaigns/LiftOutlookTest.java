package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.lift.LiftVerdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiftOutlookTest {
    @ParameterizedTest(name = "{0} customers, {1} held out, baseline {2}: answer {3}, suggest {4}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                // audience, holdout, baseline, can answer, suggested share
                "2000, 200, 0.10, true, NULL",
                // 10% of 800 is 80 < 100 held out: 13% (104) is the smallest share that reaches.
                "800, 80, 0.20, false, 0.13",
                // Enough customers, too few buyers: 100 * 0.05 = 5 < 10; 200 are needed (10%).
                "2000, 100, 0.05, false, 0.10",
                // 150 customers cannot give two groups of 100.
                "150, 30, 0.50, false, NULL",
                // No recent buyers: no share helps.
                "5000, 500, 0.0, false, NULL",
            })
    void saysWhetherTheLiftReportCanEverAnswerAndSuggestsTheSmallestShareThatWould(
            int audience, int holdout, double baseline, boolean canAnswer, Double suggested) {
        LiftOutlook outlook =
                LiftOutlook.of(audience, holdout, baseline, LiftOutlook.Thresholds.DEFAULT);
        assertThat(outlook.canAnswer()).isEqualTo(canAnswer);
        assertThat(outlook.suggestedHoldoutShare()).isEqualTo(suggested);
        assertThat(outlook.note()).contains(canAnswer ? "can give an answer" : "never");
        // Only when no holdout share can answer does it point to the program holdout.
        assertThat(outlook.note().endsWith(LiftVerdict.programInstead()))
                .isEqualTo(!canAnswer && suggested == null);
    }
}
