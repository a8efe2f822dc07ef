package io.hilal.service.dashboard.data;

import io.hilal.core.dashboard.RepeatPurchaseLift;
import java.util.List;
import java.util.Optional;

/**
 * The lift reports the dashboard shows: repeat-purchase rate within a window after the send,
 * treated against held out, with intervals and curves. Small on purpose, so stored lift reports can
 * stand behind it; until then {@link LedgerLiftReports} measures straight from the send ledger.
 */
public interface LiftReports {
    /** One campaign's report; {@code result.enoughData()} is false while a group is empty. */
    record Report(String campaignId, String campaignName, RepeatPurchaseLift.Result result) {}

    /** How many days after the send a repeat purchase counts. */
    int windowDays();

    /** A report for each of the tenant's campaigns that has sends. */
    List<Report> reports(String tenantId);

    /** The report of one campaign of the tenant; empty for an unknown or another tenant's id. */
    Optional<Report> report(String tenantId, String campaignId);
}
