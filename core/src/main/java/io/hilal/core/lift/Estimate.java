package io.hilal.core.lift;

/**
 * A treated-minus-holdout difference with its 95% (or other) confidence interval and two-sided
 * p-value, plus the relative lift (difference over the holdout's level) with its own interval.
 */
public record Estimate(
        double treated,
        double holdout,
        double difference,
        double low,
        double high,
        double pValue,
        double relative,
        double relativeLow,
        double relativeHigh) {

    /** True when the interval excludes zero. */
    public boolean significant() {
        return low > 0 || high < 0;
    }

    public boolean covers(double value) {
        return low <= value && value <= high;
    }
}
