package io.hilal.core.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a campaign stands: a draft can be edited; launching plans its run and makes it scheduled; a
 * scheduled campaign can be paused and resumed; it completes when every send has reached a final
 * state, or is cancelled, which expires what had not gone out yet.
 */
public enum CampaignStatus {
    DRAFT,
    SCHEDULED,
    PAUSED,
    COMPLETED,
    CANCELLED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CampaignStatus> fromWireName(String name) {
        for (CampaignStatus status : values()) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
