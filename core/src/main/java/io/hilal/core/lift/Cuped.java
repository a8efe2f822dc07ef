package io.hilal.core.lift;

/**
 * CUPED (Deng, Xu, Kohavi and Walker, 2013): subtracts from each customer's outcome the part that
 * their pre-period behaviour predicts, {@code Y − θ(X − mean X)} with {@code θ = cov(Y, X) /
 * var(X)}. Both θ and the covariate's mean come from the pooled sample (both arms together), so the
 * adjustment does not depend on the assignment; because the covariate is measured before the send,
 * it cannot be moved by the campaign and the adjusted difference estimates the same effect with
 * less noise.
 */
public final class Cuped {
    private Cuped() {}

    /** The fitted adjustment: the slope θ and the pooled covariate mean. */
    public record Fit(double theta, double covariateMean) {
        /** Adjusted values; the input arrays are left alone. */
        public double[] apply(double[] outcome, double[] covariate) {
            double[] adjusted = new double[outcome.length];
            for (int i = 0; i < outcome.length; i++) {
                adjusted[i] = outcome[i] - theta * (covariate[i] - covariateMean);
            }
            return adjusted;
        }
    }

    /** θ = cov(Y, X) / var(X) over all customers; 0 when the covariate is constant. */
    public static Fit fit(double[] outcome, double[] covariate) {
        if (outcome.length != covariate.length) {
            throw new IllegalArgumentException("outcome and covariate differ in length");
        }
        int n = outcome.length;
        if (n < 2) {
            return new Fit(0, n == 1 ? covariate[0] : 0);
        }
        double meanY = 0;
        double meanX = 0;
        for (int i = 0; i < n; i++) {
            meanY += outcome[i];
            meanX += covariate[i];
        }
        meanY /= n;
        meanX /= n;
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            double dx = covariate[i] - meanX;
            covariance += (outcome[i] - meanY) * dx;
            variance += dx * dx;
        }
        return new Fit(variance == 0 ? 0 : covariance / variance, meanX);
    }
}
