package io.hilal.service.dashboard;

import io.hilal.core.campaigns.sending.SendState;
import io.hilal.core.dashboard.DashboardQueries;
import io.hilal.service.dashboard.charts.Format;
import io.hilal.service.dashboard.data.DashboardCampaigns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One campaign's page: what it is, its sends of unknown fate, the launch or pause it allows now (to
 * a session that may use them), its sends by state, funnel and next sends due, what the demo sent
 * (the demo only), and its lift so far. Absent parts are null.
 */
record CampaignPage(
        String campaignId,
        String name,
        String status,
        String audience,
        String holdout,
        Unknown unknown,
        String error,
        boolean controllable,
        boolean launchable,
        boolean pausable,
        boolean resumes,
        List<LedgerStates.Header> states,
        List<LedgerStates.Cell> counts,
        FunnelView funnel,
        List<Queued> outbox,
        boolean hasOutbox,
        int outboxLimit,
        Demo demo,
        LiftHeadline lift,
        SendTimeView sendTime) {

    /** Sends of unknown fate nobody decided on yet, per run; {@code decides}: may this session. */
    record Unknown(String count, List<UnknownGroup> groups, boolean decides) {}

    /** The sends of one run a worker stopped while sending. */
    record UnknownGroup(String runId, String worker, String sends, String since) {}

    /** A send waiting to go out. */
    record Queued(String customerId, String runId, String sendAt, String validUntil) {}

    /**
     * The demo's captured emails: how many the capture received, which are shown, the ledger when
     * the demo finished, and each email's parts.
     */
    record Demo(
            String received,
            String shown,
            List<DemoEmail> emails,
            List<LedgerStates.Cell> counts) {}

    /**
     * One captured email; the HTML part goes into a sandboxed {@code <iframe srcdoc>} (escaped into
     * the attribute by the template; the sandbox allows no scripts, forms or navigation of the
     * page, and the frame inherits the page's policy, so it loads nothing from elsewhere).
     */
    record DemoEmail(
            boolean first, String to, String subject, String html, boolean hasHtml, String text) {}

    /**
     * The campaign as {@code campaign} describes it, with the controls {@code mayControl} (the
     * session's campaigns scope) allows.
     */
    static Builder of(DashboardCampaigns.Campaign campaign, boolean mayControl) {
        return new Builder(campaign, mayControl);
    }

    /** The parts of a campaign's page, gathered from several services. */
    static final class Builder {
        private final DashboardCampaigns.Campaign campaign;
        private final boolean mayControl;
        private Unknown unknown;
        private String error;
        private List<LedgerStates.Cell> counts = LedgerStates.cells(null);
        private FunnelView funnel;
        private List<Queued> outbox = List.of();
        private int outboxLimit;
        private Demo demo;
        private LiftHeadline lift;
        private SendTimeView sendTime;

        private Builder(DashboardCampaigns.Campaign campaign, boolean mayControl) {
            this.campaign = campaign;
            this.mayControl = mayControl;
        }

        Builder counts(Map<SendState, Long> byState) {
            this.counts = LedgerStates.cells(byState);
            return this;
        }

        /** The campaign's groups among the tenant's undecided sends of unknown fate. */
        Builder unknown(List<DashboardQueries.UnknownSends> undecided) {
            long total = 0;
            List<UnknownGroup> groups = new ArrayList<>();
            for (DashboardQueries.UnknownSends group : undecided) {
                if (group.campaignId().equals(campaign.campaignId())) {
                    total += group.sends();
                    groups.add(
                            new UnknownGroup(
                                    group.runId(),
                                    group.worker() == null ? "unknown" : group.worker(),
                                    Text.count(group.sends()),
                                    Text.TIME.format(group.since())));
                }
            }
            this.unknown = total == 0 ? null : new Unknown(Text.count(total), groups, mayControl);
            return this;
        }

        /** Why the last launch or pause was refused. */
        Builder error(String error) {
            this.error = error;
            return this;
        }

        Builder funnel(FunnelView funnel) {
            this.funnel = funnel;
            return this;
        }

        /** The next sends due, at most {@code limit}. */
        Builder outbox(List<DashboardQueries.QueuedSend> due, int limit) {
            this.outbox =
                    due.stream()
                            .map(
                                    send ->
                                            new Queued(
                                                    send.customerId(),
                                                    send.runId(),
                                                    Text.TIME.format(send.sendAt()),
                                                    Text.TIME.format(send.validUntil())))
                            .toList();
            this.outboxLimit = limit;
            return this;
        }

        Builder demo(DemoOutbox.Snapshot snapshot) {
            List<DemoEmail> emails = new ArrayList<>();
            for (DemoOutbox.Email email : snapshot.emails()) {
                emails.add(
                        new DemoEmail(
                                emails.isEmpty(),
                                email.to(),
                                email.subject(),
                                email.html() == null ? "" : email.html(),
                                email.html() != null && !email.html().isBlank(),
                                email.text() == null ? "" : email.text()));
            }
            List<LedgerStates.Cell> states =
                    LedgerStates.COLUMNS.stream()
                            .map(
                                    state ->
                                            new LedgerStates.Cell(
                                                    Text.label(state),
                                                    Text.count(
                                                            snapshot.counts()
                                                                    .getOrDefault(
                                                                            state.name(), 0L))))
                            .toList();
            String shown =
                    emails.isEmpty()
                            ? "none was kept"
                            : emails.size() == 1
                                    ? "the first is below, as its recipient saw it"
                                    : "the first "
                                            + emails.size()
                                            + " are below, as their recipients saw them";
            this.demo = new Demo(Text.count(snapshot.received()), shown, emails, states);
            return this;
        }

        Builder lift(LiftHeadline lift) {
            this.lift = lift;
            return this;
        }

        /** For a campaign sent at each customer's best time: did it help. */
        Builder sendTime(SendTimeView sendTime) {
            this.sendTime = sendTime;
            return this;
        }

        CampaignPage build() {
            boolean launchable = campaign.launchable();
            boolean pausable = campaign.pausable();
            return new CampaignPage(
                    campaign.campaignId(),
                    campaign.name(),
                    campaign.status(),
                    campaign.audience(),
                    Format.percent(campaign.holdoutShare()),
                    unknown,
                    error,
                    launchable || pausable,
                    // The buttons show only to a session that may use them; the POSTs check again.
                    mayControl && launchable,
                    mayControl && pausable,
                    "paused".equals(campaign.status()),
                    LedgerStates.headers(),
                    counts,
                    funnel,
                    outbox,
                    !outbox.isEmpty(),
                    outboxLimit,
                    demo,
                    lift,
                    sendTime);
        }
    }
}
