package io.hilal.core.campaigns.sending;

import io.hilal.core.campaigns.AudienceService;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.program.ProgramHoldout;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * May this send go out now? The eligibility rules every claimed send passes, with no I/O: not in
 * the tenant's program holdout, an address and granted consent, not on the suppression list
 * (SUPPRESSED otherwise), outside the quiet hours in the customer's local time and under the
 * frequency cap (DEFERRED to when it may go out, or EXPIRED when the offer ends first), and inside
 * its validity window; and how many the tenant's daily cap lets go out today. The claim reads what
 * they need (under the customer's lock, see {@link SendLedger#settleAndClaim}) and asks here.
 */
public final class SendPolicy {
    /** The reason a send is SUPPRESSED when its customer joined the program holdout. */
    public static final String PROGRAM_HOLDOUT = "in the program holdout (joined after planning)";

    private SendPolicy() {}

    /**
     * Why {@code candidate} may not go out at {@code now} (SUPPRESSED, DEFERRED or EXPIRED), or
     * null when it may; {@code tenantZone} stands in for a customer without a time zone.
     */
    public static SendLedger.Outcome check(
            SendLedger.Candidate candidate,
            Instant now,
            ZoneId tenantZone,
            CampaignRequest.Limits limits) {
        return check(candidate, now, tenantZone, limits, ProgramHoldout.OFF);
    }

    /**
     * As {@link #check(SendLedger.Candidate, Instant, ZoneId, CampaignRequest.Limits)}, with the
     * tenant's program holdout as it is now: a customer who joined it after their send was planned
     * (the share was raised or turned on since) is not emailed.
     */
    public static SendLedger.Outcome check(
            SendLedger.Candidate candidate,
            Instant now,
            ZoneId tenantZone,
            CampaignRequest.Limits limits,
            ProgramHoldout program) {
        String customerId = candidate.customerId();
        if (program.heldOut(customerId)) {
            return SendLedger.Outcome.suppressed(customerId, PROGRAM_HOLDOUT);
        }
        if (candidate.email() == null) {
            return SendLedger.Outcome.suppressed(customerId, "no email address");
        }
        if (!"granted".equals(candidate.emailConsent())) {
            return SendLedger.Outcome.suppressed(customerId, "no email consent");
        }
        if (candidate.suppressed()) {
            return SendLedger.Outcome.suppressed(customerId, "address on the suppression list");
        }
        if (!now.isBefore(candidate.validUntil())) {
            return SendLedger.Outcome.expired(customerId, "offer ended before it could be sent");
        }
        ZoneId zone = AudienceService.zone(candidate.timeZone(), tenantZone);
        Instant quietEnd = quietHoursEnd(limits.quietHours(), now, zone);
        if (quietEnd != null) {
            return holdBack(candidate, quietEnd, "quiet hours");
        }
        Instant capEnd = frequencyCapEnd(limits.frequencyCap(), candidate.recentSends());
        if (capEnd != null) {
            return holdBack(candidate, capEnd, "frequency cap");
        }
        return null;
    }

    /**
     * The tenant's daily cap for a campaign: the worker's per-tenant cap ({@code tenantDailyCap},
     * 0: none), which a campaign's own ({@code campaignDailyCap}, null: none) can only lower.
     */
    public static long dailyCap(long tenantDailyCap, Integer campaignDailyCap) {
        long cap = tenantDailyCap;
        if (campaignDailyCap != null) {
            cap = cap > 0 ? Math.min(cap, campaignDailyCap) : campaignDailyCap;
        }
        return cap;
    }

    /**
     * How many more emails the tenant may send today under its daily cap ({@code dailyCap}, 0:
     * none, as {@link #dailyCap} gives it) when {@code sentToday} went out since its local
     * midnight: 0 once the cap is reached, {@link Long#MAX_VALUE} without a cap.
     */
    public static long leftToday(long dailyCap, long sentToday) {
        if (dailyCap <= 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, dailyCap - sentToday);
    }

    /**
     * The daily cap with the operator's quota for the tenant ({@code tenantQuota}, null: none) on
     * top: the lowest of those set, 0 when none is.
     */
    public static long dailyCap(long tenantDailyCap, Integer campaignDailyCap, Long tenantQuota) {
        long cap = dailyCap(tenantDailyCap, campaignDailyCap);
        if (tenantQuota == null) {
            return cap;
        }
        return cap > 0 ? Math.min(cap, tenantQuota) : tenantQuota;
    }

    /** Defers a send to {@code until}, or expires it when the offer ends first. */
    static SendLedger.Outcome holdBack(SendLedger.Candidate candidate, Instant until, String why) {
        if (!until.isBefore(candidate.validUntil())) {
            return SendLedger.Outcome.expired(
                    candidate.customerId(), why + " until after the offer ended");
        }
        return SendLedger.Outcome.deferred(candidate.customerId(), until, why);
    }

    /** The end of the quiet hours {@code now} falls in, in the customer's zone; else null. */
    public static Instant quietHoursEnd(
            CampaignRequest.QuietHours quiet, Instant now, ZoneId zone) {
        if (quiet == null || quiet.off()) {
            return null;
        }
        LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        LocalTime time = local.toLocalTime();
        LocalTime start = quiet.start();
        LocalTime end = quiet.end();
        boolean quietNow =
                start.isBefore(end)
                        ? !time.isBefore(start) && time.isBefore(end)
                        : !time.isBefore(start) || time.isBefore(end);
        if (!quietNow) {
            return null;
        }
        LocalDate endDate =
                time.isBefore(end) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
        return endDate.atTime(end).atZone(zone).toInstant();
    }

    /**
     * When the customer is under the cap again, or null if they are under it now; {@code recent} is
     * their campaign emails inside the cap's window, oldest first.
     */
    static Instant frequencyCapEnd(CampaignRequest.FrequencyCap cap, List<Instant> recent) {
        if (cap == null || recent.size() < cap.count()) {
            return null;
        }
        // The oldest send that must age out for one more to fit.
        return recent.get(recent.size() - cap.count()).plus(Duration.ofDays(cap.days()));
    }
}
