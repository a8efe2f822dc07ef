package io.hilal.core.lift;

import io.hilal.core.error.HilalException;

/**
 * No campaign with this id has a send ledger for this tenant: never planned, or another tenant's
 * (which answers the same, so ids cannot be probed across tenants). It answers the {@code
 * not_found} problem every other campaign route answers for an unknown id; the class stays apart so
 * that the journeys' lift can tell "no entries yet" from an unknown journey.
 */
public final class CampaignNotFoundException extends HilalException {
    private static final long serialVersionUID = 1L;

    public CampaignNotFoundException(String campaignId) {
        super(
                404,
                "not_found",
                "Not found",
                "No campaign with id '" + campaignId + "' has planned sends");
    }
}
