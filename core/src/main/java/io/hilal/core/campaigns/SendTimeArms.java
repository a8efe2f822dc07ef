package io.hilal.core.campaigns;

/**
 * Which customers of a best-time campaign are kept at the schedule's local time: a deterministic
 * random share, by the hash of the campaign's salt and the customer id (as {@link Holdout}, but
 * split independently of the holdout), so that the plan and the report agree without storing it,
 * and the comparison of best time against local time is randomized.
 */
public record SendTimeArms(String salt, double fixedShare) {
    private static final String PURPOSE = ":send-time";

    /** The arms of a campaign's schedule, or null when it does not send at best times. */
    public static SendTimeArms of(String salt, CampaignRequest.Schedule schedule) {
        if (schedule == null || !schedule.bestTime()) {
            return null;
        }
        return new SendTimeArms(
                salt,
                schedule.fixedTimeShare() == null
                        ? CampaignRequest.DEFAULT_FIXED_TIME_SHARE
                        : schedule.fixedTimeShare());
    }

    /** Whether this customer is sent at the schedule's local time rather than their best hour. */
    public boolean fixedTime(String customerId) {
        return new Holdout(salt + PURPOSE, fixedShare).heldOut(customerId);
    }
}
