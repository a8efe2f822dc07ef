package io.hilal.bench;

import io.hilal.core.campaigns.variants.VariantChooser;
import io.hilal.core.lift.Estimate;
import io.hilal.core.lift.LiftAnalysis;
import io.hilal.core.lift.Look;
import io.hilal.core.lift.VariantLift;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bench/run VariantSimulation <seed> [simulations [customers]]}: offer variants allocated as
 * the sender allocates them ({@link VariantChooser}: Thompson sampling per segment with a floor
 * share), on simulated campaigns whose variants' effects are known. Customers (40% new, 60%
 * returning) arrive over 10 days; 10% are held out first, at random, as at planning; each treated
 * one gets a variant and orders with the known probability of their segment and variant; the
 * allocation is recomputed every 1% of the customers on the outcomes of the sends before (its goal:
 * an order). Each campaign is run twice on the same customers and random numbers: allocated by
 * Thompson sampling, and uniformly (the baseline).
 *
 * <p>Reported per scenario: cumulative expected regret against always sending the single best
 * variant (the sum over treated sends of the best variant's order rate minus the chosen one's, for
 * the customer's segment), Thompson's as a ratio of the uniform allocation's; and the coverage of
 * each variant's lift interval ({@link VariantLift}: inverse-probability weighted against the
 * holdout) — at the final look (nominal 96%) and at every look at once, the nine daily interim ones
 * (always-valid, 1% error together) and the final one (nominal at least 95%). Not a speed
 * benchmark: its figures are regret and error rates.
 */
public final class VariantSimulation {
    static final String[] SEGMENTS = {"new", "returning"};
    static final double[] SEGMENT_SHARE = {0.4, 0.6};
    static final double[] BASELINE = {0.03, 0.12};
    static final double HOLDOUT = 0.10;
    static final int DAYS = 10;
    static final int REALLOCATIONS = 100;
    static final int MIN_PER_SEGMENT = 200;
    static final double MIN_SHARE = 0.05;

    /** Variants' effects on the order rate, {@code effect[variant][segment]}. */
    record Scenario(String name, double[][] effect) {
        int variants() {
            return effect.length;
        }

        double rate(int variant, int segment) {
            return BASELINE[segment] + effect[variant][segment];
        }

        /** The lift of sending {@code variant} to every treated customer. */
        double trueLift(int variant) {
            double lift = 0;
            for (int s = 0; s < SEGMENTS.length; s++) {
                lift += SEGMENT_SHARE[s] * effect[variant][s];
            }
            return lift;
        }

        int best() {
            int best = 0;
            for (int v = 1; v < variants(); v++) {
                if (trueLift(v) > trueLift(best)) {
                    best = v;
                }
            }
            return best;
        }
    }

    static final List<Scenario> SCENARIOS =
            List.of(
                    new Scenario(
                            "3 variants, +0 / +1 / +2 points for everyone",
                            new double[][] {{0, 0}, {0.01, 0.01}, {0.02, 0.02}}),
                    new Scenario(
                            "2 variants, +1 point for new and +4 for returning vs +3 and +0",
                            new double[][] {{0.01, 0.04}, {0.03, 0}}),
                    new Scenario(
                            "3 identical variants, +1 point each (A/A between variants)",
                            new double[][] {{0.01, 0.01}, {0.01, 0.01}, {0.01, 0.01}}));

    private VariantSimulation() {}

    public static void main(String[] args) {
        ExitOnFailure.install();
        if (args.length < 1) {
            System.err.println(
                    "usage: bench/run VariantSimulation <seed> [simulations [customers]]");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        int simulations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int customers = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        long started = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "%d simulated campaigns per scenario, %d customers each over %d days, %.0f%%"
                        + " holdout, seed %d%n",
                simulations,
                customers,
                DAYS,
                100 * HOLDOUT,
                seed);
        List<String> summary = new ArrayList<>();
        for (Scenario scenario : SCENARIOS) {
            Totals totals = new Totals(scenario.variants());
            for (int i = 0; i < simulations; i++) {
                long campaignSeed = seed * 1_000_003L + i * 7919L + scenario.name().hashCode();
                Run thompson = run(scenario, customers, campaignSeed, true);
                Run uniform = run(scenario, customers, campaignSeed, false);
                totals.add(thompson, uniform);
            }
            summary.add(totals.print(scenario, simulations));
        }
        System.out.printf(
                Locale.ROOT,
                "Ran in %.1f minutes on %d processors%n",
                (System.nanoTime() - started) / 6e10,
                Runtime.getRuntime().availableProcessors());
        summary.forEach(System.out::println);
    }

