package io.hilal.sdk.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * How far a campaign's customers got ({@code GET /v1/campaigns/{id}/funnel}): the ledger's stages
 * count sends (one per customer and run), engagement counts customers, and orders and revenue are
 * counted within {@code windowDays} of each customer's send, for the treated and the held-out
 * customers alike so that the two can be compared.
 *
 * @param campaignId the campaign
 * @param windowDays the window orders and revenue are counted in
 * @param planned sends planned to go out (held-out ones not included)
 * @param heldOut sends held out: no email, measured all the same
 * @param pending sends not ended yet (planned, deferred or sending)
 * @param sent sends handed to the relay
 * @param failed sends the relay refused
 * @param bounced customers whose address bounced for good
 * @param failedOrBounced customers with a failed send or a permanent bounce, each once
 * @param complained customers who marked the email as spam
 * @param suppressed sends not made: no address, no consent or a suppressed address
 * @param expired sends not made before the offer ended
 * @param unknownFate sends in flight when a worker stopped
 * @param clicked customers who clicked (mail scanners not counted)
 * @param unsubscribed customers who unsubscribed through the email
 * @param notForMe customers who turned a product down through the email
 * @param treated the emailed customers' orders
 * @param heldOutArm the held-out customers' orders
 * @param currencies the currencies the revenue adds up
 */
public record CampaignFunnel(
        String campaignId,
        int windowDays,
        long planned,
        long heldOut,
        long pending,
        long sent,
        long failed,
        long bounced,
        long failedOrBounced,
        long complained,
        long suppressed,
        long expired,
        long unknownFate,
        long clicked,
        long unsubscribed,
        long notForMe,
        Arm treated,
        Arm heldOutArm,
        List<String> currencies) {
    /**
     * Reads an absent list as an empty one.
     *
     * @param campaignId the campaign
     * @param windowDays the window orders and revenue are counted in
     * @param planned sends planned to go out
     * @param heldOut sends held out
     * @param pending sends not ended yet
     * @param sent sends handed to the relay
     * @param failed sends the relay refused
     * @param bounced customers whose address bounced for good
     * @param failedOrBounced customers with a failed send or a permanent bounce
     * @param complained customers who marked the email as spam
     * @param suppressed sends not made for consent or suppression
     * @param expired sends not made before the offer ended
     * @param unknownFate sends in flight when a worker stopped
     * @param clicked customers who clicked
     * @param unsubscribed customers who unsubscribed
     * @param notForMe customers who turned a product down
     * @param treated the emailed customers' orders
     * @param heldOutArm the held-out customers' orders
     * @param currencies the currencies the revenue adds up
     */
    public CampaignFunnel {
        currencies = currencies == null ? List.of() : List.copyOf(currencies);
    }

    /**
     * One side of the holdout split.
     *
     * @param customers customers whose send time has come
     * @param ordered how many of them ordered within the window
     * @param orders their orders within the window
     * @param revenue their revenue within the window, refunds deducted
     * @param orderedShare {@code ordered / customers}, or null without customers
     * @param revenuePerCustomer {@code revenue / customers}, or null without customers
     */
    public record Arm(
            long customers,
            long ordered,
            long orders,
            BigDecimal revenue,
            Double orderedShare,
            BigDecimal revenuePerCustomer) {}
}
