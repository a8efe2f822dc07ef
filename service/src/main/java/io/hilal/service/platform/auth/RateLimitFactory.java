package io.hilal.service.platform.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/**
 * Per-tenant request rate: a token bucket refilled at {@code requestsPerSecond} that holds up to
 * {@code burst} requests. Each service instance limits on its own.
 */
public class RateLimitFactory {
    private boolean enabled = true;

    @Min(1)
    private long requestsPerSecond = 200;

    @Min(1)
    private long burst = 400;

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public long getRequestsPerSecond() {
        return requestsPerSecond;
    }

    @JsonProperty
    public void setRequestsPerSecond(long requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
    }

    @JsonProperty
    public long getBurst() {
        return burst;
    }

    @JsonProperty
    public void setBurst(long burst) {
        this.burst = burst;
    }

    public TenantRateLimiter build() {
        return new TenantRateLimiter(enabled, requestsPerSecond, burst);
    }
}
