package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestockPolicyTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @ParameterizedTest(name = "gap {0} d, bought {1} d ago, confidence {2}: shown {3}")
    @CsvSource({
        // the case: about every 19 days, last bought yesterday
        "19, 1, 0.9, false",
        "19, 15, 0.9, false", // 79% of the gap: not yet
        "19, 15.3, 0.9, true", // past 80%: nearly due
        "30, 24, 0.5, true",
        "30, 30, 0.5, true", // due today
        "30, 51, 0.5, true", // three weeks overdue: still worth a nudge
        "30, 52, 0.5, false", // longer: they moved on
        "30, 30, 0.1, false", // a guess, not a rhythm
        "NaN, 30, 0.9, false", // a one-off product
    })
    void showsOnlyWhatIsDueOrNearlyDue(
            double gapDays, double daysAgo, double confidence, boolean shown) {
        OptionalDouble score = RestockPolicy.score(timing(gapDays, daysAgo, confidence), NOW);

        assertThat(score.isPresent()).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource({"30, 30, 25", "30, 30, 45"})
    void scoresTheDueDateHighestWithinTheWindow(double gapDays, double dueAgo, double otherAgo) {
        double due = RestockPolicy.score(timing(gapDays, dueAgo, 0.5), NOW).getAsDouble();
        double other = RestockPolicy.score(timing(gapDays, otherAgo, 0.5), NOW).getAsDouble();

        assertThat(due).isEqualTo(0.5);
        assertThat(other).isLessThan(due).isGreaterThanOrEqualTo(0.25);
    }

    private static RecommendationModel.Timing timing(
            double gapDays, double daysAgo, double confidence) {
        return new RecommendationModel.Timing(
                "dates",
                NOW.minus(Duration.ofMinutes(Math.round(daysAgo * 24 * 60))),
                3,
                gapDays,
                confidence);
    }
}
