package io.hilal.service.dashboard;

import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.ScheduleDates;
import io.hilal.core.error.FieldError;
import io.hilal.service.dashboard.charts.Format;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The studio form's counts as the page (and its script, as JSON) shows them: customers, those
 * matching the rules, those reachable, the holdout, the smallest lift it can detect, and the dates
 * the schedule resolves to; or, when the form cannot be counted yet, what is wrong with it.
 *
 * @param counted whether the figures are there (false: see {@code problems})
 * @param holdoutApproximate a new draft's holdout is the share's count, not yet its customers
 * @param dates the schedule's Gregorian send dates this year and next
 * @param scheduleNote the schedule in a sentence
 * @param programNote how many reachable customers the shop's program holdout keeps out, or empty
 */
public record StudioEstimate(
        boolean counted,
        List<String> problems,
        String customers,
        String matching,
        String reachable,
        String heldOut,
        String treated,
        boolean holdoutApproximate,
        String minimumDetectableLift,
        boolean liftCanAnswer,
        String liftNote,
        List<DateLine> dates,
        String scheduleNote,
        String firstSendAt,
        String lateNote,
        String programNote) {

    /** A resolved send date; {@code next} marks the one a launch today would use. */
    public record DateLine(String date, boolean past, boolean next) {}

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("EEE d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);

    /** The form could not be counted: these fields are wrong. */
    static StudioEstimate problems(List<FieldError> errors) {
        return new StudioEstimate(
                false,
                errors.stream().map(error -> error.field() + " " + error.message()).toList(),
                "–",
                "–",
                "–",
                "–",
                "–",
                false,
                "–",
                false,
                "",
                List.of(),
                "",
                "–",
                "",
                "");
    }

    static StudioEstimate of(CampaignService.Estimate estimate, CampaignRequest.Schedule schedule) {
        LocalDate today = estimate.today();
        NumberFormat numbers = NumberFormat.getIntegerInstance(Locale.ENGLISH);
        ScheduleDates resolved = estimate.dates();
        List<DateLine> dates =
                resolved.dates().stream()
                        .map(
                                date ->
                                        new DateLine(
                                                DAY.format(date),
                                                date.isBefore(today),
                                                date.equals(resolved.next())))
                        .toList();
        CampaignService.Lateness late = estimate.late();
        return new StudioEstimate(
                true,
                List.of(),
                numbers.format(estimate.customers()),
                numbers.format(estimate.matching()),
                numbers.format(estimate.reachable()),
                (estimate.holdoutExact() ? "" : "about ") + numbers.format(estimate.holdout()),
                numbers.format(estimate.treated()),
                !estimate.holdoutExact(),
                estimate.minimumDetectableLift() == null
                        ? "not measurable (no holdout or no one treated)"
                        : Format.percent(estimate.minimumDetectableLift())
                                + " points of repeat purchase (from a "
                                + Format.percent(estimate.baselineRate())
                                + " baseline)",
                estimate.lift().canAnswer(),
                estimate.lift().note(),
                dates,
                scheduleNote(schedule, resolved, today),
                estimate.firstSendAt() == null ? "–" : TIME.format(estimate.firstSendAt()),
                late.passed() == 0
                        ? ""
                        : numbers.format(late.passed())
                                + " send times have already passed (late policy "
                                + late.policy()
                                + ").",
                estimate.programHeld() == 0
                        ? ""
                        : numbers.format(estimate.programHeld())
                                + " more reachable customers are in the shop's program holdout:"
                                + " no campaign emails them, and they are in neither group.");
    }

    /** The schedule in a sentence: what it is anchored to and when a launch today sends. */
    static String scheduleNote(
            CampaignRequest.Schedule schedule, ScheduleDates resolved, LocalDate today) {
        String type = schedule.type();
        if (CampaignRequest.REPEAT_DUE.equals(type)) {
            int window = schedule.windowDays() == null ? 0 : schedule.windowDays();
            return "Each customer gets the email at "
                    + schedule.localTime()
                    + " on the day their restock falls due, from today to "
                    + DAY.format(today.plusDays(window))
                    + "; customers with no restock due in that window get nothing.";
        }
        if (resolved.unknownTenantDate()) {
            return "This shop has no date named '"
                    + schedule.anchor().tenantDate()
                    + "': add it under PUT /v1/calendar-dates/{name} or choose another.";
        }
        if (resolved.next() == null) {
            return "";
        }
        String when = DAY.format(resolved.next()) + " at " + schedule.localTime();
        if (resolved.next().isBefore(today)) {
            return "A launch today would send on " + when + ", which has passed.";
        }
        return "A launch today sends on " + when + ".";
    }
}
