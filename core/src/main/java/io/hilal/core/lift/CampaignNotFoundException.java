package io.hilal.core.lift;

import io.hilal.core.error.HilalException;

/**
 * No campaign with this id has a send ledger for this tenant: never planned, or another tenant's
 * (which answers the same, so ids cannot be probed across tenants).
 */
public final class CampaignNotFoundException extends HilalException {
    private static final long serialVersionUID = 1L;

    public CampaignNotFoundException(String campaignId) {
        super(
                404,
                "campaign_not_found",
                "Campaign not found",
                "No campaign with id '" + campaignId + "' has planned sends");
    }
}