    /** One campaign's outcome under one allocation. */
    record Run(
            double regret,
            double bestShare,
            boolean[] coveredFinal,
            boolean[] coveredEveryLook,
            double[] finalWidth) {}

    static Run run(Scenario scenario, int n, long seed, boolean thompson) {
        SplittableRandom random = new SplittableRandom(seed);
        int k = scenario.variants();
        List<String> names = new ArrayList<>();
        for (int v = 0; v < k; v++) {
            names.add("v" + v);
        }
        int[] segment = new int[n];
        boolean[] heldOut = new boolean[n];
        boolean[] buyer = new boolean[n];
        int[] variant = new int[n];
        double[] share = new double[n];
        // Common random numbers: both allocations see the same customers and the same draws.
        double[] pickUniform = new double[n];
        double[] outcomeUniform = new double[n];
        for (int i = 0; i < n; i++) {
            segment[i] = random.nextDouble() < SEGMENT_SHARE[0] ? 0 : 1;
            heldOut[i] = random.nextDouble() < HOLDOUT;
            pickUniform[i] = random.nextDouble();
            outcomeUniform[i] = random.nextDouble();
        }
        int best = scenario.best();
        double regret = 0;
        long bestSends = 0;
        long treated = 0;
        int batch = Math.max(1, n / REALLOCATIONS);
        Map<String, Map<String, VariantChooser.Tally>> tallies = new HashMap<>();
        double[][] shares = new double[SEGMENTS.length][];
        double[] even = new double[k];
        Arrays.fill(even, 1.0 / k);
        for (int from = 0; from < n; from += batch) {
            for (int s = 0; s < SEGMENTS.length; s++) {
                shares[s] =
                        thompson
                                ? VariantChooser.allocate(
                                                names,
                                                tallies,
                                                SEGMENTS[s],
                                                MIN_PER_SEGMENT,
                                                MIN_SHARE,
                                                seed * 31 + from * 2L + s)
                                        .shares()
                                : even;
            }
            int to = Math.min(n, from + batch);
            for (int i = from; i < to; i++) {
                if (heldOut[i]) {
                    variant[i] = -1;
                    buyer[i] = outcomeUniform[i] < BASELINE[segment[i]];
                    continue;
                }
                int v = VariantChooser.pick(shares[segment[i]], pickUniform[i]);
                variant[i] = v;
                share[i] = shares[segment[i]][v];
                buyer[i] = outcomeUniform[i] < scenario.rate(v, segment[i]);
                regret += scenario.rate(best, segment[i]) - scenario.rate(v, segment[i]);
                bestSends += v == best ? 1 : 0;
                treated++;
            }
            // The goal (an order) of this batch's sends is known before the next allocation.
            for (int i = from; i < to; i++) {
                if (!heldOut[i]) {
                    tallies.computeIfAbsent(SEGMENTS[segment[i]], s -> new HashMap<>())
                            .merge(
                                    names.get(variant[i]),
                                    new VariantChooser.Tally(1, buyer[i] ? 1 : 0),
                                    VariantChooser.Tally::plus);
                }
            }
        }
        LiftAnalysis.Settings settings = LiftAnalysis.Settings.defaults();
        boolean[] coveredFinal = new boolean[k];
        boolean[] coveredEveryLook = new boolean[k];
        double[] finalWidth = new double[k];
        Arrays.fill(coveredEveryLook, true);
        for (int day = 1; day <= DAYS; day++) {
            int seen = (int) ((long) n * day / DAYS);
            Look look = day == DAYS ? settings.finalLook(DAYS) : settings.interim(day, DAYS, n);
            boolean[] b = Arrays.copyOf(buyer, seen);
            boolean[] h = Arrays.copyOf(heldOut, seen);
            int[] c = Arrays.copyOf(variant, seen);
            double[] p = Arrays.copyOf(share, seen);
            for (int v = 0; v < k; v++) {
                VariantLift.Result lift = VariantLift.estimate(b, h, c, p, v, settings, look);
                if (!lift.enoughData()) {
                    continue; // no interval shown: nothing to cover
                }
                Estimate e = lift.estimate();
                boolean covers = e.covers(scenario.trueLift(v));
                if (day == DAYS) {
                    coveredFinal[v] = covers;
                    finalWidth[v] = e.high() - e.low();
                } else {
                    coveredEveryLook[v] &= covers;
                }
            }
        }
        for (int v = 0; v < k; v++) {
            coveredEveryLook[v] &= coveredFinal[v] || finalWidth[v] == 0;
        }
        return new Run(
                regret, (double) bestSends / treated, coveredFinal, coveredEveryLook, finalWidth);
    }

