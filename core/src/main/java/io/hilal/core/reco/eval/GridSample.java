package io.hilal.core.reco.eval;

import java.util.Locale;

/**
 * How much of a tenant's data ALS's validation grid runs on. The grid trains every setting for its
 * longest sweep count, so its cost grows with the purchases: at ten million of them the production
 * grid (twelve settings × 15 sweeps) would take about twelve final fits, hours on two cores. Past a
 * budget the grid therefore runs on a random share of the customers, each with all of their
 * purchases (so each sampled customer's tastes are as complete as in the real model), and the
 * chosen setting is then trained on everything.
 *
 * <p>The budget is counted in purchase lines × sweeps rather than seconds so the choice does not
 * depend on how busy the machine is: the same data always gets the same sample and the same
 * setting. A floor of customers keeps the validation meaningful for a large catalog with few
 * customers per product.
 *
 * <p>A count-scaled lambda (ALS-WR) transfers from the sample to all data unchanged: a product's
 * penalty shrinks with its sampled purchases just as its data term does. A flat lambda does not (on
 * the sample it weighs more against each product's fewer purchases), one more reason the grid tries
 * both.
 *
 * @param share the customers in the grid, in (0, 1]
 * @param reason why, in words, for the model version's stored choice
 */
public record GridSample(double share, String reason) {
    /**
     * Purchase lines × sweeps the grid may cost before it samples: about one 15-sweep final fit of
     * ten million purchase lines, so tuning a large tenant costs about as much again as training
     * it. The production grid (180 line-sweeps per line) runs whole up to about 830,000 lines.
     */
    public static final long DEFAULT_BUDGET = 150_000_000L;

    /** The fewest customers a sampled grid keeps. */
    public static final int MIN_CUSTOMERS = 20_000;

    /**
     * The most validation customers a sampled grid scores: each score ranks the whole catalog, and
     * 5,000 customers measure Recall@20 to about ±0.005, finer than the grid's steps.
     */
    public static final int MAX_VALIDATION_CUSTOMERS = 5_000;

    /** Mixed into each customer's hash, so the sample is not the same as other hash splits. */
    private static final long SALT = 0x5DEECE66DL;

    public GridSample {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], was " + share);
        }
    }

    /** Every customer: the grid runs on the whole data. */
    public static GridSample whole(String reason) {
        return new GridSample(1, reason);
    }

    /**
     * The share for {@code lines} purchase lines of {@code customers} customers when the grid costs
     * {@code sweepsPerLine} (settings × their longest sweep count) per line.
     */
    public static GridSample plan(
            long lines, long customers, long sweepsPerLine, long budget, int minCustomers) {
        if (lines < 0 || customers < 0 || sweepsPerLine < 1 || budget < 1 || minCustomers < 1) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "lines %d, customers %d, sweepsPerLine %d, budget %d, minCustomers %d",
                            lines,
                            customers,
                            sweepsPerLine,
                            budget,
                            minCustomers));
        }
        double work = (double) lines * sweepsPerLine;
        if (work <= budget) {
            return whole(
                    String.format(
                            Locale.ROOT,
                            "grid on all %d customers (%d lines × %d sweeps within the budget of"
                                    + " %d)",
                            customers,
                            lines,
                            sweepsPerLine,
                            budget));
        }
        double share = budget / work;
        if (share * customers < minCustomers) {
            if (customers <= minCustomers) {
                return whole(
                        String.format(
                                Locale.ROOT,
                                "grid on all %d customers (over the budget of %d line-sweeps, but"
                                        + " no more than the floor of %d customers)",
                                customers,
                                budget,
                                minCustomers));
            }
            share = (double) minCustomers / customers;
        }
        return new GridSample(
                share,
                String.format(
                        Locale.ROOT,
                        "grid on a %.1f%% sample of the %d customers, all their purchases (%d lines"
                                + " × %d sweeps is over the budget of %d line-sweeps); the chosen"
                                + " setting trained on all",
                        share * 100,
                        customers,
                        lines,
                        sweepsPerLine,
                        budget));
    }

    /** Whether the grid runs on every customer. */
    public boolean whole() {
        return share >= 1;
    }

    /**
     * Whether a customer is in the sample: decided by a hash of the id alone, so a re-run on the
     * same data picks the same customers, and a customer stays in as the data grows.
     */
    public boolean includes(String customerId) {
        return whole() || unit(customerId) < share;
    }

    /** A customer's place in [0, 1), uniform over ids (SplitMix64's finalizer on the hash). */
    static double unit(String customerId) {
        long z = customerId.hashCode() * 0x9E3779B97F4A7C15L + SALT;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
