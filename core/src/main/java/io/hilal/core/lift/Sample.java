package io.hilal.core.lift;

/** Size, mean and unbiased variance of one group's per-customer values. */
public record Sample(long n, double mean, double variance) {
    public static Sample of(double[] values) {
        long n = values.length;
        double mean = 0;
        for (double value : values) {
            mean += value;
        }
        mean /= n;
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return new Sample(n, mean, n > 1 ? squares / (n - 1) : 0);
    }
}