    /** Sums over a scenario's campaigns. */
    static final class Totals {
        final List<Double> ratios = new ArrayList<>();
        double thompsonRegret;
        double uniformRegret;
        double thompsonBest;
        double uniformBest;
        final long[] finalCovered;
        final long[] everyLookCovered;
        final double[] thompsonWidth;
        final double[] uniformWidth;
        final long[] uniformCovered;
        long campaigns;

        Totals(int k) {
            finalCovered = new long[k];
            everyLookCovered = new long[k];
            thompsonWidth = new double[k];
            uniformWidth = new double[k];
            uniformCovered = new long[k];
        }

        void add(Run thompson, Run uniform) {
            campaigns++;
            thompsonRegret += thompson.regret();
            uniformRegret += uniform.regret();
            thompsonBest += thompson.bestShare();
            uniformBest += uniform.bestShare();
            if (uniform.regret() > 0) {
                ratios.add(thompson.regret() / uniform.regret());
            }
            for (int v = 0; v < finalCovered.length; v++) {
                finalCovered[v] += thompson.coveredFinal()[v] ? 1 : 0;
                everyLookCovered[v] += thompson.coveredEveryLook()[v] ? 1 : 0;
                uniformCovered[v] += uniform.coveredFinal()[v] ? 1 : 0;
                thompsonWidth[v] += thompson.finalWidth()[v];
                uniformWidth[v] += uniform.finalWidth()[v];
            }
        }

        String print(Scenario scenario, int simulations) {
            System.out.println();
            System.out.println("Scenario: " + scenario.name());
            double ratio = uniformRegret == 0 ? Double.NaN : thompsonRegret / uniformRegret;
            List<Double> sorted = new ArrayList<>(ratios);
            sorted.sort(null);
            double median = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
            System.out.printf(
                    Locale.ROOT,
                    "  cumulative regret vs always the best variant, per campaign: Thompson %.1f"
                            + " orders, uniform %.1f: ratio %.3f (median per campaign %.3f)%n",
                    thompsonRegret / campaigns,
                    uniformRegret / campaigns,
                    ratio,
                    median);
            System.out.printf(
                    Locale.ROOT,
                    "  share of treated sends given the best variant: Thompson %.3f, uniform"
                            + " %.3f%n",
                    thompsonBest / campaigns,
                    uniformBest / campaigns);
            double worstFinal = 1;
            double worstEvery = 1;
            for (int v = 0; v < finalCovered.length; v++) {
                double fin = (double) finalCovered[v] / campaigns;
                double every = (double) everyLookCovered[v] / campaigns;
                worstFinal = Math.min(worstFinal, fin);
                worstEvery = Math.min(worstEvery, every);
                System.out.printf(
                        Locale.ROOT,
                        "  variant %d (true lift %+.3f): final-look coverage %.3f (nominal 0.96),"
                                + " every look at once %.3f (nominal >= 0.95); uniform allocation's final"
                                + " coverage %.3f; mean width Thompson %.4f, uniform %.4f%n",
                        v,
                        scenario.trueLift(v),
                        fin,
                        every,
                        (double) uniformCovered[v] / campaigns,
                        thompsonWidth[v] / campaigns,
                        uniformWidth[v] / campaigns);
            }
            return String.format(
                    Locale.ROOT,
                    "%s: regret ratio Thompson/uniform %.3f; worst variant coverage final %.3f,"
                            + " every look %.3f (%d campaigns)",
                    scenario.name(),
                    ratio,
                    worstFinal,
                    worstEvery,
                    simulations);
        }
    }
}
