package io.hilal.service.platform.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Per-tenant request rate: a token bucket refilled at {@code requestsPerSecond} that holds up to
 * {@code burst} requests; and limits per {@code attemptWindow} (a minute) on unauthenticated
 * attempts (see {@link AttemptLimits}). Each service instance limits on its own; the operator's
 * per-tenant ingest quota is split evenly over {@code serviceInstances} (see {@link
 * IngestRateQuota}).
 */
public class RateLimitFactory {
    private boolean enabled = true;

    @Min(1)
    private int serviceInstances = 1;

    @Min(1)
    private long requestsPerSecond = 200;

    @Min(1)
    private long burst = 400;

    /** The window the attempt limits below refill over. */
    @NotNull private Duration attemptWindow = Duration.minutes(1);

    @Min(1)
    private long signInsPerAddress = 30;

    @Min(1)
    private long signInsPerEmail = 10;

    @Min(1)
    private long unknownKeysPerAddress = 60;

    @Min(1)
    private long mailLinksPerAddress = 120;

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public int getServiceInstances() {
        return serviceInstances;
    }

    @JsonProperty
    public void setServiceInstances(int serviceInstances) {
        this.serviceInstances = serviceInstances;
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

    @JsonProperty
    public Duration getAttemptWindow() {
        return attemptWindow;
    }

    @JsonProperty
    public void setAttemptWindow(Duration attemptWindow) {
        this.attemptWindow = attemptWindow;
    }

    @JsonProperty
    public long getSignInsPerAddress() {
        return signInsPerAddress;
    }

    @JsonProperty
    public void setSignInsPerAddress(long value) {
        this.signInsPerAddress = value;
    }

    @JsonProperty
    public long getSignInsPerEmail() {
        return signInsPerEmail;
    }

    @JsonProperty
    public void setSignInsPerEmail(long value) {
        this.signInsPerEmail = value;
    }

    @JsonProperty
    public long getUnknownKeysPerAddress() {
        return unknownKeysPerAddress;
    }

    @JsonProperty
    public void setUnknownKeysPerAddress(long value) {
        this.unknownKeysPerAddress = value;
    }

    @JsonProperty
    public long getMailLinksPerAddress() {
        return mailLinksPerAddress;
    }

    @JsonProperty
    public void setMailLinksPerAddress(long value) {
        this.mailLinksPerAddress = value;
    }

    /** The attempt limits; {@code enabled: false} turns them off with the tenant rate. */
    public AttemptLimits buildAttemptLimits() {
        return new AttemptLimits(
                new AttemptLimiter(enabled, signInsPerAddress, attemptWindow.toJavaDuration()),
                new AttemptLimiter(enabled, signInsPerEmail, attemptWindow.toJavaDuration()),
                new AttemptLimiter(enabled, unknownKeysPerAddress, attemptWindow.toJavaDuration()),
                new AttemptLimiter(enabled, mailLinksPerAddress, attemptWindow.toJavaDuration()));
    }

    /** The operator's ingest quotas, this instance's share of each. */
    public IngestRateQuota buildIngestQuota(io.hilal.core.tenant.TenantQuotaService quotas) {
        return new IngestRateQuota(quotas, serviceInstances);
    }

    public TenantRateLimiter build() {
        return new TenantRateLimiter(enabled, requestsPerSecond, burst);
    }
}
