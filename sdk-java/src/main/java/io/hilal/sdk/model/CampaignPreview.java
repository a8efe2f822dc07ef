package io.hilal.sdk.model;

import java.time.Instant;
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
 */
public record CampaignPreview(
        int audienceSize,
        int holdoutSize,
        int treatedSize,
        double baselineRate,
        Double minimumDetectableLift,
        Double minimumDetectableRelativeLift,
        Instant firstSendAt,
        Email email) {

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
            Map<String, String> headers) {}
}
