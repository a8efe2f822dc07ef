package io.hilal.core.journeys;

import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.error.Checks;
import io.hilal.core.error.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * What a merchant writes to create a journey: its kind, the delay (ISO-8601: how long after the
 * trigger the email goes, or for win-back how long without an order, for restock how long before
 * the due date), how long each send stays valid, the holdout share, and the offer and limits
 * exactly as a campaign has them (the frequency cap counts campaign and journey emails together).
 */
public record JourneyRequest(
        String name,
        String kind,
        String delay,
        Double holdoutShare,
        String validFor,
        CampaignRequest.Offer offer,
        CampaignRequest.Limits limits) {

    public static final String DEFAULT_VALID_FOR = "P1D";
    static final Duration MAX_DELAY = Duration.ofDays(730);

    /** Every rule this request breaks, with the field it is about. */
    public Checks validate() {
        Checks checks = new Checks();
        checks.required("kind", kind);
        JourneyKind parsedKind = kind == null ? null : JourneyKind.fromWireName(kind).orElse(null);
        if (kind != null && parsedKind == null) {
            checks.fail(
                    "kind",
                    "must be abandoned_cart, browse_abandonment, cross_sell, win_back or"
                            + " restock_due");
        }
        if (delay == null && parsedKind != JourneyKind.RESTOCK_DUE) {
            checks.fail("delay", "is required (an ISO-8601 duration like PT4H or P30D)");
        }
        Duration parsedDelay = duration(checks, "delay", delay);
        if (parsedDelay != null) {
            Duration min =
                    parsedKind == JourneyKind.RESTOCK_DUE ? Duration.ZERO : Duration.ofMinutes(1);
            if (parsedDelay.compareTo(min) < 0 || parsedDelay.compareTo(MAX_DELAY) > 0) {
                checks.fail("delay", "must be between " + min + " and P730D");
            }
        }
        Duration valid = duration(checks, "validFor", validFor);
        if (valid != null
                && (valid.compareTo(Duration.ofMinutes(5)) < 0
                        || valid.compareTo(Duration.ofDays(90)) > 0)) {
            checks.fail("validFor", "must be between PT5M and P90D");
        }
        // The offer, limits, name and holdout share follow the campaign's rules, field for field.
        for (FieldError error : backing().validate().errors()) {
            if (!error.field().startsWith("schedule")) {
                checks.fail(error.field(), error.message());
            }
        }
        return checks;
    }

    private static Duration duration(Checks checks, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            checks.fail(field, "is not an ISO-8601 duration like PT4H or P30D");
            return null;
        }
    }

    /** The same request with every default spelled out (call after {@link #validate()}). */
    public JourneyRequest withDefaults() {
        CampaignRequest campaign = backing().withDefaults();
        return new JourneyRequest(
                campaign.name(),
                kind,
                delay == null ? "PT0S" : Duration.parse(delay).toString(),
                campaign.holdoutShare(),
                validFor == null ? DEFAULT_VALID_FOR : validFor,
                campaign.offer(),
                campaign.limits());
    }

    /**
     * The campaign definition the sender reads for this journey's sends: the offer, limits and
     * validity; its schedule is a placeholder, since the journey plans each send itself.
     */
    public CampaignRequest backing() {
        return new CampaignRequest(
                name,
                null,
                holdoutShare,
                offer,
                new CampaignRequest.Schedule(
                        CampaignRequest.AT,
                        LocalDate.ofInstant(Instant.EPOCH, ZoneOffset.UTC),
                        LocalTime.MIDNIGHT,
                        null,
                        null,
                        null,
                        null,
                        validFor == null ? DEFAULT_VALID_FOR : validFor,
                        null,
                        CampaignRequest.LATE_SKIP),
                limits);
    }

    public JourneyKind parsedKind() {
        return JourneyKind.fromWireName(kind).orElseThrow();
    }

    public Duration parsedDelay() {
        return Duration.parse(delay);
    }

    public Duration parsedValidFor() {
        return Duration.parse(validFor);
    }
}
