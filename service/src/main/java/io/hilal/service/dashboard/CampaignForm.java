package io.hilal.service.dashboard;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.error.FieldError;
import io.hilal.core.error.ValidationException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The campaign studio's form, field by field as the browser posts it (text, so that what the
 * marketer typed comes back unchanged with the errors), and its translation to and from the API's
 * {@link CampaignRequest}: the form covers every audience rule, the holdout, the schedule (a date
 * or an Islamic holiday with an offset), the late policy, the validity, quiet hours (or none), the
 * caps and the offer.
 */
public record CampaignForm(
        String name,
        String category,
        String lastOrderMoreThanDaysAgo,
        String repeatDueWithinDays,
        String spentAtLeast,
        String locales,
        String timeZones,
        String holdoutShare,
        String scheduleType,
        String date,
        String localTime,
        String timeZone,
        String holiday,
        String offsetDays,
        String validFor,
        String latePolicy,
        String quietStart,
        String quietEnd,
        boolean quietOff,
        String frequencyCount,
        String frequencyDays,
        String dailyCap,
        String subject,
        String html,
        String text,
        String couponCode) {

    /** A new campaign's form: the API's defaults, a date a week from today. */
    public static CampaignForm blank(LocalDate today) {
        return new CampaignForm(
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "0.1",
                CampaignRequest.AT,
                today.plusDays(7).toString(),
                "10:00",
                "",
                "eid_al_fitr",
                "0",
                CampaignRequest.DEFAULT_VALID_FOR,
                CampaignRequest.LATE_SKIP,
                "21:00",
                "08:00",
                false,
                "2",
                "7",
                "",
                "",
                "<p>Hello!</p>{{{productBlock}}}",
                "Hello!\n\n{{productBlock}}",
                "");
    }

    /** The form of a stored campaign. */
    public static CampaignForm of(Campaign campaign) {
        CampaignRequest.Audience audience = campaign.audience();
        CampaignRequest.Schedule schedule = campaign.schedule();
        CampaignRequest.Limits limits = campaign.limits();
        CampaignRequest.QuietHours quiet = limits == null ? null : limits.quietHours();
        CampaignRequest.FrequencyCap cap = limits == null ? null : limits.frequencyCap();
        boolean anchor = CampaignRequest.ANCHOR.equals(schedule.type());
        return new CampaignForm(
                campaign.name(),
                audience.bought() == null ? "" : text(audience.bought().category()),
                text(audience.lastOrderMoreThanDaysAgo()),
                text(audience.repeatDueWithinDays()),
                audience.spentAtLeast() == null ? "" : audience.spentAtLeast().toPlainString(),
                audience.locales() == null ? "" : String.join(", ", audience.locales()),
                audience.timeZones() == null ? "" : String.join(", ", audience.timeZones()),
                Double.toString(campaign.holdoutShare()),
                schedule.type(),
                text(schedule.date()),
                text(schedule.localTime()),
                text(schedule.timeZone()),
                anchor && schedule.anchor() != null ? text(schedule.anchor().holiday()) : "",
                text(schedule.offsetDays()),
                text(schedule.validFor()),
                schedule.latePolicy() == null ? CampaignRequest.LATE_SKIP : schedule.latePolicy(),
                quiet == null || quiet.off() ? "" : text(quiet.start()),
                quiet == null || quiet.off() ? "" : text(quiet.end()),
                quiet != null && quiet.off(),
                cap == null ? "" : text(cap.count()),
                cap == null ? "" : text(cap.days()),
                limits == null ? "" : text(limits.dailyCap()),
                campaign.offer().subject(),
                campaign.offer().html(),
                campaign.offer().text(),
                text(campaign.offer().couponCode()));
    }

    /** The form as posted. */
    public static CampaignForm posted(MultivaluedMap<String, String> form) {
        Function<String, String> field =
                name -> {
                    String value = form.getFirst(name);
                    return value == null ? "" : value;
                };
        return new CampaignForm(
                field.apply("name"),
                field.apply("category"),
                field.apply("lastOrderMoreThanDaysAgo"),
                field.apply("repeatDueWithinDays"),
                field.apply("spentAtLeast"),
                field.apply("locales"),
                field.apply("timeZones"),
                field.apply("holdoutShare"),
                field.apply("scheduleType"),
                field.apply("date"),
                field.apply("localTime"),
                field.apply("timeZone"),
                field.apply("holiday"),
                field.apply("offsetDays"),
                field.apply("validFor"),
                field.apply("latePolicy"),
                field.apply("quietStart"),
                field.apply("quietEnd"),
                "on".equals(form.getFirst("quietOff")),
                field.apply("frequencyCount"),
                field.apply("frequencyDays"),
                field.apply("dailyCap"),
                field.apply("subject"),
                field.apply("html"),
                field.apply("text"),
                field.apply("couponCode"));
    }

    /**
     * The API request this form stands for; a field that is not even of the right kind (a number, a
     * date) is refused here, everything else by the campaign service's own validation.
     */
    public CampaignRequest request() {
        List<FieldError> errors = new ArrayList<>();
        Parser parse = new Parser(errors);
        String chosenCategory = blankToNull(category);
        CampaignRequest.Audience audience =
                new CampaignRequest.Audience(
                        chosenCategory == null
                                ? null
                                : new CampaignRequest.Bought(chosenCategory, null, null, null),
                        parse.integer(
                                "audience.lastOrderMoreThanDaysAgo", lastOrderMoreThanDaysAgo),
                        parse.integer("audience.repeatDueWithinDays", repeatDueWithinDays),
                        parse.decimal("audience.spentAtLeast", spentAtLeast),
                        list(locales),
                        list(timeZones));
        boolean anchor = CampaignRequest.ANCHOR.equals(scheduleType);
        CampaignRequest.Schedule schedule =
                new CampaignRequest.Schedule(
                        blankToNull(scheduleType),
                        anchor ? null : parse.date("schedule.date", date),
                        parse.time("schedule.localTime", localTime),
                        blankToNull(timeZone),
                        anchor
                                ? new CampaignRequest.Anchor(blankToNull(holiday), null, null, null)
                                : null,
                        anchor ? parse.integer("schedule.offsetDays", offsetDays) : null,
                        null,
                        blankToNull(validFor),
                        null,
                        blankToNull(latePolicy));
        CampaignRequest.QuietHours quiet =
                quietOff
                        ? CampaignRequest.QuietHours.OFF
                        : blankToNull(quietStart) == null && blankToNull(quietEnd) == null
                                ? null
                                : new CampaignRequest.QuietHours(
                                        parse.time("limits.quietHours.start", quietStart),
                                        parse.time("limits.quietHours.end", quietEnd));
        Integer count = parse.integer("limits.frequencyCap.count", frequencyCount);
        Integer days = parse.integer("limits.frequencyCap.days", frequencyDays);
        CampaignRequest.Limits limits =
                new CampaignRequest.Limits(
                        count == null && days == null
                                ? null
                                : new CampaignRequest.FrequencyCap(count, days),
                        quiet,
                        parse.integer("limits.dailyCap", dailyCap),
                        null);
        Double share = parse.number("holdoutShare", holdoutShare);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new CampaignRequest(
                name,
                audience,
                share,
                new CampaignRequest.Offer(subject, html, text, blankToNull(couponCode), null),
                schedule,
                limits);
    }

    // For the template's selects and radios.
    public boolean typeAt() {
        return !typeAnchor();
    }

    public boolean typeAnchor() {
        return CampaignRequest.ANCHOR.equals(scheduleType);
    }

    public boolean lateSkip() {
        return !lateNextDay() && !lateSendNow();
    }

    public boolean lateNextDay() {
        return CampaignRequest.LATE_NEXT_DAY.equals(latePolicy);
    }

    public boolean lateSendNow() {
        return CampaignRequest.LATE_SEND_NOW.equals(latePolicy);
    }

    public boolean holidayEidAlFitr() {
        return "eid_al_fitr".equals(holiday);
    }

    public boolean holidayEidAlAdha() {
        return "eid_al_adha".equals(holiday);
    }

    public boolean holidayRamadanStart() {
        return "ramadan_start".equals(holiday);
    }

    public boolean holidayIslamicNewYear() {
        return "islamic_new_year".equals(holiday);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> list(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Parses fields, noting those that are not of their kind. */
    private record Parser(List<FieldError> errors) {
        Integer integer(String field, String value) {
            if (blankToNull(value) == null) {
                return null;
            }
            try {
                return Integer.valueOf(value.strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldError(field, "must be a whole number"));
                return null;
            }
        }

        Double number(String field, String value) {
            if (blankToNull(value) == null) {
                return null;
            }
            try {
                return Double.valueOf(value.strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldError(field, "must be a number such as 0.1"));
                return null;
            }
        }

        BigDecimal decimal(String field, String value) {
            if (blankToNull(value) == null) {
                return null;
            }
            try {
                return new BigDecimal(value.strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldError(field, "must be a number"));
                return null;
            }
        }

        LocalDate date(String field, String value) {
            if (blankToNull(value) == null) {
                return null;
            }
            try {
                return LocalDate.parse(value.strip());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(field, "must be a date such as 2026-04-06"));
                return null;
            }
        }

        LocalTime time(String field, String value) {
            if (blankToNull(value) == null) {
                return null;
            }
            try {
                return LocalTime.parse(value.strip());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(field, "must be a time such as 10:00"));
                return null;
            }
        }
    }
}
