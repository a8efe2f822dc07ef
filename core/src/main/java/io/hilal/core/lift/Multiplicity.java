package io.hilal.core.lift;

/**
 * Multiplicity adjustment for one primary and several secondary metrics: serial gatekeeping, then
 * Holm. The primary is tested at the full α (it makes the headline, so its interval and p-value
 * stay as shown); a secondary can claim an effect only if the primary does, and the secondaries are
 * Holm-adjusted among themselves. The adjusted p-value of a secondary is {@code max(p primary, Holm
 * p)}, so it is at most α exactly when the procedure rejects it, and the chance of any false claim
 * among all the metrics is at most α (Dmitrienko and Tamhane, "Gatekeeping procedures in clinical
 * trials", 2007).
 */
public final class Multiplicity {
    private Multiplicity() {}

    /** Adjusted p-values of the secondaries, in their order. */
    public static double[] gatedHolm(double primary, double... secondaries) {
        double[] holm = holm(secondaries);
        for (int i = 0; i < holm.length; i++) {
            holm[i] = Math.max(primary, holm[i]);
        }
        return holm;
    }

    /** Holm's step-down adjusted p-values, in the input order. */
    public static double[] holm(double... pValues) {
        int m = pValues.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(pValues[a], pValues[b]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
