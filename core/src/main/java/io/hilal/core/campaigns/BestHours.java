package io.hilal.core.campaigns;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * Each customer's best local hour for an email, learned from the hours (in their own time zone) at
 * which they opened or clicked emails and placed orders. A customer with a long history gets their
 * own pattern; one with two orders gets mostly their time zone's, and a time zone with few
 * customers mostly the tenant's: a Dirichlet prior centred on the level above, whose strength (in
 * pseudo-events) is chosen by empirical Bayes, the one that best predicts each customer's events
 * left out in turn. The best hour is the one with the most expected activity in it and, at half
 * weight, in its two neighbours (one-hour bins are noisy, and an email is read in the hour or so
 * after it arrives), among the hours the caller allows (outside quiet hours, inside the send's
 * validity). Pure: the activity is given, nothing is read.
 */
public final class BestHours {
    public static final int HOURS = 24;

    /** Prior strengths tried, in pseudo-events (a geometric grid). */
    static final double[] STRENGTHS = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256};

    /** One customer's activity: their time zone and their events per local hour (0..23). */
    public record Activity(String zone, int[] hours) {
        public Activity {
            if (hours.length != HOURS) {
                throw new IllegalArgumentException("an activity has 24 hourly counts");
            }
        }

        public int total() {
            int total = 0;
            for (int count : hours) {
                total += count;
            }
            return total;
        }
    }

    private final double[] tenant;
    private final Map<String, double[]> zones;
    private final double zoneStrength;
    private final double customerStrength;

    private BestHours(
            double[] tenant,
            Map<String, double[]> zones,
            double zoneStrength,
            double customerStrength) {
        this.tenant = tenant;
        this.zones = zones;
        this.zoneStrength = zoneStrength;
        this.customerStrength = customerStrength;
    }

    /** Learns the tenant's and each time zone's pattern and both prior strengths. */
    public static BestHours fit(Collection<Activity> customers) {
        double[] tenantCounts = new double[HOURS];
        Map<String, double[]> zoneCounts = new HashMap<>();
        for (Activity customer : customers) {
            double[] zone = zoneCounts.computeIfAbsent(customer.zone(), z -> new double[HOURS]);
            for (int h = 0; h < HOURS; h++) {
                tenantCounts[h] += customer.hours()[h];
                zone[h] += customer.hours()[h];
            }
        }
        // One pseudo-event spread over the day: a tenant with no history at all is flat.
        double[] tenant = posterior(tenantCounts, uniform(), 1);
        double zoneStrength = zoneStrength(zoneCounts.values(), tenant);
        Map<String, double[]> zones = new HashMap<>();
        zoneCounts.forEach(
                (zone, counts) -> zones.put(zone, posterior(counts, tenant, zoneStrength)));
        double customerStrength = customerStrength(customers, zones, tenant);
        return new BestHours(tenant, zones, zoneStrength, customerStrength);
    }

    private static double customerStrength(
            Collection<Activity> customers, Map<String, double[]> zones, double[] tenant) {
        double best = STRENGTHS[0];
        double bestLikelihood = Double.NEGATIVE_INFINITY;
        for (double strength : STRENGTHS) {
            double likelihood = 0;
            for (Activity customer : customers) {
                likelihood +=
                        leaveOneOut(
                                asDoubles(customer),
                                zones.getOrDefault(customer.zone(), tenant),
                                strength);
            }
            if (likelihood > bestLikelihood) {
                bestLikelihood = likelihood;
                best = strength;
            }
        }
        return best;
    }

    private static double zoneStrength(Collection<double[]> zones, double[] tenant) {
        double best = STRENGTHS[0];
        double bestLikelihood = Double.NEGATIVE_INFINITY;
        for (double strength : STRENGTHS) {
            double likelihood = 0;
            for (double[] counts : zones) {
                likelihood += leaveOneOut(counts, tenant, strength);
            }
            if (likelihood > bestLikelihood) {
                bestLikelihood = likelihood;
                best = strength;
            }
        }
        return best;
    }

    /**
     * The log-likelihood of each event given the others of its group under a Dirichlet prior of
     * {@code strength} centred on {@code prior}: the Dirichlet-multinomial's leave-one-out
     * predictive, which rewards a strength that generalizes rather than one that fits.
     */
    static double leaveOneOut(double[] counts, double[] prior, double strength) {
        double total = 0;
        for (double count : counts) {
            total += count;
        }
        if (total < 2) {
            return 0;
        }
        double likelihood = 0;
        for (int h = 0; h < HOURS; h++) {
            if (counts[h] > 0) {
                likelihood +=
                        counts[h]
                                * Math.log(
                                        (counts[h] - 1 + strength * prior[h])
                                                / (total - 1 + strength));
            }
        }
        return likelihood;
    }

    /** The tenant's hour distribution (what a customer with no history in a new zone gets). */
    public double[] tenant() {
        return tenant.clone();
    }

    public double zoneStrength() {
        return zoneStrength;
    }

    public double customerStrength() {
        return customerStrength;
    }

    /** A customer's expected share of activity in each local hour. */
    public double[] distribution(Activity customer) {
        return posterior(
                asDoubles(customer), zones.getOrDefault(customer.zone(), tenant), customerStrength);
    }

    /**
     * The customer's best local hour among those {@code allowed}, or empty when none is allowed.
     * Ties go to the earliest allowed hour.
     */
    public OptionalInt bestHour(Activity customer, IntPredicate allowed) {
        return best(distribution(customer), allowed);
    }

    /** The tenant's most common hour among those allowed (the baseline a best hour must beat). */
    public OptionalInt tenantHour(IntPredicate allowed) {
        return best(tenant, allowed);
    }

    static OptionalInt best(double[] distribution, IntPredicate allowed) {
        int best = -1;
        double bestScore = -1;
        for (int h = 0; h < HOURS; h++) {
            if (!allowed.test(h)) {
                continue;
            }
            // A triangular kernel: the hour itself counts fully, its neighbours half.
            double score =
                    0.5 * distribution[(h + HOURS - 1) % HOURS]
                            + distribution[h]
                            + 0.5 * distribution[(h + 1) % HOURS];
            if (score > bestScore + 1e-12) {
                bestScore = score;
                best = h;
            }
        }
        return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /**
     * Hours whose start is outside the quiet hours ({@code null} or off: every hour). An email sent
     * at 20:00 with quiet hours from 21:00 goes out; one at 07:00 with quiet hours until 08:00
     * would wait, so 07:00 is not a choice.
     */
    public static IntPredicate outside(CampaignRequest.QuietHours quiet) {
        if (quiet == null || quiet.off() || quiet.start() == null || quiet.end() == null) {
            return h -> true;
        }
        LocalTime start = quiet.start();
        LocalTime end = quiet.end();
        return h -> {
            LocalTime time = LocalTime.of(h, 0);
            boolean quietNow =
                    start.isBefore(end)
                            ? !time.isBefore(start) && time.isBefore(end)
                            : !time.isBefore(start) || time.isBefore(end);
            return !quietNow;
        };
    }

    /** Adds one event at {@code at} to {@code hours}, in the customer's local hour. */
    public static void add(int[] hours, Instant at, ZoneId zone) {
        hours[at.atZone(zone).getHour()]++;
    }

    private static double[] posterior(double[] counts, double[] prior, double strength) {
        double total = 0;
        for (double count : counts) {
            total += count;
        }
        double[] mean = new double[HOURS];
        for (int h = 0; h < HOURS; h++) {
            mean[h] = (counts[h] + strength * prior[h]) / (total + strength);
        }
        return mean;
    }

    private static double[] asDoubles(Activity customer) {
        double[] counts = new double[HOURS];
        for (int h = 0; h < HOURS; h++) {
            counts[h] = customer.hours()[h];
        }
        return counts;
    }

    private static double[] uniform() {
        double[] flat = new double[HOURS];
        java.util.Arrays.fill(flat, 1.0 / HOURS);
        return flat;
    }
}
