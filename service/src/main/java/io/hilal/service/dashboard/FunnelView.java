package io.hilal.service.dashboard;

import io.hilal.core.campaigns.funnel.CampaignFunnel;
import io.hilal.service.dashboard.charts.Format;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;

/**
 * The funnel section of a campaign's page: the stages as labelled counts, and orders and revenue
 * within the window for the treated and the held-out customers side by side.
 */
public record FunnelView(int windowDays, List<Stage> stages, List<Arm> arms, String currency) {
    /** One stage: its label, the count as shown, and a stable id for tests and links. */
    public record Stage(String id, String label, String count, String hint) {}

    /** One arm's line of the orders table. */
    public record Arm(
            String id,
            String label,
            String customers,
            String ordered,
            String orderedShare,
            String revenue,
            String revenuePerCustomer) {}

    public static FunnelView of(CampaignFunnel funnel) {
        NumberFormat counts = NumberFormat.getIntegerInstance(Locale.UK);
        List<Stage> stages =
                List.of(
                        new Stage(
                                "planned",
                                "Planned",
                                counts.format(funnel.planned()),
                                counts.format(funnel.heldOut()) + " more held out"),
                        new Stage(
                                "sent",
                                "Sent",
                                counts.format(funnel.sent()),
                                counts.format(funnel.pending()) + " still to go"),
                        new Stage(
                                "failed-or-bounced",
                                "Failed or bounced",
                                counts.format(funnel.failedOrBounced()),
                                counts.format(funnel.complained()) + " complained"),
                        new Stage(
                                "clicked",
                                "Clicked",
                                counts.format(funnel.clicked()),
                                "mail scanners not counted"),
                        new Stage(
                                "unsubscribed",
                                "Unsubscribed",
                                counts.format(funnel.unsubscribed()),
                                null),
                        new Stage(
                                "not-for-me",
                                "Not for me",
                                counts.format(funnel.notForMe()),
                                null));
        List<Arm> arms =
                List.of(
                        arm("treated", "Emailed (treated)", funnel.treated(), counts),
                        arm("held-out", "Held out", funnel.heldOutArm(), counts));
        String currency =
                funnel.currencies().isEmpty() ? null : String.join(" + ", funnel.currencies());
        return new FunnelView(funnel.windowDays(), stages, arms, currency);
    }

    private static Arm arm(String id, String label, CampaignFunnel.Arm arm, NumberFormat counts) {
        return new Arm(
                id,
                label,
                counts.format(arm.customers()),
                counts.format(arm.ordered()),
                arm.orderedShare() == null ? "–" : Format.percent(arm.orderedShare()),
                money(arm.revenue()),
                arm.revenuePerCustomer() == null ? "–" : money(arm.revenuePerCustomer()));
    }

    private static String money(BigDecimal amount) {
        NumberFormat format = NumberFormat.getNumberInstance(Locale.UK);
        format.setMinimumFractionDigits(2);
        format.setMaximumFractionDigits(2);
        return format.format(amount);
    }
}
