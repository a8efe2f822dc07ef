package io.hilal.sdk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * A campaign as Hilal stores it: its definition with every default filled in (the audience rules,
 * the offer, the schedule, the limits and the holdout share) and where it stands. Only a {@code
 * draft} can be changed or launched; launching plans one send per customer of the audience and
 * makes it {@code scheduled}. Null-safety: every component is set except {@code launchedAt} before
 * the launch; in the nested records a rule, option or limit that does not apply is null, as their
 * Javadoc says.
 *
 * @param id Hilal's id for the campaign, {@code cmp_…}
 * @param name the campaign's name
 * @param status {@code draft}, {@code scheduled}, {@code paused}, {@code completed} or {@code
 *     cancelled}
 * @param holdoutShare the share of the audience held out to measure lift, 0 to 0.5
 * @param audience who gets it
 * @param offer what they get
 * @param schedule when they get it
 * @param limits how often and how fast
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param launchedAt when it was launched, or null
 * @param launch in the answer to a launch only: what the launch planned, else null
 */
public record Campaign(
        String id,
        String name,
        String status,
        double holdoutShare,
        Audience audience,
        Offer offer,
        Schedule schedule,
        Limits limits,
        Instant createdAt,
        Instant updatedAt,
        Instant launchedAt,
        Launch launch) {

    /**
     * What a launch planned.
     *
     * @param planned sends planned to go out
     * @param heldOut customers held out
     * @param firstSendAt the first planned send, or null
     * @param late the sends whose time had already passed, and what the late policy did
     */
    public record Launch(int planned, int heldOut, Instant firstSendAt, Lateness late) {}

    /**
     * Sends whose time had already passed when planned.
     *
     * @param policy the campaign's late policy: {@code skip}, {@code next_day} or {@code send_now}
     * @param passed how many had passed
     * @param moved how many were moved (to the next day, or now)
     * @param skipped how many will not go out
     */
    public record Lateness(String policy, int passed, int moved, int skipped) {}

    /** The status of a campaign that can still be changed. */
    public static final String DRAFT = "draft";

    /** The status of a launched campaign whose sends are planned. */
    public static final String SCHEDULED = "scheduled";

    /** The status of a launched campaign whose sends wait. */
    public static final String PAUSED = "paused";

    /** The status of a campaign whose every send reached a final state. */
    public static final String COMPLETED = "completed";

    /** The status of a cancelled campaign; what had not gone out expired. */
    public static final String CANCELLED = "cancelled";

    /**
     * Rules over customers and their purchase history, all of which must hold. Whatever the rules,
     * only customers with an email address, granted consent and no suppression are included. A null
     * rule does not apply.
     *
     * @param bought bought a category or products between dates
     * @param lastOrderMoreThanDaysAgo last ordered more than this many days ago (0 to 3,650)
     * @param repeatDueWithinDays their repeat purchase is due within this many days (1 to 365)
     * @param spentAtLeast spent at least this much
     * @param locales locale prefixes ({@code ar} matches {@code ar-SA}), 1 to 50
     * @param timeZones IANA time zones, 1 to 50
     */
    public record Audience(
            Bought bought,
            Integer lastOrderMoreThanDaysAgo,
            Integer repeatDueWithinDays,
            BigDecimal spentAtLeast,
            List<String> locales,
            List<String> timeZones) {}

    /**
     * Bought something of a category (at any level of the category path) or one of some products,
     * between dates.
     *
     * @param category a category name, or null
     * @param productIds up to 100 product ids, or null
     * @param from the first day counted, or null
     * @param to the last day counted, or null
     */
    public record Bought(String category, List<String> productIds, LocalDate from, LocalDate to) {}

    /**
     * The email: a subject, Mustache HTML and text templates, an optional coupon and the block of
     * recommended products. Templates see {@code customer.id}, {@code couponCode}, {@code
     * unsubscribeUrl}, {@code rows}, {@code products} and a ready {@code productBlock}.
     *
     * @param subject the subject line (a template)
     * @param html the HTML body template
     * @param text the plain-text body template
     * @param couponCode a coupon code, or null
     * @param products the product block
     */
    public record Offer(
            String subject, String html, String text, String couponCode, ProductBlock products) {}

    /**
     * Which recommendations the email shows.
     *
     * @param context {@code email}, {@code home} or {@code cart} (default {@code email})
     * @param rows rows of the customer's recommendations, 1 to 5 (default 2)
     * @param perRow products per row, 1 to 12 (default 4)
     */
    public record ProductBlock(String context, Integer rows, Integer perRow) {}

    /**
     * When each customer's email goes out: {@code at} a local date and time, relative to a calendar
     * {@code anchor}, or when the customer's repeat purchase is due ({@code repeat_due}, within
     * {@code windowDays} of the launch). Times are the customer's local time unless {@code
     * timeZone} fixes one. Each send stays valid for {@code validFor} or until {@code validUntil},
     * and expires rather than going out late.
     *
     * @param type {@code at}, {@code anchor} or {@code repeat_due}
     * @param date the day, for {@code at}; else null
     * @param localTime the time of day (minutes precision)
     * @param timeZone an IANA time zone for everyone, or null for each customer's own
     * @param anchor the calendar anchor, for {@code anchor}; else null
     * @param offsetDays days after (or before, negative) the anchor; null without one
     * @param windowDays for {@code repeat_due}: how many days after the launch count; else null
     * @param validFor an ISO-8601 duration such as {@code P2D}, PT5M to P90D, or null with {@code
     *     validUntil}
     * @param validUntil a fixed end instead of {@code validFor}, or null
     * @param latePolicy what a launch does with a send whose time has passed: {@code skip} (the
     *     default), {@code next_day} or {@code send_now}
     */
    public record Schedule(
            String type,
            LocalDate date,
            LocalTime localTime,
            String timeZone,
            Anchor anchor,
            Integer offsetDays,
            Integer windowDays,
            String validFor,
            Instant validUntil,
            String latePolicy) {

        /** The type of a schedule at a local date and time. */
        public static final String AT = "at";

        /** The type of a schedule relative to a calendar anchor. */
        public static final String ANCHOR = "anchor";

        /** The type of a schedule on each customer's repeat-purchase due day. */
        public static final String REPEAT_DUE = "repeat_due";
    }

    /**
     * A calendar anchor: exactly one of an Islamic holiday (the next occurrence, or in {@code
     * hijriYear}), a Gregorian date, or one of the tenant's own calendar dates.
     *
     * @param holiday {@code ramadan_start}, {@code eid_al_fitr}, {@code eid_al_adha} or {@code
     *     islamic_new_year}
     * @param hijriYear the Hijri year of the holiday, or null for the next one
     * @param date a Gregorian date
     * @param tenantDate the name of one of the tenant's calendar dates
     */
    public record Anchor(String holiday, Integer hijriYear, LocalDate date, String tenantDate) {
        /**
         * An Islamic holiday's next occurrence.
         *
         * @param holiday e.g. {@code eid_al_fitr}
         * @return the anchor
         */
        public static Anchor holiday(String holiday) {
            return new Anchor(holiday, null, null, null);
        }

        /**
         * A Gregorian date.
         *
         * @param date the date
         * @return the anchor
         */
        public static Anchor date(LocalDate date) {
            return new Anchor(null, null, date, null);
        }

        /**
         * One of the tenant's own calendar dates ({@code PUT /v1/calendar-dates/{name}}).
         *
         * @param name the date's name
         * @return the anchor
         */
        public static Anchor tenantDate(String name) {
            return new Anchor(null, null, null, name);
        }
    }

    /**
     * Per-customer and per-tenant sending limits.
     *
     * @param frequencyCap at most so many campaign emails to a customer in so many days (default 2
     *     in 7)
     * @param quietHours no email in these local hours (default 21:00 to 08:00)
     * @param dailyCap the most sends a day, or null
     * @param perSecond the most sends a second, or null
     */
    public record Limits(
            FrequencyCap frequencyCap, QuietHours quietHours, Integer dailyCap, Double perSecond) {}

    /**
     * At most {@code count} campaign emails to one customer in any {@code days} days; a capped send
     * is deferred inside its validity, not dropped.
     *
     * @param count 1 to 100
     * @param days 1 to 365
     */
    public record FrequencyCap(Integer count, Integer days) {}

    /**
     * No email between {@code start} and {@code end}, customer-local time (may span midnight), or
     * {@link #OFF}, written {@code "off"}: none at all.
     *
     * @param start the first quiet minute
     * @param end the end of the quiet hours
     */
    @JsonSerialize(using = QuietHoursOff.class)
    public record QuietHours(LocalTime start, LocalTime end) {
        /** No quiet hours. */
        public static final QuietHours OFF = new QuietHours(null, null);

        /** {@code "off"} on the wire. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static QuietHours of(String value) {
            if (!"off".equals(value)) {
                throw new IllegalArgumentException("quiet hours are an object or \"off\"");
            }
            return OFF;
        }

        /**
         * The properties form, {@code {"start": "21:00", "end": "08:00"}}.
         *
         * @param start the first quiet minute
         * @param end the end of the quiet hours
         */
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public QuietHours(
                @JsonProperty("start") LocalTime start, @JsonProperty("end") LocalTime end) {
            this.start = start;
            this.end = end;
        }
    }

    /** Writes {@link QuietHours#OFF} as {@code "off"}, other quiet hours as an object. */
    static final class QuietHoursOff extends JsonSerializer<QuietHours> {
        @Override
        public void serialize(QuietHours quiet, JsonGenerator json, SerializerProvider provider)
                throws IOException {
            if (quiet.start() == null && quiet.end() == null) {
                json.writeString("off");
                return;
            }
            json.writeStartObject();
            provider.defaultSerializeField("start", quiet.start(), json);
            provider.defaultSerializeField("end", quiet.end(), json);
            json.writeEndObject();
        }
    }
}
