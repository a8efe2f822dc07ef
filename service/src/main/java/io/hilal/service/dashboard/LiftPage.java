package io.hilal.service.dashboard;

import io.hilal.core.lift.LiftReport;
import io.hilal.core.lift.LiftVerdict;
import io.hilal.core.program.ProgramLiftService;
import io.hilal.service.dashboard.charts.ForestPlot;
import io.hilal.service.dashboard.data.LiftReports;
import java.util.ArrayList;
import java.util.List;

/**
 * The lift page: every campaign's report headline in a table, a forest plot of the repeat-purchase
 * lifts of those with enough data (no chart when none has), and the program holdout's section when
 * the shop keeps one ({@code program} null otherwise), and the form to change its share for a
 * session that may ({@code programControl}, null otherwise).
 */
record LiftPage(
        List<LiftHeadline> reports,
        boolean hasReports,
        int window,
        String chart,
        ProgramSection program,
        ProgramControl programControl) {

    static LiftPage of(
            List<LiftReports.Report> reports,
            int windowDays,
            ProgramLiftService.Report program,
            ProgramControl control) {
        List<LiftHeadline> rows = new ArrayList<>();
        List<ForestPlot.Row> plotted = new ArrayList<>();
        for (LiftReports.Report report : reports) {
            rows.add(LiftHeadline.of(report));
            LiftReport stored = report.report();
            if (stored.metrics() != null) {
                LiftReport.Metric repeat = stored.metrics().repeatPurchaseRate();
                plotted.add(
                        new ForestPlot.Row(
                                report.campaignName(),
                                repeat.difference() * 100,
                                repeat.low() * 100,
                                repeat.high() * 100,
                                LiftVerdict.intervalLabel(stored),
                                "n = "
                                        + Text.count(stored.assignment().treatedCustomers())
                                        + " / "
                                        + Text.count(stored.assignment().holdoutCustomers())));
            }
        }
        return new LiftPage(
                rows,
                !rows.isEmpty(),
                windowDays,
                plotted.isEmpty()
                        ? null
                        : ForestPlot.render(
                                "lift-forest",
                                "Repeat-purchase lift by campaign, with each report's interval",
                                plotted),
                ProgramSection.of(program),
                control);
    }
}
