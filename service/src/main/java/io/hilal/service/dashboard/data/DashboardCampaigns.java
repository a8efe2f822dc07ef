package io.hilal.service.dashboard.data;

import io.hilal.core.api.Page;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.error.NotFoundException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tenant's campaigns as the dashboard lists and controls them, read through {@link
 * CampaignService} (campaigns have their own table; every run is planned by that service): real
 * status, the audience rules in words, the holdout share, and launch (or resume) and pause, whose
 * refusals reach the page as they are.
 */
public final class DashboardCampaigns {
    private static final int PAGE = 100;

    /**
     * One campaign as the pages show it: status (e.g. {@code draft}, {@code scheduled}, {@code
     * paused}), its audience in words, its holdout share (0–1), and which of the two actions its
     * status allows ({@code launchable}: a draft to launch or a paused campaign to resume).
     */
    public record Campaign(
            String campaignId,
            String name,
            String status,
            String audience,
            double holdoutShare,
            boolean launchable,
            boolean pausable) {}

    private final CampaignService service;

    public DashboardCampaigns(CampaignService service) {
        this.service = service;
    }

    /** The tenant's campaigns (journeys are listed apart), newest first. */
    public List<Campaign> campaigns(String tenantId) {
        List<Campaign> campaigns = new ArrayList<>();
        String cursor = null;
        do {
            Page<io.hilal.core.campaigns.Campaign> page =
                    service.page(tenantId, null, cursor, PAGE);
            for (io.hilal.core.campaigns.Campaign campaign : page.items()) {
                campaigns.add(describe(campaign));
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return campaigns;
    }

    /**
     * One campaign (or journey: both live in the campaigns table) of the tenant; empty when the
     * tenant has none with this id.
     */
    public Optional<Campaign> campaign(String tenantId, String campaignId) {
        try {
            return Optional.of(describe(service.get(tenantId, campaignId)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Launches a draft or resumes a paused campaign of the tenant; 404 for another tenant's. A
     * refusal (no sender identity, wrong status) is a {@code HilalException} whose detail the page
     * shows.
     */
    public void launch(String tenantId, String campaignId) {
        if (service.get(tenantId, campaignId).status() == CampaignStatus.PAUSED) {
            service.resume(tenantId, campaignId);
        } else {
            service.launch(tenantId, campaignId);
        }
    }

    /** Who the tenant's campaign mail is from, or null before it was set (no launch until then). */
    public io.hilal.core.campaigns.SenderIdentity sender(String tenantId) {
        return service.senderIdentity(tenantId);
    }

    /** Pauses a campaign of the tenant; 404 for another tenant's. */
    public void pause(String tenantId, String campaignId) {
        service.pause(tenantId, campaignId);
    }

    static Campaign describe(io.hilal.core.campaigns.Campaign campaign) {
        CampaignStatus status = campaign.status();
        return new Campaign(
                campaign.id(),
                campaign.name(),
                status.wireName(),
                audience(campaign.audience()),
                campaign.holdoutShare(),
                status == CampaignStatus.DRAFT || status == CampaignStatus.PAUSED,
                status == CampaignStatus.SCHEDULED);
    }

    /**
     * The audience rules in words, all of which hold at once, ending with the consent rule that
     * always applies.
     */
    static String audience(CampaignRequest.Audience audience) {
        List<String> rules = new ArrayList<>();
        if (audience != null) {
            CampaignRequest.Bought bought = audience.bought();
            if (bought != null) {
                rules.add(bought(bought));
            }
            if (audience.lastOrderMoreThanDaysAgo() != null) {
                rules.add(
                        "last ordered more than "
                                + days(audience.lastOrderMoreThanDaysAgo())
                                + " ago");
            }
            if (audience.repeatDueWithinDays() != null) {
                rules.add("are due to buy again within " + days(audience.repeatDueWithinDays()));
            }
            if (audience.spentAtLeast() != null
                    && audience.spentAtLeast().compareTo(BigDecimal.ZERO) > 0) {
                rules.add("have spent at least " + audience.spentAtLeast().toPlainString());
            }
            if (audience.locales() != null && !audience.locales().isEmpty()) {
                rules.add("use locale " + String.join(" or ", audience.locales()));
            }
            if (audience.timeZones() != null && !audience.timeZones().isEmpty()) {
                rules.add("live in time zone " + String.join(" or ", audience.timeZones()));
            }
        }
        String who;
        if (rules.isEmpty()) {
            who = "Every customer";
        } else if (rules.size() == 1) {
            who = "Customers who " + rules.get(0);
        } else {
            who =
                    "Customers who "
                            + String.join(", ", rules.subList(0, rules.size() - 1))
                            + " and "
                            + rules.get(rules.size() - 1);
        }
        return who + ", if they can be emailed (address, consent, not suppressed)";
    }

    private static String bought(CampaignRequest.Bought bought) {
        StringBuilder rule = new StringBuilder("bought ");
        boolean hasProducts = bought.productIds() != null && !bought.productIds().isEmpty();
        if (bought.category() != null) {
            rule.append("from ").append(bought.category());
            if (hasProducts) {
                rule.append(" or ");
            }
        }
        if (hasProducts) {
            rule.append(
                    bought.productIds().size() == 1
                            ? "product " + bought.productIds().get(0)
                            : "one of " + bought.productIds().size() + " products");
        }
        if (bought.from() != null && bought.to() != null) {
            rule.append(" between ").append(bought.from()).append(" and ").append(bought.to());
        } else if (bought.from() != null) {
            rule.append(" since ").append(bought.from());
        } else if (bought.to() != null) {
            rule.append(" until ").append(bought.to());
        }
        return rule.toString();
    }

    private static String days(int days) {
        return days == 1 ? "1 day" : days + " days";
    }
}
