package io.hilal.core.campaigns.variants;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.sending.SendLedger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Chooses and records the variant of each send of one run of a campaign (or journey) with offer
 * variants: reads the customer's segment, allocates with {@link VariantChooser} on the campaign's
 * measured sends (refreshed every {@link #REFRESH}), and writes the choice to the send's ledger row
 * before the relay sees the email. A send that already has a variant (sent again after a relay
 * failure) keeps it. The uniform number behind each pick comes from the run and the customer, and
 * the posterior draws' seed from the figures, so the same ledger gives the same choices.
 */
public final class VariantAllocator {
    /** How long the measured sends are reused before they are read again. */
    static final Duration REFRESH = Duration.ofMinutes(1);

    /** One send's variant: its name, segment, chance, and the campaign and templates it sends. */
    public record Choice(
            String variant,
            String segment,
            double share,
            Campaign campaign,
            OfferRenderer.Templates templates) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final SendLedger ledger;
    private final String tenantId;
    private final String campaignId;
    private final String runId;
    private final CampaignRequest.Allocation allocation;
    private final List<String> names;
    private final Map<String, Campaign> campaigns = new LinkedHashMap<>();
    private final Map<String, OfferRenderer.Templates> templates = new HashMap<>();

    private Instant readAt;
    private Map<String, Map<String, VariantChooser.Tally>> tallies = Map.of();
    private final Map<String, VariantChooser.Allocation> allocations = new HashMap<>();

    private VariantAllocator(
            Jdbi jdbi,
            Clock clock,
            SendLedger ledger,
            String tenantId,
            String runId,
            Campaign campaign) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.ledger = ledger;
        this.tenantId = tenantId;
        this.campaignId = campaign.id();
        this.runId = runId;
        CampaignRequest.Offer offer = campaign.offer();
        this.allocation =
                offer.allocation() == null
                        ? new CampaignRequest.Allocation(
                                CampaignRequest.GOAL_CLICK,
                                CampaignRequest.DEFAULT_ALLOCATION_WINDOW,
                                CampaignRequest.SEGMENTS_NONE,
                                CampaignRequest.DEFAULT_MIN_PER_SEGMENT,
                                CampaignRequest.DEFAULT_MIN_SHARE)
                        : offer.allocation();
        this.names = offer.variants().stream().map(CampaignRequest.Variant::name).toList();
        for (CampaignRequest.Variant variant : offer.variants()) {
            Campaign applied = apply(campaign, variant);
            campaigns.put(variant.name(), applied);
            templates.put(variant.name(), OfferRenderer.compile(applied.offer()));
        }
    }

    /** The allocator for one run of {@code campaign}; null when its offer has no variants. */
    public static VariantAllocator of(
            Jdbi jdbi,
            Clock clock,
            SendLedger ledger,
            String tenantId,
            String runId,
            Campaign campaign) {
        List<CampaignRequest.Variant> variants = campaign.offer().variants();
        return variants == null || variants.isEmpty()
                ? null
                : new VariantAllocator(jdbi, clock, ledger, tenantId, runId, campaign);
    }

    /**
     * The campaign as one variant sends it: the variant's subject, coupon and hero row in place of
     * the main offer's (what it leaves out stays the main offer's).
     */
    public static Campaign apply(Campaign campaign, CampaignRequest.Variant variant) {
        CampaignRequest.Offer o = campaign.offer();
        CampaignRequest.ProductBlock p = o.products();
        CampaignRequest.ProductBlock products =
                p == null
                        ? null
                        : new CampaignRequest.ProductBlock(
                                p.context(),
                                p.rows(),
                                p.perRow(),
                                variant.heroRow() == null ? p.lead() : variant.heroRow());
        CampaignRequest.Offer offer =
                new CampaignRequest.Offer(
                        variant.subject() == null ? o.subject() : variant.subject(),
                        o.html(),
                        o.text(),
                        variant.couponCode() == null ? o.couponCode() : variant.couponCode(),
                        products,
                        o.locales(),
                        o.variants(),
                        o.allocation());
        return new Campaign(
                campaign.id(),
                campaign.name(),
                campaign.status(),
                campaign.holdoutShare(),
                campaign.audience(),
                offer,
                campaign.schedule(),
                campaign.limits(),
                campaign.createdAt(),
                campaign.updatedAt(),
                campaign.launchedAt());
    }

    /** The send's variant: the one it already has, or a new choice, recorded on its ledger row. */
    public Choice choose(String customerId) {
        Instant now = clock.instant();
        Send send =
                jdbi.withHandle(
                                handle ->
                                        handle.createQuery(
                                                        "SELECT s.variant, s.variant_segment,"
                                                                + " s.variant_share, c.locale,"
                                                                + " EXISTS(SELECT 1 FROM"
                                                                + " order_lines o WHERE"
                                                                + " o.tenant_id = s.tenant_id AND"
                                                                + " o.customer_id = s.customer_id"
                                                                + " AND o.quantity > 0 AND"
                                                                + " o.occurred_at < :now)"
                                                                + " FROM campaign_sends s"
                                                                + " LEFT JOIN customers c ON"
                                                                + " c.tenant_id = s.tenant_id AND"
                                                                + " c.customer_id = s.customer_id"
                                                                + " WHERE s.tenant_id = :tenantId"
                                                                + " AND s.campaign_id ="
                                                                + " :campaignId AND s.run_id ="
                                                                + " :runId AND s.customer_id ="
                                                                + " :customerId")
                                                .bind("tenantId", tenantId)
                                                .bind("campaignId", campaignId)
                                                .bind("runId", runId)
                                                .bind("customerId", customerId)
                                                .bind("now", now)
                                                .map(
                                                        (rs, ctx) ->
                                                                new Send(
                                                                        rs.getString(1),
                                                                        rs.getString(2),
                                                                        rs.getObject(3) == null
                                                                                ? null
                                                                                : rs.getDouble(3),
                                                                        rs.getString(4),
                                                                        rs.getBoolean(5)))
                                                .findOne())
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no ledger row for "
                                                        + customerId
                                                        + " in "
                                                        + runId));
        if (send.variant() != null && campaigns.containsKey(send.variant())) {
            return choice(send.variant(), send.segment(), send.share() == null ? 0 : send.share());
        }
        String segment = segment(allocation.segments(), send.locale(), send.returning());
        VariantChooser.Allocation shares = allocation(segment, now);
        int index =
                VariantChooser.pick(
                        shares.shares(), uniform(tenantId, campaignId, runId, customerId));
        String variant = names.get(index);
        double share = shares.shares()[index];
        ledger.recordVariant(
                new SendLedger.Run(tenantId, campaignId, runId),
                customerId,
                variant,
                segment,
                share,
                now);
        return choice(variant, segment, share);
    }

    private Choice choice(String variant, String segment, double share) {
        return new Choice(variant, segment, share, campaigns.get(variant), templates.get(variant));
    }

    private record Send(
            String variant, String segment, Double share, String locale, boolean returning) {}

    /** The customer's segment under {@code segments}; null when the campaign uses none. */
    static String segment(String segments, String locale, boolean returning) {
        if (CampaignRequest.SEGMENTS_NEW_RETURNING.equals(segments)) {
            return returning ? "returning" : "new";
        }
        if (CampaignRequest.SEGMENTS_LOCALE.equals(segments)) {
            String language = locale == null ? "" : Locale.forLanguageTag(locale).getLanguage();
            return language.isEmpty() ? "unknown" : language;
        }
        return null;
    }

    /**
     * The shares a send of {@code segment} (null: none) gets now, in the order of the offer's
     * variants, on measured sends at most {@link #REFRESH} old.
     */
    public VariantChooser.Allocation allocation(String segment) {
        return allocation(segment, clock.instant());
    }

    /** The allocation for a segment, on measured sends at most {@link #REFRESH} old. */
    private synchronized VariantChooser.Allocation allocation(String segment, Instant now) {
        if (readAt == null || !now.isBefore(readAt.plus(REFRESH)) || now.isBefore(readAt)) {
            tallies = tallies(now);
            allocations.clear();
            readAt = now;
        }
        String key = segment == null ? "" : segment;
        VariantChooser.Allocation cached = allocations.get(key);
        if (cached == null) {
            cached =
                    VariantChooser.allocate(
                            names,
                            tallies,
                            segment,
                            allocation.minPerSegment(),
                            allocation.minShare(),
                            (campaignId + "\n" + key + "\n" + tallies).hashCode());
            allocations.put(key, cached);
        }
        return cached;
    }

    /**
     * The campaign's measured sends (every run): sent with a variant at least the goal window ago,
     * with a success when the customer clicked this email, or ordered, within the window.
     */
    private Map<String, Map<String, VariantChooser.Tally>> tallies(Instant now) {
        long seconds = Duration.parse(allocation.window()).toSeconds();
        String success =
                CampaignRequest.GOAL_ORDER.equals(allocation.goal())
                        ? "EXISTS(SELECT 1 FROM order_lines o WHERE o.tenant_id = s.tenant_id"
                                + " AND o.customer_id = s.customer_id AND o.quantity > 0"
                                + " AND o.occurred_at >= s.sent_at"
                                + " AND o.occurred_at < s.sent_at + INTERVAL :seconds SECOND)"
                        : "EXISTS(SELECT 1 FROM events e WHERE e.tenant_id = s.tenant_id"
                                + " AND e.customer_id = s.customer_id"
                                + " AND e.type = 'email_clicked' AND e.occurred_at >= s.sent_at"
                                + " AND e.occurred_at < s.sent_at + INTERVAL :seconds SECOND"
                                + " AND JSON_VALUE(e.payload, '$.context.campaignId') ="
                                + " s.campaign_id"
                                + " AND JSON_VALUE(e.payload, '$.properties.runId') = s.run_id)";
        Map<String, Map<String, VariantChooser.Tally>> bySegment = new HashMap<>();
        jdbi.useHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT s.variant, s.variant_segment, COUNT(*),"
                                                + " SUM("
                                                + success
                                                + ") FROM campaign_sends s"
                                                + " WHERE s.tenant_id = :tenantId"
                                                + " AND s.campaign_id = :campaignId"
                                                + " AND s.variant IS NOT NULL"
                                                + " AND s.state = 'SENT'"
                                                + " AND s.sent_at <= :matureBefore"
                                                + " GROUP BY s.variant, s.variant_segment")
                                .bind("tenantId", tenantId)
                                .bind("campaignId", campaignId)
                                .bind("seconds", seconds)
                                .bind("matureBefore", now.minusSeconds(seconds))
                                .map(
                                        (rs, ctx) -> {
                                            String segment = rs.getString(2);
                                            bySegment
                                                    .computeIfAbsent(
                                                            segment == null ? "" : segment,
                                                            s -> new HashMap<>())
                                                    .put(
                                                            rs.getString(1),
                                                            new VariantChooser.Tally(
                                                                    rs.getLong(3), rs.getLong(4)));
                                            return segment;
                                        })
                                .list());
        return bySegment;
    }

    /** A uniform number in [0, 1) from the send's identity: the same send, the same number. */
    static double uniform(String tenantId, String campaignId, String runId, String customerId) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (tenantId
                                                    + "\n"
                                                    + campaignId
                                                    + "\n"
                                                    + runId
                                                    + "\n"
                                                    + customerId)
                                            .getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 7; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            return (bits >>> 3) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
