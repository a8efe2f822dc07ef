package io.hilal.service.dashboard.data;

import io.hilal.core.dashboard.RepeatPurchaseLift;
import io.hilal.core.lift.LiftReport;
import java.util.List;
import java.util.Optional;

/**
 * The lift reports the dashboard shows: each campaign's stored lift report (repeat rate, orders and
 * revenue per customer, treated against held out, with intervals, the sample-ratio check and
 * whether the look is final), and the day-by-day repeat-purchase curves drawn beside it.
 */
public interface LiftReports {
    /** One campaign's newest report for the dashboard's window. */
    record Report(String campaignId, String campaignName, LiftReport report) {}

    /** The window the dashboard shows, in days after each customer's send. */
    int windowDays();

    /** A report for each of the tenant's campaigns that has a send ledger. */
    List<Report> reports(String tenantId);

    /** The report of one campaign of the tenant; empty for an unknown or another tenant's id. */
    Optional<Report> report(String tenantId, String campaignId);

    /**
     * Cumulative repeat-purchase curves of one campaign of the tenant, over the sends at least a
     * window old.
     */
    RepeatPurchaseLift.Result curves(String tenantId, String campaignId);
}
