package io.hilal.core.lift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The verdict's words follow the interval the report shows, and name the look. */
class LiftVerdictTest {
    private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");

    @ParameterizedTest(name = "[{0}, {1}] at {2} day {3}: {6}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.01|0.05|INTERIM|12|0.5|0.5|The campaign raised repeat purchases: the 99% always-valid interval (+1.0 to +5.0 pp) lies above zero. Interim look, day 12 of 30: the interval stays valid however often you look.",
                "-0.04|-0.001|INTERIM|3|0.5|0.5|The campaign lowered repeat purchases: the 99% always-valid interval (-4.0 to -0.1 pp) lies below zero. Interim look, day 3 of 30: the interval stays valid however often you look.",
                "-0.01|0.03|INTERIM|29|0.5|0.5|No clear effect on repeat purchases: the 99% always-valid interval (-1.0 to +3.0 pp) includes zero. Interim look, day 29 of 30: the interval stays valid however often you look.",
                "0.002|0.02|FINAL|30|0.04|0.2|The campaign raised repeat purchases: the 96% interval (+0.2 to +2.0 pp) lies above zero. Secondary: orders per customer rose (adjusted p = 0.040). Final report, after every customer's 30-day window closed.",
                "-0.002|0.02|FINAL|30|0.5|0.5|No clear effect on repeat purchases: the 96% interval (-0.2 to +2.0 pp) includes zero. Final report, after every customer's 30-day window closed.",
                "0|0.02|FINAL|30|0.5|0.5|No clear effect on repeat purchases: the 96% interval (+0.0 to +2.0 pp) includes zero. Final report, after every customer's 30-day window closed."
            })
    void saysWhatTheShownIntervalSupports(
            double low,
            double high,
            String look,
            int day,
            double ordersAdjusted,
            double revenueAdjusted,
            String expected) {
        LiftReport report = report(low, high, look, day, ordersAdjusted, revenueAdjusted);
        assertThat(LiftVerdict.of(report)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} day {1}: {2}, {3}")
    @CsvSource(
            delimiter = '|',
            value = {"INTERIM|12|Interim|99% always-valid interval", "FINAL|30|Final|96% interval"})
    void namesTheStatusAndTheIntervalShown(
            String look, int day, String headline, String intervalLabel) {
        LiftReport report = report(0.01, 0.05, look, day, 0.5, 0.5);
        assertThat(LiftVerdict.headline(report)).isEqualTo(headline);
        assertThat(LiftVerdict.intervalLabel(report)).isEqualTo(intervalLabel);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "NOT_ENOUGH_DATA|Not enough data yet. Each arm needs at least 100 customers;"
                        + " treated has 7, holdout 5.",
                "INTERIM|Interim look, day 12 of 30; the window closes at 2026-03-01T00:00:00Z.",
                "FINAL|Final: every customer's window has closed; purchases up to"
                        + " 2026-03-01T00:00:00Z count (recomputed if late ones arrive within 7"
                        + " days)."
            })
    void writesTheStatusDetailOfEachStatus(LiftReport.Status status, String expected) {
        assertThat(
                        LiftVerdict.statusDetail(
                                status,
                                LiftVerdict.tooFewCustomers(100, 7, 5),
                                Look.interim(12, 30, 0.95, 0.01, 1000),
                                AT,
                                AT,
                                7))
                .isEqualTo(expected);
    }

    @Test
    void aReportWithoutNumbersSaysWhyInItsVerdictAndBadge() {
        LiftReport report =
                new LiftReport(
                        "c1",
                        30,
                        AT,
                        LiftReport.Status.NOT_ENOUGH_DATA,
                        "Not enough data yet. " + LiftVerdict.tooFewBuyers(10, 3, 2),
                        new LiftReport.Assignment("", 900, 100, 3, 2, 0, 1, Map.of()),
                        new LiftReport.Window(AT, AT, AT, false, 180, ""),
                        new LiftReport.Peeking(false, true, ""),
                        new LiftReport.SampleRatio(0.1, "", 0.1, 1.0, 0.001, false),
                        0.95,
                        null,
                        null,
                        List.of("USD"),
                        List.of(),
                        null,
                        AT,
                        AT,
                        null);

        assertThat(LiftVerdict.headline(report)).isEqualTo("Not enough data yet");
        assertThat(LiftVerdict.of(report))
                .isEqualTo(
                        "Not enough data yet. Each arm needs at least 10 customers who ordered in"
                                + " the window; treated has 3, holdout 2.");
    }

    @Test
    void theReadmeQuotesTheVerdictsAsTheyAreWritten() throws java.io.IOException {
        String readme =
                java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"))
                        .replaceAll("\\s+", " ");

        assertThat(readme)
                .contains(LiftVerdict.of(report(0.002, 0.02, "FINAL", 30, 0.04, 0.2)))
                .contains(LiftVerdict.of(report(-0.01, 0.03, "INTERIM", 29, 0.5, 0.5)))
                .contains(
                        LiftVerdict.statusDetail(
                                LiftReport.Status.NOT_ENOUGH_DATA,
                                LiftVerdict.tooFewCustomers(100, 7, 5),
                                null,
                                AT,
                                AT,
                                7))
                .contains(LiftVerdict.notEnoughData("", 100, 5, false).strip())
                .contains(
                        LiftVerdict.programNotEnoughData(
                                LiftVerdict.programTooFew(100, 10, 40, 8, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "too few held out|40|8|0|0|Each group needs at least 100 customers; may be"
                        + " emailed has 40, program holdout 8.",
                "too few may be emailed|99|120|50|50|Each group needs at least 100 customers;"
                        + " may be emailed has 99, program holdout 120.",
                "too few buyers|400|100|30|9|Each group needs at least 10 customers who ordered"
                        + " since the program holdout started; may be emailed has 30, program"
                        + " holdout 9.",
            })
    void theProgramReportNamesItsGroupsAsTheLiftPageDoes(
            String name,
            long emailed,
            long held,
            long emailedBuyers,
            long heldBuyers,
            String says) {
        String tooFew =
                LiftVerdict.programTooFew(100, 10, emailed, held, emailedBuyers, heldBuyers);
        assertThat(tooFew).as(name).isEqualTo(says).doesNotContain("treated").doesNotContain("arm");
    }

    @ParameterizedTest(name = "holds out {0} of {1}, journey {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "100|100|false|Too few.",
                "250|100|true|Too few.",
                "5|100|false|Too few. This campaign holds out 5 customers in all, so it cannot"
                        + " answer on its own however long it runs. The program holdout answers"
                        + " for the shop's whole email program over time: set one with PUT"
                        + " /v1/program-holdout and read GET /v1/program-holdout/report or the"
                        + " dashboard's Lift page.",
                "99|100|true|Too few. This journey has held out 99 customers so far. The program"
                        + " holdout answers for the shop's whole email program over time: set one"
                        + " with PUT /v1/program-holdout and read GET /v1/program-holdout/report"
                        + " or the dashboard's Lift page."
            })
    void aHoldoutBelowTheMinimumInAllPointsToTheProgramHoldout(
            long plannedHoldout, int minimum, boolean journey, String expected) {
        assertThat(LiftVerdict.notEnoughData("Too few.", minimum, plannedHoldout, journey))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}, {1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.01|0.05|Over 90 days, the email program raised the share of customers who"
                        + " ordered: the 99% always-valid interval (+1.0 to +5.0 pp) lies above"
                        + " zero. Secondary: revenue per customer rose (adjusted p = 0.020). The"
                        + " program holdout never ends: every look is interim, and the interval"
                        + " stays valid however often you look.",
                "-0.02|0.03|Over 90 days, no clear effect of the email program on the share of"
                        + " customers who ordered: the 99% always-valid interval (-2.0 to +3.0 pp)"
                        + " includes zero. Secondary: revenue per customer rose (adjusted p ="
                        + " 0.020). The program holdout never ends: every look is interim, and the"
                        + " interval stays valid however often you look.",
                "-0.05|-0.01|Over 90 days, the email program lowered the share of customers who"
                        + " ordered: the 99% always-valid interval (-5.0 to -1.0 pp) lies below"
                        + " zero. Secondary: revenue per customer rose (adjusted p = 0.020). The"
                        + " program holdout never ends: every look is interim, and the interval"
                        + " stays valid however often you look."
            })
    void theProgramVerdictFollowsItsPrimaryInterval(double low, double high, String expected) {
        assertThat(
                        LiftVerdict.program(
                                90, 0.99, low, high, null, new LiftVerdict.Claim(true, 0.02)))
                .isEqualTo(expected);
    }

    static LiftReport report(
            double low,
            double high,
            String kind,
            int day,
            double ordersAdjusted,
            double revenueAdjusted) {
        boolean interim = "INTERIM".equals(kind);
        double confidence = interim ? 0.99 : 0.96;
        return new LiftReport(
                "c1",
                30,
                AT,
                interim ? LiftReport.Status.INTERIM : LiftReport.Status.FINAL,
                "",
                new LiftReport.Assignment("", 900, 100, 300, 30, 0, 1, Map.of()),
                new LiftReport.Window(AT, AT, AT, !interim, 180, ""),
                new LiftReport.Peeking(!interim, true, ""),
                new LiftReport.SampleRatio(0.1, "", 0.1, 1.0, 0.001, false),
                0.95,
                new LiftReport.Metrics(
                        metric(low, high, "primary", null),
                        metric(0.1, 0.2, "secondary", ordersAdjusted),
                        metric(-5, 5, "secondary", revenueAdjusted)),
                null,
                List.of("USD"),
                List.of(),
                new LiftReport.LookInfo(kind, day, 30, confidence, ""),
                AT,
                AT,
                null);
    }

    private static LiftReport.Metric metric(
            double low, double high, String role, Double adjustedPValue) {
        return new LiftReport.Metric(
                "",
                "",
                0.3,
                0.28,
                (low + high) / 2,
                low,
                high,
                0.5,
                null,
                null,
                null,
                low > 0 || high < 0,
                null,
                0,
                0,
                0,
                null,
                role,
                adjustedPValue,
                adjustedPValue != null && adjustedPValue <= 0.05);
    }
}
