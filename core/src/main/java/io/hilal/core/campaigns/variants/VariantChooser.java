package io.hilal.core.campaigns.variants;

import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Which variant of an offer a treated customer gets, without I/O: Thompson sampling on each
 * variant's Beta posterior of its goal rate (a uniform prior, updated by the measured sends and
 * their successes), with a floor share per variant.
 *
 * <p>Thompson sampling sends each variant with the probability that it is the best one under the
 * posteriors. This class computes those probabilities (by drawing from the posteriors, {@link
 * #DRAWS} times), mixes in the floor, and then picks with one uniform number: the same allocation
 * in distribution as drawing once per send, but with the probability each send had known exactly.
 * The per-variant lift weighs each send by it (inverse probability weighting), which is what keeps
 * that lift unbiased while the allocation moves; the floor keeps those weights bounded.
 */
public final class VariantChooser {
    /** Posterior draws per allocation: the probabilities are within about 0.01 of exact. */
    public static final int DRAWS = 4000;

    private VariantChooser() {}

    /** A variant's measured sends (those whose goal window closed) and successes among them. */
    public record Tally(long sends, long successes) {
        public static final Tally NONE = new Tally(0, 0);

        public Tally plus(Tally other) {
            return new Tally(sends + other.sends, successes + other.successes);
        }
    }

    /**
     * The share of sends each variant gets, in the order of the variants, and whose figures they
     * came from: a segment's own ({@code segment}) or everyone's ({@code pooled}).
     */
    public record Allocation(double[] shares, String basis) {}

    /**
     * The allocation for a customer of {@code segment}: on the segment's own tallies when every
     * variant has at least {@code minPerSegment} measured sends in it, else on the pooled tallies.
     *
     * @param tallies by segment (null: no segment), then by variant name
     * @param seed the posterior draws' seed: the same figures and seed give the same allocation
     */
    public static Allocation allocate(
            List<String> variants,
            Map<String, Map<String, Tally>> tallies,
            String segment,
            int minPerSegment,
            double minShare,
            long seed) {
        Map<String, Tally> own = segment == null ? null : tallies.get(segment);
        boolean enough = own != null;
        if (enough) {
            for (String variant : variants) {
                enough &= own.getOrDefault(variant, Tally.NONE).sends() >= minPerSegment;
            }
        }
        Tally[] figures = new Tally[variants.size()];
        for (int v = 0; v < figures.length; v++) {
            if (enough) {
                figures[v] = own.get(variants.get(v));
            } else {
                Tally pooled = Tally.NONE;
                for (Map<String, Tally> bySegment : tallies.values()) {
                    pooled = pooled.plus(bySegment.getOrDefault(variants.get(v), Tally.NONE));
                }
                figures[v] = pooled;
            }
        }
        return new Allocation(
                shares(List.of(figures), minShare, new Well19937c(seed)),
                enough ? "segment" : "pooled");
    }

    /**
     * Each variant's probability of having the highest goal rate under Beta(1 + successes, 1 +
     * failures) posteriors, estimated from {@link #DRAWS} joint draws, then {@code minShare + (1 −
     * k · minShare) · p}, so every variant keeps at least {@code minShare}.
     */
    public static double[] shares(List<Tally> tallies, double minShare, RandomGenerator random) {
        int k = tallies.size();
        if (k == 0 || minShare < 0 || minShare * k > 1) {
            throw new IllegalArgumentException("need variants and 0 <= minShare <= 1/k");
        }
        BetaDistribution[] posteriors = new BetaDistribution[k];
        for (int v = 0; v < k; v++) {
            Tally t = tallies.get(v);
            if (t.successes() < 0 || t.successes() > t.sends()) {
                throw new IllegalArgumentException("successes must be between 0 and sends");
            }
            posteriors[v] =
                    new BetaDistribution(
                            random, 1.0 + t.successes(), 1.0 + t.sends() - t.successes());
        }
        double[] wins = new double[k];
        for (int draw = 0; draw < DRAWS; draw++) {
            int best = 0;
            double bestValue = -1;
            for (int v = 0; v < k; v++) {
                double value = posteriors[v].sample();
                if (value > bestValue) {
                    bestValue = value;
                    best = v;
                }
            }
            wins[best]++;
        }
        double[] shares = new double[k];
        for (int v = 0; v < k; v++) {
            shares[v] = minShare + (1 - k * minShare) * wins[v] / DRAWS;
        }
        return shares;
    }

    /** The index of the variant a uniform number {@code u} in [0, 1) picks under {@code shares}. */
    public static int pick(double[] shares, double u) {
        if (!(u >= 0 && u < 1)) {
            throw new IllegalArgumentException("u must be in [0, 1)");
        }
        double cumulative = 0;
        for (int v = 0; v < shares.length; v++) {
            cumulative += shares[v];
            if (u < cumulative) {
                return v;
            }
        }
        return shares.length - 1; // rounding: the shares sum to 1 within a few ulps
    }
}
