package io.hilal.sdk.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a campaign would do if launched now: the audience and holdout sizes, the smallest lift the
 * holdout could detect, and the email one customer would get. Nothing is sent or stored.
 *
 * @param audienceSize customers in the audience, holdout included
 * @param holdoutSize customers held out
 * @param treatedSize customers who would be emailed
 * @param baselineRate the audience's recent repeat-purchase rate
 * @param minimumDetectableLift the smallest absolute lift of that rate detectable (80% power,
 *     two-sided 5%), or null without a holdout or a treated arm
 * @param minimumDetectableRelativeLift the same relative to the baseline, or null
 * @param firstSendAt the first planned send, or null for an empty audience
 * @param email the rendered email, or null for an empty audience
 * @param late sends whose time has already passed, and what the late policy would do
 * @param lift whether the lift report can ever give an answer with this holdout
 * @param warnings what to fix before launching, in sentences
 */
public record CampaignPreview(
        int audienceSize,
        int holdoutSize,
        int treatedSize,
        double baselineRate,
        Double minimumDetectableLift,
        Double minimumDetectableRelativeLift,
        Instant firstSendAt,
        Email email,
        Campaign.Lateness late,
        LiftOutlook lift,
        List<String> warnings) {

    /**
     * Whether the lift report can ever give an answer: each group needs a minimum of customers and
     * buyers.
     *
     * @param canAnswer whether both groups are expected to reach the minimums
     * @param suggestedHoldoutShare the smallest holdout share that would, or null
     * @param note the verdict in a sentence
     */
    public record LiftOutlook(boolean canAnswer, Double suggestedHoldoutShare, String note) {}

    /**
     * The email one customer would get, rendered with their recommendations.
     *
     * @param customerId the customer
     * @param inAudience whether they are in the audience
     * @param heldOut whether they would be held out (and so never emailed)
     * @param sendAt when theirs would go out
     * @param to their address
     * @param from the sender
     * @param subject the rendered subject
     * @param html the rendered HTML body
     * @param text the rendered text body
     * @param headers headers such as {@code List-Unsubscribe}
     * @param excludedBecause why the customer is not in the audience, or null when they are
     */
    public record Email(
            String customerId,
            boolean inAudience,
            boolean heldOut,
            Instant sendAt,
            String to,
            String from,
            String subject,
            String html,
            String text,
            Map<String, String> headers,
            String excludedBecause) {}
}
