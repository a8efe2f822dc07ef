package io.hilal.sdk;

import io.hilal.sdk.model.Campaign;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;

/**
 * A campaign's definition for {@link HilalClient#createCampaign} and {@link
 * HilalClient#updateCampaign}: who (audience rules), what (the offer's templates, coupon and
 * product block), when (the schedule and how long each send stays valid), how often (limits), and
 * how many to hold out to measure lift. What you leave out gets Hilal's default (10% holdout, two
 * rows of four products, valid for two days, at most two campaign emails in seven days, quiet from
 * 21:00 to 08:00), and the stored campaign shows it.
 *
 * <pre>{@code
 * CampaignParams eid = CampaignParams.builder("Eid restock")
 *         .audience(CampaignParams.audienceBuilder().boughtCategory("Dates", null, null)
 *                 .repeatDueWithinDays(30).build())
 *         .offer("Eid Mubarak!", "<p>Eid Mubarak!</p>{{{productBlock}}}", "Eid Mubarak!")
 *         .scheduleAnchor(Campaign.Anchor.holiday("eid_al_fitr"), 7, LocalTime.of(10, 0))
 *         .validFor(Duration.ofDays(3))
 *         .build();
 * }</pre>
 *
 * @param name the campaign's name (1 to 200 characters)
 * @param audience the audience rules, or null for everyone who can be emailed
 * @param holdoutShare the share held out, 0 to 0.5, or null for 10%
 * @param offer the email
 * @param schedule when it goes out
 * @param limits sending limits, or null for the defaults
 */
