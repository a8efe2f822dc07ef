package io.hilal.sdk.model;

import java.time.Instant;
import java.util.List;

/**
 * A campaign's sends of unknown fate that wait for a decision ({@code GET
 * /v1/campaigns/{id}/unknown-sends}): sends a worker had handed to the relay, or was about to, when
 * it stopped. They are not sent again unless the marketer decides so ({@link
 * io.hilal.sdk.CampaignService#resendUnknownSends}); closing them ({@link
 * io.hilal.sdk.CampaignService#closeUnknownSends}) leaves them unsent.
 *
 * @param sends how many wait for a decision
 * @param groups the sends by run and by the worker that was sending them
 */
public record UnknownSends(long sends, List<Group> groups) {
    /**
     * Reads an absent list as an empty one, so it is never null.
     *
     * @param sends how many wait for a decision
     * @param groups the sends by run and by the worker that was sending them
     */
    public UnknownSends {
        groups = groups == null ? List.of() : groups;
    }

    /**
     * The sends of unknown fate of one run that one worker was sending when it stopped.
     *
     * @param runId e.g. {@code run_1}
     * @param worker the worker's id
     * @param sends how many
     * @param since when the first of them was marked of unknown fate
     */
    public record Group(String runId, String worker, long sends, Instant since) {}

    /**
     * What a decision on a campaign's sends of unknown fate did.
     *
     * @param decision {@code resend} or {@code close}
     * @param sends how many sends it resent or closed (0: there were none)
     * @param campaign the campaign after the decision ({@code scheduled} again after a resend)
     */
    public record Decision(String decision, int sends, Campaign campaign) {}
}
