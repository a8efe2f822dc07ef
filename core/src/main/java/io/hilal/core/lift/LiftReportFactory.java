package io.hilal.core.lift;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code lift} section of both apps' configuration: window lengths recomputed by the worker,
 * the CUPED pre-period, the capping percentiles (of the customers who bought), the "not enough
 * data" thresholds, the error spent on interim looks, how long late purchases reopen a final report
 * and when a viewed report counts as stale, and the holdout share assumed for the sample-ratio
 * check when the campaign's own is not known (a campaign found only in the send ledger).
 */
public class LiftReportFactory {
    @NotEmpty private List<@Min(1) @Max(365) Integer> windows = List.of(30, 60, 90);

    @Min(1)
    @Max(365)
    private int defaultWindowDays = 30;

    @Min(1)
    @Max(730)
    private int preDays = 180;

    @DecimalMin("0.5")
    @DecimalMax("0.999")
    private double confidence = 0.95;

    @DecimalMin("0")
    @DecimalMax("0.5")
    private double winsorizeLower = 0.01;

    @DecimalMin("0.5")
    @DecimalMax("1")
    private double winsorizeUpper = 0.95;

    @Min(2)
    private int minCustomersPerArm = 100;

    @Min(0)
    private int minBuyersPerArm = 10;

    @DecimalMin("0")
    @DecimalMax("0.5")
    private Double defaultHoldoutShare = 0.1;

    @DecimalMin("0")
    @DecimalMax("0.5")
    private double sampleRatioThreshold = 0.001;

    /** Error spent on interim looks (always-valid intervals); the final look gets the rest. */
    @DecimalMin("0.0001")
    @DecimalMax("0.5")
    private double interimAlpha = 0.01;

    /** Days after a window closed during which late purchases make the final report recompute. */
    @Min(0)
    @Max(90)
    private int lateDataDays = 7;

    /** Minutes after which a viewed report that can still change is recomputed first. */
    @Min(1)
    @Max(1440)
    private int staleAfterMinutes = 60;

    @JsonProperty
    public double getInterimAlpha() {
        return interimAlpha;
    }

    @JsonProperty
    public void setInterimAlpha(double interimAlpha) {
        this.interimAlpha = interimAlpha;
    }

    @JsonProperty
    public int getLateDataDays() {
        return lateDataDays;
    }

    @JsonProperty
    public void setLateDataDays(int lateDataDays) {
        this.lateDataDays = lateDataDays;
    }

    @JsonProperty
    public int getStaleAfterMinutes() {
        return staleAfterMinutes;
    }

    @JsonProperty
    public void setStaleAfterMinutes(int staleAfterMinutes) {
        this.staleAfterMinutes = staleAfterMinutes;
    }

    @JsonProperty
    public List<Integer> getWindows() {
        return windows;
    }

    @JsonProperty
    public void setWindows(List<Integer> windows) {
        this.windows = windows;
    }

    @JsonProperty
    public int getDefaultWindowDays() {
        return defaultWindowDays;
    }

    @JsonProperty
    public void setDefaultWindowDays(int defaultWindowDays) {
        this.defaultWindowDays = defaultWindowDays;
    }

    @JsonProperty
    public int getPreDays() {
        return preDays;
    }

    @JsonProperty
    public void setPreDays(int preDays) {
        this.preDays = preDays;
    }

    @JsonProperty
    public double getConfidence() {
        return confidence;
    }

    @JsonProperty
    public void setConfidence(double confidence) {
        this.confidence = confidence;
    }

    @JsonProperty
    public double getWinsorizeLower() {
        return winsorizeLower;
    }

    @JsonProperty
    public void setWinsorizeLower(double winsorizeLower) {
        this.winsorizeLower = winsorizeLower;
    }

    @JsonProperty
    public double getWinsorizeUpper() {
        return winsorizeUpper;
    }

    @JsonProperty
    public void setWinsorizeUpper(double winsorizeUpper) {
        this.winsorizeUpper = winsorizeUpper;
    }

    @JsonProperty
    public int getMinCustomersPerArm() {
        return minCustomersPerArm;
    }

    @JsonProperty
    public void setMinCustomersPerArm(int minCustomersPerArm) {
        this.minCustomersPerArm = minCustomersPerArm;
    }

    @JsonProperty
    public int getMinBuyersPerArm() {
        return minBuyersPerArm;
    }

    @JsonProperty
    public void setMinBuyersPerArm(int minBuyersPerArm) {
        this.minBuyersPerArm = minBuyersPerArm;
    }

    /**
     * Holdout share assumed by the sample-ratio check for campaigns found only in the send ledger
     * (the campaigns API records each campaign's own); null: no check for those.
     */
    @JsonProperty
    public Double getDefaultHoldoutShare() {
        return defaultHoldoutShare;
    }

    @JsonProperty
    public void setDefaultHoldoutShare(Double defaultHoldoutShare) {
        this.defaultHoldoutShare = defaultHoldoutShare;
    }

    @JsonProperty
    public double getSampleRatioThreshold() {
        return sampleRatioThreshold;
    }

    @JsonProperty
    public void setSampleRatioThreshold(double sampleRatioThreshold) {
        this.sampleRatioThreshold = sampleRatioThreshold;
    }

    public LiftReportService.Options options() {
        return new LiftReportService.Options(
                windows,
                defaultWindowDays,
                365,
                preDays,
                new LiftAnalysis.Settings(
                        confidence,
                        winsorizeLower,
                        winsorizeUpper,
                        minCustomersPerArm,
                        minBuyersPerArm,
                        0.8,
                        interimAlpha),
                sampleRatioThreshold,
                lateDataDays,
                java.time.Duration.ofMinutes(staleAfterMinutes));
    }

    /**
     * The service. The sample-ratio check expects each campaign's own holdout share from the
     * campaigns table, and {@code defaultHoldoutShare} for campaigns known only from the send
     * ledger (none: no check for those).
     */
    public LiftReportService build(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        return new LiftReportService(jdbi, mapper, clock, options(), holdoutShares(jdbi));
    }

    /** Each campaign's planned holdout share, or the configured default for ledger-only ones. */
    LiftReportService.HoldoutShares holdoutShares(Jdbi jdbi) {
        Double fallback = defaultHoldoutShare;
        LiftReportDao dao = jdbi.onDemand(LiftReportDao.class);
        return (tenantId, campaignId) -> {
            Optional<Double> planned = dao.plannedHoldoutShare(tenantId, campaignId);
            if (planned.isPresent()) {
                return Optional.of(
                        new LiftReportService.ExpectedShare(
                                planned.get(), "the campaign's holdout share"));
            }
            return fallback == null
                    ? Optional.empty()
                    : Optional.of(
                            new LiftReportService.ExpectedShare(
                                    fallback, "configured default (lift.defaultHoldoutShare)"));
        };
    }
}
