package io.hilal.worker.campaigns;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hilal.core.campaigns.sending.CampaignSender;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * How this worker sends campaign mail: how many sends at once (also the most sends whose fate a
 * crash can leave unknown) and how many of them it claims per commit (at most the concurrency;
 * concurrency / claim batch threads send them), how often it looks for due sends, its heartbeat,
 * whether sends in flight at a crash are sent again (at-least-once; off by default: at-most-once),
 * and per-tenant limits that campaigns can only lower.
 *
 * <p>The concurrency is the operator's trade: more in flight means larger claims, fewer commits per
 * email and more throughput, and more sends of unknown fate after a crash. It is capped at {@value
 * #MAX_CONCURRENCY}, a few tens of milliseconds of sending at the rates a worker reaches
 * (BENCHMARKS.md). The defaults, 64 in flight claimed 32 per commit, send about three times as fast
 * as 4 claimed 2 at a time (BENCHMARKS.md) and leave at most 64 sends of unknown fate.
 */
public class SendingFactory {
    static final int MAX_CONCURRENCY = 256;

    @Min(1)
    @Max(MAX_CONCURRENCY)
    private int concurrency = 64;

    @Min(1)
    @Max(MAX_CONCURRENCY)
    private int claimBatch = 32;

    @Min(1)
    @Max(10_000)
    private int batchSize = 200;

    @Min(1)
    private int pollSeconds = 5;

    @Min(1)
    private int relayRetrySeconds = 60;

    // A dead worker's share is taken over after the timeout plus up to a heartbeat: about 11 s.
    // The heartbeat has a thread of its own (one short UPDATE), so only a stall of the whole JVM
    // or the database of ~9 s (ten missed beats) makes a live worker look dead; see
    // docs/operations-internals.md, "When a worker dies".
    @Min(100)
    private long heartbeatMillis = 1_000;

    @Min(1_000)
    private long heartbeatTimeoutMillis = 10_000;

    private boolean resendUnknown = false;

    @Min(0)
    private long tenantDailyCap = 0;

    @Min(0)
    private double tenantPerSecond = 0;

    @JsonProperty
    public int getConcurrency() {
        return concurrency;
    }

    @JsonProperty
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    @JsonProperty
    public int getClaimBatch() {
        return claimBatch;
    }

    @JsonProperty
    public void setClaimBatch(int claimBatch) {
        this.claimBatch = claimBatch;
    }

    @JsonProperty
    public int getBatchSize() {
        return batchSize;
    }

    @JsonProperty
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    @JsonProperty
    public int getPollSeconds() {
        return pollSeconds;
    }

    @JsonProperty
    public void setPollSeconds(int pollSeconds) {
        this.pollSeconds = pollSeconds;
    }

    @JsonProperty
    public int getRelayRetrySeconds() {
        return relayRetrySeconds;
    }

    @JsonProperty
    public void setRelayRetrySeconds(int relayRetrySeconds) {
        this.relayRetrySeconds = relayRetrySeconds;
    }

    @JsonProperty
    public long getHeartbeatMillis() {
        return heartbeatMillis;
    }

    @JsonProperty
    public void setHeartbeatMillis(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    @JsonProperty
    public long getHeartbeatTimeoutMillis() {
        return heartbeatTimeoutMillis;
    }

    @JsonProperty
    public void setHeartbeatTimeoutMillis(long heartbeatTimeoutMillis) {
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
    }

    @JsonProperty
    public boolean isResendUnknown() {
        return resendUnknown;
    }

    @JsonProperty
    public void setResendUnknown(boolean resendUnknown) {
        this.resendUnknown = resendUnknown;
    }

    @JsonProperty
    public long getTenantDailyCap() {
        return tenantDailyCap;
    }

    @JsonProperty
    public void setTenantDailyCap(long tenantDailyCap) {
        this.tenantDailyCap = tenantDailyCap;
    }

    @JsonProperty
    public double getTenantPerSecond() {
        return tenantPerSecond;
    }

    @JsonProperty
    public void setTenantPerSecond(double tenantPerSecond) {
        this.tenantPerSecond = tenantPerSecond;
    }

    public CampaignSender.Settings settings(String workerId) {
        return new CampaignSender.Settings(
                workerId,
                concurrency,
                batchSize,
                Duration.ofSeconds(relayRetrySeconds),
                Duration.ofMillis(heartbeatTimeoutMillis),
                resendUnknown,
                tenantDailyCap,
                tenantPerSecond,
                // More claims per thread than sends in flight allowed would break the crash
                // bound; a concurrency of 1 with the default batch simply claims one at a time.
                Math.min(claimBatch, concurrency));
    }
}
