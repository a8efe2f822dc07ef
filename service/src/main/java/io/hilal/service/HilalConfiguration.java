package io.hilal.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.hilal.core.campaigns.mail.MailLinksFactory;
import io.hilal.core.db.DatabaseFactory;
import io.hilal.core.lift.LiftReportFactory;
import io.hilal.service.platform.auth.RateLimitFactory;
import io.hilal.service.recommendations.ModelCacheBudget;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The service's configuration: see config/service.yml for every key and its default. */
public class HilalConfiguration extends Configuration {
    @Valid @NotNull private DatabaseFactory database = new DatabaseFactory();

    @Valid @NotNull private RateLimitFactory rateLimit = new RateLimitFactory();

    @Valid @NotNull private LiftReportFactory lift = new LiftReportFactory();

    @JsonProperty
    public LiftReportFactory getLift() {
        return lift;
    }

    @JsonProperty
    public void setLift(LiftReportFactory lift) {
        this.lift = lift;
    }

    @Valid @NotNull
    private io.hilal.service.recommendations.RowsFactory rows =
            new io.hilal.service.recommendations.RowsFactory();

    @JsonProperty
    public io.hilal.service.recommendations.RowsFactory getRows() {
        return rows;
    }

    @JsonProperty
    public void setRows(io.hilal.service.recommendations.RowsFactory rows) {
        this.rows = rows;
    }

    /**
     * How many MiB of heap the tenants' loaded models may hold in one service instance (the least
     * used tenant's are dropped first); experiments' arm models get a quarter of it besides.
     */
    @jakarta.validation.constraints.Min(1)
    private long modelCacheMegabytes = ModelCacheBudget.DEFAULT.maxBytes() >> 20;

    @JsonProperty
    public long getModelCacheMegabytes() {
        return modelCacheMegabytes;
    }

    @JsonProperty
    public void setModelCacheMegabytes(long modelCacheMegabytes) {
        this.modelCacheMegabytes = modelCacheMegabytes;
    }

    @Valid @NotNull private MailLinksFactory mailLinks = new MailLinksFactory();

    @JsonProperty
    public MailLinksFactory getMailLinks() {
        return mailLinks;
    }

    @JsonProperty
    public void setMailLinks(MailLinksFactory mailLinks) {
        this.mailLinks = mailLinks;
    }

    /** Bearer token of the operator API; empty disables it. Only ever set from the environment. */
    @NotNull private String operatorKey = "";

    /**
     * With a token, every admin-port request (metrics, health checks, tasks) must carry it as a
     * Bearer token. Only ever set from the environment (HILAL_ADMIN_TOKEN).
     */
    @NotNull private String adminToken = "";

    /** The host names the admin port answers to (the Host header, without port). */
    @NotNull
    private java.util.List<String> adminHosts =
            java.util.List.of("localhost", "127.0.0.1", "[::1]");

    /** The largest request body the API reads, in bytes (500 KiB by default). */
    @Min(1024)
    @Max(16 * 1024 * 1024)
    private int maxBodyBytes = 512_000;

    /** Where Segment's HTTP Tracking API is served (default /segment, so /segment/v1/batch). */
    @NotNull
    @jakarta.validation.constraints.Pattern(regexp = "/[A-Za-z0-9._/-]*[^/]")
    private String segmentPathPrefix = "/segment";

    @JsonProperty
    public String getSegmentPathPrefix() {
        return segmentPathPrefix;
    }

    @JsonProperty
    public void setSegmentPathPrefix(String segmentPathPrefix) {
        this.segmentPathPrefix = segmentPathPrefix;
    }

    @JsonProperty
    public DatabaseFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DatabaseFactory database) {
        this.database = database;
    }

    @JsonProperty
    public RateLimitFactory getRateLimit() {
        return rateLimit;
    }

    @JsonProperty
    public void setRateLimit(RateLimitFactory rateLimit) {
        this.rateLimit = rateLimit;
    }

    @JsonProperty
    public String getOperatorKey() {
        return operatorKey;
    }

    @JsonProperty
    public void setOperatorKey(String operatorKey) {
        this.operatorKey = operatorKey == null ? "" : operatorKey;
    }

    @JsonProperty
    public String getAdminToken() {
        return adminToken;
    }

    @JsonProperty
    public void setAdminToken(String adminToken) {
        this.adminToken = adminToken == null ? "" : adminToken;
    }

    @JsonProperty
    public java.util.List<String> getAdminHosts() {
        return adminHosts;
    }

    @JsonProperty
    public void setAdminHosts(java.util.List<String> adminHosts) {
        this.adminHosts = adminHosts == null ? java.util.List.of() : adminHosts;
    }

    @JsonProperty
    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    @JsonProperty
    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }
}
