package io.hilal.core.campaigns;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.hilal.core.error.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a merchant writes to create or change a campaign: who (audience rules), what (the offer's
 * templates and product block), when (the schedule and how long each send stays valid), how often
 * (limits), and how many to hold out. {@link #withDefaults()} fills what was left out, so the
 * stored definition says everything that will happen.
 */
public record CampaignRequest(
        String name,
        Audience audience,
        Double holdoutShare,
        Offer offer,
        Schedule schedule,
        Limits limits) {

    public static final double DEFAULT_HOLDOUT_SHARE = 0.10;
    public static final String DEFAULT_VALID_FOR = "P2D";
    public static final String DEFAULT_ALLOCATION_WINDOW = "PT24H";
    public static final int DEFAULT_MIN_PER_SEGMENT = 200;
    public static final double DEFAULT_MIN_SHARE = 0.05;

    /**
     * Rules over customers and their purchase history, all of which must hold. Whatever the rules,
     * only customers with an email address, granted email consent and no suppression are included.
     */
    public record Audience(
            Bought bought,
            Integer lastOrderMoreThanDaysAgo,
            Integer repeatDueWithinDays,
            BigDecimal spentAtLeast,
            List<String> locales,
            List<String> timeZones) {}

    /** Bought something of a category (at any level) or one of some products, between dates. */
    public record Bought(String category, List<String> productIds, LocalDate from, LocalDate to) {}

    /**
     * Subject, Mustache HTML and text templates, an optional coupon and the product block; optional
     * {@code variants} of it that the sender allocates by Thompson sampling ({@code allocation}).
     */
    public record Offer(
            String subject,
            String html,
            String text,
            String couponCode,
            ProductBlock products,
            Map<String, LocaleVariant> locales,
            List<Variant> variants,
            Allocation allocation) {
        /** An offer without variants, maybe with languages. */
        public Offer(
                String subject,
                String html,
                String text,
                String couponCode,
                ProductBlock products,
                Map<String, LocaleVariant> locales) {
            this(subject, html, text, couponCode, products, locales, null, null);
        }

        /** An offer in one language for everyone. */
        public Offer(
                String subject,
                String html,
                String text,
                String couponCode,
                ProductBlock products) {
            this(subject, html, text, couponCode, products, null);
        }
    }

    /**
     * The offer for customers whose locale is this language (a key such as {@code ar}) or this
     * language and region ({@code ar-SA}, preferred over {@code ar}); a part left out is the main
     * offer's.
     */
    public record LocaleVariant(String subject, String html, String text) {}

    /**
     * How many rows of the customer's recommendations, and products per row, the email shows;
     * {@code lead} names the row to put first when the customer has it (one of {@link #ROW_IDS}).
     */
    public record ProductBlock(String context, Integer rows, Integer perRow, String lead) {
        public ProductBlock(String context, Integer rows, Integer perRow) {
            this(context, rows, perRow, null);
        }
    }

    /** The rows an email can lead with ({@link ProductBlock#lead}, {@link Variant#heroRow}). */
    public static final List<String> ROW_IDS =
            List.of(
                    "time-to-restock",
                    "picked-for-you",
                    "new-for-you",
                    "because-you-bought",
                    "because-you-viewed",
                    "complete-your-cart",
                    "popular-in-category",
                    "trending",
                    "popular");

    /**
     * One variant of the offer: a {@code name} (what the ledger and the reports call it) and what
     * it changes, each optional: the subject (a Mustache template, in place of the main subject; a
     * language's own subject in {@code locales} still wins for that language), the coupon, and the
     * hero row (the recommendation row the email leads with).
     */
    public record Variant(String name, String subject, String couponCode, String heroRow) {}

    /**
     * How the sender allocates variants among the treated (the holdout is decided before and never
     * changes share): Thompson sampling on the share of sends with a {@code goal} ({@code click} on
     * the email, or an {@code order}) within {@code window} (an ISO-8601 duration) after the send,
     * each variant keeping at least {@code minShare} of the sends. With {@code segments} {@code
     * new_returning} (customers without or with an earlier order) or {@code locale} (the customer's
     * language), a segment is allocated on its own figures once each variant has at least {@code
     * minPerSegment} measured sends in it; before, on the pooled figures.
     */
    public record Allocation(
            String goal, String window, String segments, Integer minPerSegment, Double minShare) {}

    public static final String GOAL_CLICK = "click";
    public static final String GOAL_ORDER = "order";
    public static final String SEGMENTS_NONE = "none";
    public static final String SEGMENTS_NEW_RETURNING = "new_returning";
    public static final String SEGMENTS_LOCALE = "locale";
    public static final int MAX_VARIANTS = 5;

    /**
     * When each customer's email goes out: {@code at} a local date and time, relative to a calendar
     * {@code anchor} ("Eid al-Fitr + 7 days at 10:00"), or when the customer's repeat purchase is
     * due ({@code repeat_due}, within {@code windowDays} of the launch). Times are the customer's
     * local time unless {@code timeZone} fixes one. Each send stays valid for {@code validFor} (an
     * ISO-8601 duration) or until {@code validUntil}, and expires rather than going out late.
     * {@code sendTime} {@code best_time} sends on the schedule's day at each customer's best local
     * hour ({@link BestHours}) instead of {@code localTime}, except for a random {@code
     * fixedTimeShare} of customers kept at {@code localTime}, so that the campaign measures whether
     * the best time helped ({@link SendTimeArms}).
     */
    public record Schedule(
            String type,
            LocalDate date,
            @JsonFormat(pattern = "HH:mm") LocalTime localTime,
            String timeZone,
            Anchor anchor,
            Integer offsetDays,
            Integer windowDays,
            String validFor,
            Instant validUntil,
            String latePolicy,
            String sendTime,
            Double fixedTimeShare) {
        /** A schedule at its local time, with a late policy. */
        public Schedule(
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
            this(
                    type,
                    date,
                    localTime,
                    timeZone,
                    anchor,
                    offsetDays,
                    windowDays,
                    validFor,
                    validUntil,
                    latePolicy,
                    null,
                    null);
        }

        /** Whether each customer gets their best hour rather than the local time. */
        @JsonIgnore
        public boolean bestTime() {
            return BEST_TIME.equals(sendTime);
        }

        /** A schedule with the default late policy. */
        public Schedule(
                String type,
                LocalDate date,
                LocalTime localTime,
                String timeZone,
                Anchor anchor,
                Integer offsetDays,
                Integer windowDays,
                String validFor,
                Instant validUntil) {
            this(
                    type,
                    date,
                    localTime,
                    timeZone,
                    anchor,
                    offsetDays,
                    windowDays,
                    validFor,
                    validUntil,
                    null);
        }
    }

    /**
     * What happens at launch to a customer whose send time has already passed: {@code skip} (no
     * email, the default: an offer hours late is worse than none), {@code next_day} (the same local
     * time the next day) or {@code send_now}. Either way a send never goes out after its validity
     * ends.
     */
    public static final String LATE_SKIP = "skip";

    public static final String LATE_NEXT_DAY = "next_day";
    public static final String LATE_SEND_NOW = "send_now";

    /** Send times: the schedule's local time (the default), or each customer's best hour. */
    public static final String LOCAL_TIME = "local_time";

    public static final String BEST_TIME = "best_time";

    /** The share of a best-time campaign's customers kept at the local time, to compare. */
    public static final double DEFAULT_FIXED_TIME_SHARE = 0.2;

    /**
     * A calendar anchor: an Islamic holiday (next occurrence, or in {@code hijriYear}), a Gregorian
     * date, or one of the tenant's own calendar dates.
     */
    public record Anchor(String holiday, Integer hijriYear, LocalDate date, String tenantDate) {}

    /** Per-customer and per-tenant sending limits. */
    public record Limits(
            FrequencyCap frequencyCap, QuietHours quietHours, Integer dailyCap, Double perSecond) {}

    /** At most {@code count} campaign emails to one customer in any {@code days} days. */
    public record FrequencyCap(Integer count, Integer days) {}

    /**
     * No email between {@code start} and {@code end}, customer-local time (may span midnight), or
     * {@link #OFF}: none at all. On the wire, {@code "off"} or {@code null} turns them off; an
     * omitted value keeps the default (see {@link QuietHoursJson}).
     */
    @JsonSerialize(using = QuietHoursJson.Writer.class)
    @JsonDeserialize(using = QuietHoursJson.Reader.class)
    public record QuietHours(LocalTime start, LocalTime end) {
        /** No quiet hours. Compared by identity: {@code {}} is not "off" but incomplete. */
        public static final QuietHours OFF = new QuietHours(null, null);

        /** Whether these are the explicit "no quiet hours". */
        @JsonIgnore
        public boolean off() {
            return this == OFF;
        }
    }

    /** Schedule types. */
    public static final String AT = "at";

    public static final String ANCHOR = "anchor";
    public static final String REPEAT_DUE = "repeat_due";

    /** Every rule this request breaks, with the field it is about. */
    public Checks validate() {
        Checks checks = new Checks();
        checks.required("name", name).maxLength("name", name, 200);
        if (holdoutShare != null && (holdoutShare < 0 || holdoutShare > 0.5)) {
            checks.fail("holdoutShare", "must be between 0 and 0.5");
        }
        if (audience != null) {
            validateAudience(checks, audience);
        }
        if (offer == null) {
            checks.fail("offer", "is required");
        } else {
            validateOffer(checks, offer);
        }
        if (schedule == null) {
            checks.fail("schedule", "is required");
        } else {
            validateSchedule(checks, schedule);
        }
        if (limits != null) {
            validateLimits(checks, limits);
        }
        return checks;
    }

    private static void validateAudience(Checks checks, Audience audience) {
        Bought bought = audience.bought();
        if (bought != null) {
            boolean hasProducts = bought.productIds() != null && !bought.productIds().isEmpty();
            if (bought.category() == null && !hasProducts) {
                checks.fail("audience.bought", "needs a category or productIds");
            }
            checks.maxLength("audience.bought.category", bought.category(), 200);
            if (bought.productIds() != null) {
                if (bought.productIds().size() > 100) {
                    checks.fail("audience.bought.productIds", "must hold at most 100 ids");
                }
                for (int i = 0; i < bought.productIds().size(); i++) {
                    checks.id(
                            "audience.bought.productIds[" + i + "]",
                            bought.productIds().get(i),
                            true);
                }
            }
            if (bought.from() != null
                    && bought.to() != null
                    && bought.to().isBefore(bought.from())) {
                checks.fail("audience.bought.to", "must not be before from");
            }
        }
        range(
                checks,
                "audience.lastOrderMoreThanDaysAgo",
                audience.lastOrderMoreThanDaysAgo(),
                0,
                3650);
        range(checks, "audience.repeatDueWithinDays", audience.repeatDueWithinDays(), 1, 365);
        checks.nonNegative("audience.spentAtLeast", audience.spentAtLeast());
        list(checks, "audience.locales", audience.locales());
        if (audience.locales() != null) {
            for (int i = 0; i < audience.locales().size(); i++) {
                checks.locale("audience.locales[" + i + "]", audience.locales().get(i));
            }
        }
        list(checks, "audience.timeZones", audience.timeZones());
        if (audience.timeZones() != null) {
            for (int i = 0; i < audience.timeZones().size(); i++) {
                checks.timeZone("audience.timeZones[" + i + "]", audience.timeZones().get(i));
            }
        }
    }

    private static void list(Checks checks, String field, List<String> values) {
        if (values != null && (values.size() > 50 || values.contains(null))) {
            checks.fail(field, "must hold 1 to 50 values, none null");
        }
    }

    private static void validateOffer(Checks checks, Offer offer) {
        checks.required("offer.subject", offer.subject())
                .maxLength("offer.subject", offer.subject(), 300)
                .required("offer.html", offer.html())
                .maxLength("offer.html", offer.html(), 200_000)
                .required("offer.text", offer.text())
                .maxLength("offer.text", offer.text(), 100_000)
                .maxLength("offer.couponCode", offer.couponCode(), 64);
        OfferRenderer.checkTemplates(checks, offer);
        if (offer.locales() != null) {
            if (offer.locales().size() > 30) {
                checks.fail("offer.locales", "must hold at most 30 languages");
            }
            for (Map.Entry<String, LocaleVariant> variant : offer.locales().entrySet()) {
                String field = "offer.locales." + variant.getKey();
                if (!OfferRenderer.isLanguageTag(variant.getKey())) {
                    checks.fail(field, "must be a language tag such as ar or ar-SA");
                }
                LocaleVariant v = variant.getValue();
                if (v == null) {
                    checks.fail(field, "is required");
                    continue;
                }
                checks.maxLength(field + ".subject", v.subject(), 300)
                        .maxLength(field + ".html", v.html(), 200_000)
                        .maxLength(field + ".text", v.text(), 100_000);
            }
        }
        ProductBlock products = offer.products();
        if (products != null) {
            if (products.context() != null && !products.context().matches("email|home|cart")) {
                checks.fail("offer.products.context", "must be email, home or cart");
            }
            range(checks, "offer.products.rows", products.rows(), 1, 5);
            range(checks, "offer.products.perRow", products.perRow(), 1, 12);
            heroRow(checks, "offer.products.lead", products.lead());
        }
        validateVariants(checks, offer);
    }

    private static void heroRow(Checks checks, String field, String row) {
        if (row != null && !ROW_IDS.contains(row)) {
            checks.fail(field, "must be one of " + String.join(", ", ROW_IDS));
        }
    }

    private static void validateVariants(Checks checks, Offer offer) {
        List<Variant> variants = offer.variants();
        if (variants == null) {
            if (offer.allocation() != null) {
                checks.fail("offer.allocation", "only goes with variants");
            }
            return;
        }
        if (variants.size() < 2 || variants.size() > MAX_VARIANTS) {
            checks.fail("offer.variants", "must hold 2 to " + MAX_VARIANTS + " variants");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < variants.size(); i++) {
            String field = "offer.variants[" + i + "]";
            Variant variant = variants.get(i);
            if (variant == null) {
                checks.fail(field, "is required");
                continue;
            }
            if (variant.name() == null || !variant.name().matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                checks.fail(field + ".name", "must be 1 to 32 of a-z, 0-9, '-' and '_'");
            } else if (!names.add(variant.name())) {
                checks.fail(field + ".name", "is used by another variant");
            }
            checks.maxLength(field + ".subject", variant.subject(), 300)
                    .maxLength(field + ".couponCode", variant.couponCode(), 64);
            heroRow(checks, field + ".heroRow", variant.heroRow());
        }
        Allocation allocation = offer.allocation();
        if (allocation == null) {
            return;
        }
        if (allocation.goal() != null
                && !List.of(GOAL_CLICK, GOAL_ORDER).contains(allocation.goal())) {
            checks.fail("offer.allocation.goal", "must be click or order");
        }
        if (allocation.segments() != null
                && !List.of(SEGMENTS_NONE, SEGMENTS_NEW_RETURNING, SEGMENTS_LOCALE)
                        .contains(allocation.segments())) {
            checks.fail("offer.allocation.segments", "must be none, new_returning or locale");
        }
        range(checks, "offer.allocation.minPerSegment", allocation.minPerSegment(), 10, 1_000_000);
        if (allocation.minShare() != null
                && !(allocation.minShare() >= 0.01
                        && allocation.minShare() * variants.size() <= 0.5)) {
            checks.fail(
                    "offer.allocation.minShare",
                    "must be at least 0.01, and at most 0.5 over all variants together");
        }
        if (allocation.window() != null) {
            try {
                Duration window = Duration.parse(allocation.window());
                if (window.compareTo(Duration.ofMinutes(10)) < 0
                        || window.compareTo(Duration.ofDays(14)) > 0) {
                    checks.fail("offer.allocation.window", "must be between PT10M and P14D");
                }
            } catch (DateTimeParseException e) {
                checks.fail(
                        "offer.allocation.window", "is not an ISO-8601 duration like PT24H or P3D");
            }
        }
    }

    private static void validateSchedule(Checks checks, Schedule schedule) {
        String type = schedule.type();
        if (type == null) {
            checks.fail("schedule.type", "is required (at, anchor or repeat_due)");
        } else if (!List.of(AT, ANCHOR, REPEAT_DUE).contains(type)) {
            checks.fail("schedule.type", "must be at, anchor or repeat_due");
        }
        checks.timeZone("schedule.timeZone", schedule.timeZone());
        if (schedule.localTime() == null) {
            checks.fail("schedule.localTime", "is required (e.g. 10:00)");
        }
        if (AT.equals(type) && schedule.date() == null) {
            checks.fail("schedule.date", "is required for type at");
        }
        if (ANCHOR.equals(type)) {
            Anchor anchor = schedule.anchor();
            if (anchor == null) {
                checks.fail("schedule.anchor", "is required for type anchor");
            } else {
                int kinds =
                        (anchor.holiday() == null ? 0 : 1)
                                + (anchor.date() == null ? 0 : 1)
                                + (anchor.tenantDate() == null ? 0 : 1);
                if (kinds != 1) {
                    checks.fail(
                            "schedule.anchor", "needs exactly one of holiday, date or tenantDate");
                }
                if (anchor.holiday() != null && SendTimes.holiday(anchor.holiday()) == null) {
                    checks.fail(
                            "schedule.anchor.holiday",
                            "must be ramadan_start, eid_al_fitr, eid_al_adha or islamic_new_year");
                }
                range(checks, "schedule.anchor.hijriYear", anchor.hijriYear(), 1300, 1600);
                if (anchor.hijriYear() != null && anchor.holiday() == null) {
                    checks.fail("schedule.anchor.hijriYear", "only goes with a holiday");
                }
                checks.maxLength("schedule.anchor.tenantDate", anchor.tenantDate(), 64);
            }
        }
        range(checks, "schedule.offsetDays", schedule.offsetDays(), -365, 365);
        if (REPEAT_DUE.equals(type) && schedule.windowDays() == null) {
            checks.fail("schedule.windowDays", "is required for type repeat_due");
        }
        range(checks, "schedule.windowDays", schedule.windowDays(), 1, 90);
        if (schedule.validFor() != null && schedule.validUntil() != null) {
            checks.fail("schedule.validUntil", "give validFor or validUntil, not both");
        }
        if (schedule.latePolicy() != null
                && !List.of(LATE_SKIP, LATE_NEXT_DAY, LATE_SEND_NOW)
                        .contains(schedule.latePolicy())) {
            checks.fail("schedule.latePolicy", "must be skip, next_day or send_now");
        }
        if (schedule.sendTime() != null
                && !List.of(LOCAL_TIME, BEST_TIME).contains(schedule.sendTime())) {
            checks.fail("schedule.sendTime", "must be local_time or best_time");
        }
        if (schedule.bestTime() && schedule.timeZone() != null) {
            checks.fail(
                    "schedule.timeZone",
                    "a best_time schedule sends in each customer's own time zone; leave it out");
        }
        if (schedule.fixedTimeShare() != null) {
            if (!schedule.bestTime()) {
                checks.fail("schedule.fixedTimeShare", "only goes with sendTime best_time");
            } else if (schedule.fixedTimeShare() < 0 || schedule.fixedTimeShare() > 0.5) {
                checks.fail("schedule.fixedTimeShare", "must be between 0 and 0.5");
            }
        }
        if (schedule.validFor() != null) {
            try {
                Duration valid = Duration.parse(schedule.validFor());
                if (valid.compareTo(Duration.ofMinutes(5)) < 0
                        || valid.compareTo(Duration.ofDays(90)) > 0) {
                    checks.fail("schedule.validFor", "must be between PT5M and P90D");
                }
            } catch (DateTimeParseException e) {
                checks.fail("schedule.validFor", "is not an ISO-8601 duration like P2D or PT6H");
            }
        }
    }

    private static void validateLimits(Checks checks, Limits limits) {
        FrequencyCap cap = limits.frequencyCap();
        if (cap != null) {
            checks.required("limits.frequencyCap.count", cap.count())
                    .required("limits.frequencyCap.days", cap.days());
            range(checks, "limits.frequencyCap.count", cap.count(), 1, 100);
            range(checks, "limits.frequencyCap.days", cap.days(), 1, 365);
        }
        QuietHours quiet = limits.quietHours();
        if (quiet != null && !quiet.off()) {
            checks.required("limits.quietHours.start", quiet.start())
                    .required("limits.quietHours.end", quiet.end());
            if (quiet.start() != null && quiet.start().equals(quiet.end())) {
                checks.fail("limits.quietHours.end", "must differ from start");
            }
        }
        range(checks, "limits.dailyCap", limits.dailyCap(), 1, 100_000_000);
        if (limits.perSecond() != null
                && (limits.perSecond() < 0.1 || limits.perSecond() > 100_000)) {
            checks.fail("limits.perSecond", "must be between 0.1 and 100000");
        }
    }

    private static void range(Checks checks, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            checks.fail(field, "must be between " + min + " and " + max);
        }
    }

    /** The same request with every default spelled out (call after {@link #validate()}). */
    public CampaignRequest withDefaults() {
        Offer o = offer;
        ProductBlock products =
                o.products() == null ? new ProductBlock(null, null, null) : o.products();
        products =
                new ProductBlock(
                        products.context() == null ? "email" : products.context(),
                        products.rows() == null ? 2 : products.rows(),
                        products.perRow() == null ? 4 : products.perRow(),
                        products.lead());
        Allocation allocation = null;
        if (o.variants() != null) {
            Allocation a =
                    o.allocation() == null
                            ? new Allocation(null, null, null, null, null)
                            : o.allocation();
            allocation =
                    new Allocation(
                            a.goal() == null ? GOAL_CLICK : a.goal(),
                            a.window() == null ? DEFAULT_ALLOCATION_WINDOW : a.window(),
                            a.segments() == null ? SEGMENTS_NONE : a.segments(),
                            a.minPerSegment() == null ? DEFAULT_MIN_PER_SEGMENT : a.minPerSegment(),
                            a.minShare() == null ? DEFAULT_MIN_SHARE : a.minShare());
        }
        Schedule s = schedule;
        Anchor anchor = s.anchor();
        if (anchor != null && anchor.holiday() != null) {
            anchor =
                    new Anchor(
                            anchor.holiday().toLowerCase(Locale.ROOT),
                            anchor.hijriYear(),
                            anchor.date(),
                            anchor.tenantDate());
        }
        s =
                new Schedule(
                        s.type(),
                        s.date(),
                        s.localTime(),
                        s.timeZone(),
                        anchor,
                        ANCHOR.equals(s.type()) && s.offsetDays() == null
                                ? Integer.valueOf(0)
                                : s.offsetDays(),
                        s.windowDays(),
                        s.validFor() == null && s.validUntil() == null
                                ? DEFAULT_VALID_FOR
                                : s.validFor(),
                        s.validUntil(),
                        s.latePolicy() == null ? LATE_SKIP : s.latePolicy(),
                        // Left out stays out (local time), so existing definitions read as before.
                        s.sendTime(),
                        s.bestTime() && s.fixedTimeShare() == null
                                ? Double.valueOf(DEFAULT_FIXED_TIME_SHARE)
                                : s.fixedTimeShare());
        Limits l = limits == null ? new Limits(null, null, null, null) : limits;
        l =
                new Limits(
                        l.frequencyCap() == null ? new FrequencyCap(2, 7) : l.frequencyCap(),
                        l.quietHours() == null
                                ? new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
                                : l.quietHours(),
                        l.dailyCap(),
                        l.perSecond());
        return new CampaignRequest(
                name.strip(),
                audience == null ? new Audience(null, null, null, null, null, null) : audience,
                holdoutShare == null ? DEFAULT_HOLDOUT_SHARE : holdoutShare,
                new Offer(
                        o.subject(),
                        o.html(),
                        o.text(),
                        o.couponCode(),
                        products,
                        o.locales(),
                        o.variants() == null ? null : List.copyOf(o.variants()),
                        allocation),
                s,
                l);
    }

    /** How long a send stays valid after its planned time, or null for an absolute end. */
    public Duration validity() {
        return schedule.validFor() == null ? null : Duration.parse(schedule.validFor());
    }
}
