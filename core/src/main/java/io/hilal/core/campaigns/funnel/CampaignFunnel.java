package io.hilal.core.campaigns.funnel;

import java.math.BigDecimal;
import java.util.List;

/**
 * How far a campaign's customers got: the ledger's stages (sends: one per customer and run), what
 * recipients did with the email (customers), and orders and revenue within {@code windowDays} of
 * each customer's planned send, treated against held out (customers whose send time has come).
 *
 * @param planned sends planned to go out (every ledger row but the held-out ones)
 * @param heldOut sends held out by the randomized holdout: no email, measured all the same
 * @param pending planned, deferred or sending: not ended yet
 * @param sent handed to the relay
 * @param failed refused by the relay
 * @param bounced customers whose address bounced for good (at send time or reported later)
 * @param failedOrBounced customers with a failed send or a permanent bounce, each once
 * @param complained customers who marked the email as spam
 * @param suppressed not sent: no address, no consent or a suppressed address
 * @param expired not sent before the offer ended
 * @param unknownFate in flight when a worker stopped: the relay may or may not have it
 * @param clicked customers who clicked a product (mail scanners' visits are not counted)
 * @param unsubscribed customers who unsubscribed through the email
 * @param notForMe customers who turned a product down through the email
 * @param currencies the currencies of the revenue: more than one means it adds up amounts of each
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
     * One side of the holdout split: its customers whose send time has come, how many of them
     * ordered within the window, their orders and revenue (refunds deducted).
     */
    public record Arm(
            long customers,
            long ordered,
            long orders,
            BigDecimal revenue,
            Double orderedShare,
            BigDecimal revenuePerCustomer) {}
}
