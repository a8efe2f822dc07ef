package io.hilal.service.dashboard;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.error.FieldError;
import io.hilal.core.error.ValidationException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The campaign studio's form, field by field as the browser posts it (text, so that what the
 * marketer typed comes back unchanged with the errors), and its translation to and from the API's
 * {@link CampaignRequest}: the form covers every audience rule, the holdout, the schedule (a date;
 * an Islamic holiday, a date or one of the tenant's own dates with an offset; or each customer's
 * restock due date), at the local time or at each customer's best time, the late policy, the
 * validity (a duration or an end), quiet hours (or none), the caps and pace, and the offer.
 */
public record CampaignForm(
        String name,
        String category,
        String productIds,
        String boughtFrom,
        String boughtTo,
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
        String anchorKind,
        String holiday,
        String hijriYear,
        String anchorDate,
        String tenantDate,
        String offsetDays,
        String windowDays,
        String validFor,
        String validUntil,
        String latePolicy,
        String sendTime,
        String fixedTimeShare,
        String quietStart,
        String quietEnd,
        boolean quietOff,
        String frequencyCount,
        String frequencyDays,
        String dailyCap,
        String perSecond,
        String subject,
        String html,
        String text,
        String couponCode,
        String variants,
        String variantGoal,
        String variantSegments) {

    /** How an anchored schedule is anchored: an Islamic holiday, a date, a tenant's own date. */
    public static final String HOLIDAY = "holiday";

    public static final String ANCHOR_DATE = "date";
    public static final String TENANT_DATE = "tenantDate";

    /** How a validity end is typed: a date and time in UTC, to the minute. */
    static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

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
                "",
                "",
                "",
                "0.1",
                CampaignRequest.AT,
                today.plusDays(7).toString(),
                "10:00",
                "",
                HOLIDAY,
                "eid_al_fitr",
                "",
                "",
                "",
                "0",
                "14",
                CampaignRequest.DEFAULT_VALID_FOR,
                "",
                CampaignRequest.LATE_SKIP,
                CampaignRequest.LOCAL_TIME,
                Double.toString(CampaignRequest.DEFAULT_FIXED_TIME_SHARE),
                "21:00",
                "08:00",
                false,
                "2",
                "7",
                "",
                "",
                "",
                "<p>Hello!</p>{{{productBlock}}}",
                "Hello!\n\n{{productBlock}}",
                "",
                "",
                CampaignRequest.GOAL_CLICK,
                CampaignRequest.SEGMENTS_NONE);
    }

    /** The form of a stored campaign. */
    public static CampaignForm of(Campaign campaign) {
        CampaignRequest.Audience audience = campaign.audience();
        CampaignRequest.Schedule schedule = campaign.schedule();
        CampaignRequest.Limits limits = campaign.limits();
        CampaignRequest.QuietHours quiet = limits == null ? null : limits.quietHours();
        CampaignRequest.FrequencyCap cap = limits == null ? null : limits.frequencyCap();
        CampaignRequest.Bought bought = audience.bought();
        CampaignRequest.Anchor anchor =
                CampaignRequest.ANCHOR.equals(schedule.type()) ? schedule.anchor() : null;
        CampaignRequest.Allocation allocation = campaign.offer().allocation();
        return new CampaignForm(
                campaign.name(),
                bought == null ? "" : text(bought.category()),
                bought == null || bought.productIds() == null
                        ? ""
                        : String.join(", ", bought.productIds()),
                bought == null ? "" : text(bought.from()),
                bought == null ? "" : text(bought.to()),
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
                anchor == null
                        ? HOLIDAY
                        : anchor.date() != null
                                ? ANCHOR_DATE
                                : anchor.tenantDate() != null ? TENANT_DATE : HOLIDAY,
                anchor == null ? "eid_al_fitr" : text(anchor.holiday()),
                anchor == null ? "" : text(anchor.hijriYear()),
                anchor == null ? "" : text(anchor.date()),
                anchor == null ? "" : text(anchor.tenantDate()),
                text(schedule.offsetDays()),
                text(schedule.windowDays()),
                text(schedule.validFor()),
                schedule.validUntil() == null
                        ? ""
                        : LocalDateTime.ofInstant(schedule.validUntil(), ZoneOffset.UTC)
                                .format(MINUTES),
                schedule.latePolicy() == null ? CampaignRequest.LATE_SKIP : schedule.latePolicy(),
                schedule.bestTime() ? CampaignRequest.BEST_TIME : CampaignRequest.LOCAL_TIME,
                schedule.fixedTimeShare() == null
                        ? Double.toString(CampaignRequest.DEFAULT_FIXED_TIME_SHARE)
                        : schedule.fixedTimeShare().toString(),
                quiet == null || quiet.off() ? "" : text(quiet.start()),
                quiet == null || quiet.off() ? "" : text(quiet.end()),
                quiet != null && quiet.off(),
                cap == null ? "" : text(cap.count()),
                cap == null ? "" : text(cap.days()),
                limits == null ? "" : text(limits.dailyCap()),
                limits == null ? "" : text(limits.perSecond()),
                campaign.offer().subject(),
                campaign.offer().html(),
                campaign.offer().text(),
                text(campaign.offer().couponCode()),
                variantLines(campaign.offer().variants()),
                allocation == null ? CampaignRequest.GOAL_CLICK : allocation.goal(),
                allocation == null ? CampaignRequest.SEGMENTS_NONE : allocation.segments());
    }

    /** A variant per line: {@code name | subject | coupon code | hero row}, blanks left out. */
    static String variantLines(List<CampaignRequest.Variant> variants) {
        if (variants == null) {
            return "";
        }
        StringBuilder lines = new StringBuilder();
        for (CampaignRequest.Variant v : variants) {
            lines.append(v.name())
                    .append(" | ")
                    .append(text(v.subject()))
                    .append(" | ")
                    .append(text(v.couponCode()))
                    .append(" | ")
                    .append(text(v.heroRow()))
                    .append('\n');
        }
        return lines.toString();
    }

    /** Whether the variants' goal is an order (for the form's radio buttons). */
    public boolean goalOrder() {
        return CampaignRequest.GOAL_ORDER.equals(variantGoal);
    }

    public boolean segmentsNewReturning() {
        return CampaignRequest.SEGMENTS_NEW_RETURNING.equals(variantSegments);
    }

    public boolean segmentsLocale() {
        return CampaignRequest.SEGMENTS_LOCALE.equals(variantSegments);
    }

    /** The variants' lines as the API's variants; null when there are none. */
    static List<CampaignRequest.Variant> variants(String lines, List<FieldError> errors) {
        List<CampaignRequest.Variant> variants = new ArrayList<>();
        for (String line : (lines == null ? "" : lines).split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\\|", -1);
            if (parts.length > 4) {
                errors.add(
                        new FieldError(
                                "offer.variants",
                                "one variant per line: name | subject | coupon code | hero row"));
                return null;
            }
            variants.add(
                    new CampaignRequest.Variant(
                            blankToNull(parts[0]),
                            parts.length > 1 ? blankToNull(parts[1]) : null,
                            parts.length > 2 ? blankToNull(parts[2]) : null,
                            parts.length > 3 ? blankToNull(parts[3]) : null));
        }
        return variants.isEmpty() ? null : variants;
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
                field.apply("productIds"),
                field.apply("boughtFrom"),
                field.apply("boughtTo"),
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
                field.apply("anchorKind"),
                field.apply("holiday"),
                field.apply("hijriYear"),
                field.apply("anchorDate"),
                field.apply("tenantDate"),
                field.apply("offsetDays"),
                field.apply("windowDays"),
                field.apply("validFor"),
                field.apply("validUntil"),
                field.apply("latePolicy"),
                field.apply("sendTime"),
                field.apply("fixedTimeShare"),
                field.apply("quietStart"),
                field.apply("quietEnd"),
                "on".equals(form.getFirst("quietOff")),
                field.apply("frequencyCount"),
                field.apply("frequencyDays"),
                field.apply("dailyCap"),
                field.apply("perSecond"),
                field.apply("subject"),
                field.apply("html"),
                field.apply("text"),
                field.apply("couponCode"),
                field.apply("variants"),
                field.apply("variantGoal"),
                field.apply("variantSegments"));
    }

    /**
     * The API request this form stands for; a field that is not even of the right kind (a number, a
     * date) is refused here, everything else by the campaign service's own validation.
     */
    public CampaignRequest request() {
        List<FieldError> errors = new ArrayList<>();
        Parser parse = new Parser(errors);
        String chosenCategory = blankToNull(category);
        List<String> products = list(productIds);
        LocalDate from = parse.date("audience.bought.from", boughtFrom);
        LocalDate to = parse.date("audience.bought.to", boughtTo);
        boolean anyBought =
                chosenCategory != null || products != null || from != null || to != null;
        CampaignRequest.Audience audience =
                new CampaignRequest.Audience(
                        anyBought
                                ? new CampaignRequest.Bought(chosenCategory, products, from, to)
                                : null,
                        parse.integer(
                                "audience.lastOrderMoreThanDaysAgo", lastOrderMoreThanDaysAgo),
                        parse.integer("audience.repeatDueWithinDays", repeatDueWithinDays),
                        parse.decimal("audience.spentAtLeast", spentAtLeast),
                        list(locales),
                        list(timeZones));
        boolean anchor = CampaignRequest.ANCHOR.equals(scheduleType);
        boolean at = CampaignRequest.AT.equals(scheduleType);
        boolean repeatDue = CampaignRequest.REPEAT_DUE.equals(scheduleType);
        CampaignRequest.Anchor chosenAnchor = null;
        if (anchor) {
            chosenAnchor =
                    switch (anchorKind == null ? HOLIDAY : anchorKind) {
                        case ANCHOR_DATE ->
                                new CampaignRequest.Anchor(
                                        null,
                                        null,
                                        parse.date("schedule.anchor.date", anchorDate),
                                        null);
                        case TENANT_DATE ->
                                new CampaignRequest.Anchor(
                                        null, null, null, blankToNull(tenantDate));
                        default ->
                                new CampaignRequest.Anchor(
                                        blankToNull(holiday),
                                        parse.integer("schedule.anchor.hijriYear", hijriYear),
                                        null,
                                        null);
                    };
        }
        String until = blankToNull(validUntil);
        boolean bestTime = CampaignRequest.BEST_TIME.equals(blankToNull(sendTime));
        CampaignRequest.Schedule schedule =
                new CampaignRequest.Schedule(
                        blankToNull(scheduleType),
                        at ? parse.date("schedule.date", date) : null,
                        parse.time("schedule.localTime", localTime),
                        blankToNull(timeZone),
                        chosenAnchor,
                        anchor ? parse.integer("schedule.offsetDays", offsetDays) : null,
                        repeatDue ? parse.integer("schedule.windowDays", windowDays) : null,
                        until == null ? blankToNull(validFor) : null,
                        until == null ? null : parse.instant("schedule.validUntil", until),
                        blankToNull(latePolicy),
                        bestTime ? CampaignRequest.BEST_TIME : null,
                        bestTime ? parse.number("schedule.fixedTimeShare", fixedTimeShare) : null);
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
                        parse.number("limits.perSecond", perSecond));
        Double share = parse.number("holdoutShare", holdoutShare);
        List<CampaignRequest.Variant> offerVariants = variants(variants, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new CampaignRequest(
                name,
                audience,
                share,
                new CampaignRequest.Offer(
                        subject,
                        html,
                        text,
                        blankToNull(couponCode),
                        null,
                        null,
                        offerVariants,
                        offerVariants == null
                                ? null
                                : new CampaignRequest.Allocation(
                                        blankToNull(variantGoal),
                                        null,
                                        blankToNull(variantSegments),
                                        null,
                                        null)),
                schedule,
                limits);
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

        Instant instant(String field, String value) {
            try {
                return LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                errors.add(
                        new FieldError(
                                field, "must be a UTC date and time such as 2026-04-10T23:59"));
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