public record CampaignParams(
        String name,
        Campaign.Audience audience,
        Double holdoutShare,
        Campaign.Offer offer,
        Campaign.Schedule schedule,
        Campaign.Limits limits) {

    /**
     * A builder for a campaign called {@code name}.
     *
     * @param name the campaign's name
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A builder of audience rules (all must hold).
     *
     * @return the builder
     */
    public static AudienceBuilder audienceBuilder() {
        return new AudienceBuilder();
    }

    /** Builds {@link CampaignParams}. */
    public static final class Builder {
        private final String name;
        private Campaign.Audience audience;
        private Double holdoutShare;
        private String subject;
        private String html;
        private String text;
        private String couponCode;
        private Campaign.ProductBlock products;
        private String scheduleType;
        private LocalDate date;
        private LocalTime localTime;
        private String timeZone;
        private Campaign.Anchor anchor;
        private Integer offsetDays;
        private Integer windowDays;
        private String validFor;
        private String latePolicy;
        private Instant validUntil;
        private Campaign.FrequencyCap frequencyCap;
        private Campaign.QuietHours quietHours;
        private Integer dailyCap;
        private Double perSecond;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Who gets the campaign; see {@link CampaignParams#audienceBuilder()}.
         *
         * @param audience the rules
         * @return this builder
         */
        public Builder audience(Campaign.Audience audience) {
            this.audience = audience;
            return this;
        }

        /**
         * The share of the audience held out (never emailed) to measure lift; default 0.10.
         *
         * @param share 0 to 0.5
         * @return this builder
         */
        public Builder holdoutShare(double share) {
            this.holdoutShare = share;
            return this;
        }

        /**
         * The email's Mustache templates. Templates see {@code customer.id}, {@code couponCode},
         * {@code unsubscribeUrl}, {@code rows}, {@code products} and a ready {@code productBlock}.
         *
         * @param subject the subject line
         * @param html the HTML body
         * @param text the plain-text body
         * @return this builder
         */
        public Builder offer(String subject, String html, String text) {
            this.subject = subject;
            this.html = html;
            this.text = text;
            return this;
        }

        /**
         * A coupon code the templates can show as {@code couponCode}.
         *
         * @param code at most 64 characters
         * @return this builder
         */
        public Builder couponCode(String code) {
            this.couponCode = code;
            return this;
        }

        /**
         * Which recommendations the email's product block shows; a null option keeps Hilal's
         * default ({@code email}, 2 rows, 4 per row).
         *
         * @param context {@code email}, {@code home} or {@code cart}
         * @param rows 1 to 5
         * @param perRow 1 to 12
         * @return this builder
         */
        public Builder products(String context, Integer rows, Integer perRow) {
            this.products = new Campaign.ProductBlock(context, rows, perRow);
            return this;
        }

        /**
         * Send on a date at a local time.
         *
         * @param date the day
         * @param localTime the time of day, in each customer's time zone unless {@link #timeZone}
         * @return this builder
         */
        public Builder scheduleAt(LocalDate date, LocalTime localTime) {
            this.scheduleType = Campaign.Schedule.AT;
            this.date = Objects.requireNonNull(date, "date");
            this.localTime = Objects.requireNonNull(localTime, "localTime");
            return this;
        }

        /**
         * Send relative to a calendar anchor, e.g. Eid al-Fitr + 7 days at 10:00.
         *
         * @param anchor the holiday, date or tenant date
         * @param offsetDays days after the anchor (negative: before), -365 to 365
         * @param localTime the time of day
         * @return this builder
         */
        public Builder scheduleAnchor(Campaign.Anchor anchor, int offsetDays, LocalTime localTime) {
            this.scheduleType = Campaign.Schedule.ANCHOR;
            this.anchor = Objects.requireNonNull(anchor, "anchor");
            this.offsetDays = offsetDays;
            this.localTime = Objects.requireNonNull(localTime, "localTime");
            return this;
        }

        /**
         * Send each customer on the day their repeat purchase is due, if within {@code windowDays}
         * of the launch.
         *
         * @param windowDays 1 to 90
         * @param localTime the time of day
         * @return this builder
         */
        public Builder scheduleRepeatDue(int windowDays, LocalTime localTime) {
            this.scheduleType = Campaign.Schedule.REPEAT_DUE;
            this.windowDays = windowDays;
            this.localTime = Objects.requireNonNull(localTime, "localTime");
            return this;
        }

        /**
         * One time zone for everyone instead of each customer's own.
         *
         * @param timeZone an IANA time zone such as {@code Asia/Riyadh}
         * @return this builder
         */
        public Builder timeZone(String timeZone) {
            this.timeZone = timeZone;
            return this;
        }

        /**
         * What a launch does with a send whose time has already passed: {@code skip} (the default),
         * {@code next_day} (the same local time the next day) or {@code send_now}.
         *
         * @param latePolicy the policy
         * @return this builder
         */
        public Builder latePolicy(String latePolicy) {
            this.latePolicy = latePolicy;
            return this;
        }

        /**
         * How long each send stays valid after its planned time (default two days); a send that
         * cannot go out in time expires.
         *
         * @param validity 5 minutes to 90 days
         * @return this builder
         */
        public Builder validFor(Duration validity) {
            Objects.requireNonNull(validity, "validity");
            this.validFor =
                    validity.toSeconds() % 86_400 == 0 && validity.toNanosPart() == 0
                            ? "P" + validity.toDays() + "D"
                            : validity.toString();
            this.validUntil = null;
            return this;
        }

        /**
         * A fixed end for every send instead of {@link #validFor}.
         *
         * @param until the end
         * @return this builder
         */
        public Builder validUntil(Instant until) {
            this.validUntil = until;
            this.validFor = null;
            return this;
        }

        /**
         * At most {@code count} campaign emails to one customer in any {@code days} days (default 2
         * in 7), across campaigns.
         *
         * @param count 1 to 100
         * @param days 1 to 365
         * @return this builder
         */
        public Builder frequencyCap(int count, int days) {
            this.frequencyCap = new Campaign.FrequencyCap(count, days);
            return this;
        }

        /**
         * No email between these local times (default 21:00 to 08:00); sends then are deferred.
         *
         * @param start the start
         * @param end the end, which may be after midnight
         * @return this builder
         */
        public Builder quietHours(LocalTime start, LocalTime end) {
            this.quietHours = new Campaign.QuietHours(start, end);
            return this;
        }

        /**
         * The most sends of this campaign a day.
         *
         * @param sends 1 to 100,000,000
         * @return this builder
         */
        public Builder dailyCap(int sends) {
            this.dailyCap = sends;
            return this;
        }

        /**
         * The most sends of this campaign a second.
         *
         * @param sends 0.1 to 100,000
         * @return this builder
         */
        public Builder perSecond(double sends) {
            this.perSecond = sends;
            return this;
        }

        /**
         * The params.
         *
         * @return the definition
         */
        public CampaignParams build() {
            Campaign.Offer offer =
                    subject == null && html == null && text == null
                            ? null
                            : new Campaign.Offer(subject, html, text, couponCode, products);
            Campaign.Schedule schedule =
                    scheduleType == null
                            ? null
                            : new Campaign.Schedule(
                                    scheduleType,
                                    date,
                                    localTime,
                                    timeZone,
                                    anchor,
                                    offsetDays,
                                    windowDays,
                                    validFor,
                                    validUntil,
                                    latePolicy);
            Campaign.Limits limits =
                    frequencyCap == null
                                    && quietHours == null
                                    && dailyCap == null
                                    && perSecond == null
                            ? null
                            : new Campaign.Limits(frequencyCap, quietHours, dailyCap, perSecond);
            return new CampaignParams(name, audience, holdoutShare, offer, schedule, limits);
        }
    }

    /** Builds a {@link Campaign.Audience}; a rule left unset does not apply. */
    public static final class AudienceBuilder {
        private Campaign.Bought bought;
        private Integer lastOrderMoreThanDaysAgo;
        private Integer repeatDueWithinDays;
        private BigDecimal spentAtLeast;
        private List<String> locales;
        private List<String> timeZones;

        private AudienceBuilder() {}

        /**
         * Bought something of a category (at any level of the category path) between dates.
         *
         * @param category the category's name
         * @param from the first day counted, or null
         * @param to the last day counted, or null
         * @return this builder
         */
        public AudienceBuilder boughtCategory(String category, LocalDate from, LocalDate to) {
            this.bought = new Campaign.Bought(category, null, from, to);
            return this;
        }

        /**
         * Bought one of these products between dates.
         *
         * @param productIds up to 100 product ids
         * @param from the first day counted, or null
         * @param to the last day counted, or null
         * @return this builder
         */
        public AudienceBuilder boughtProducts(
                List<String> productIds, LocalDate from, LocalDate to) {
            this.bought = new Campaign.Bought(null, List.copyOf(productIds), from, to);
            return this;
        }

        /**
         * Last ordered more than this many days ago (win-back).
         *
         * @param days 0 to 3,650
         * @return this builder
         */
        public AudienceBuilder lastOrderMoreThanDaysAgo(int days) {
            this.lastOrderMoreThanDaysAgo = days;
            return this;
        }

        /**
         * Their repeat purchase is due within this many days, by the repeat-purchase model.
         *
         * @param days 1 to 365
         * @return this builder
         */
        public AudienceBuilder repeatDueWithinDays(int days) {
            this.repeatDueWithinDays = days;
            return this;
        }

        /**
         * Spent at least this much in total.
         *
         * @param amount not negative
         * @return this builder
         */
        public AudienceBuilder spentAtLeast(BigDecimal amount) {
            this.spentAtLeast = amount;
            return this;
        }

        /**
         * Their locale starts with one of these ({@code ar} matches {@code ar-SA}).
         *
         * @param locales 1 to 50 BCP 47 tags or prefixes
         * @return this builder
         */
        public AudienceBuilder locales(String... locales) {
            this.locales = List.of(locales);
            return this;
        }

        /**
         * They live in one of these time zones.
         *
         * @param timeZones 1 to 50 IANA time zones
         * @return this builder
         */
        public AudienceBuilder timeZones(String... timeZones) {
            this.timeZones = List.of(timeZones);
            return this;
        }

        /**
         * The audience.
         *
         * @return the rules
         */
        public Campaign.Audience build() {
            return new Campaign.Audience(
                    bought,
                    lastOrderMoreThanDaysAgo,
                    repeatDueWithinDays,
                    spentAtLeast,
                    locales,
                    timeZones);
        }
    }
}
