package io.hilal.core.reco.als;

import io.hilal.core.error.Checks;

/**
 * Settings of one implicit-feedback ALS training run. Kept as one validated value so a training
 * job, the offline evaluation and the benchmark all describe a run the same way, and so a bad
 * setting fails before any work starts with a {@link io.hilal.core.error.ValidationException}
 * naming every broken field.
 *
 * @param factors the rank: length of every user and item vector
 * @param iterations alternating sweeps (items, then users)
 * @param regularization lambda, the L2 penalty on every vector
 * @param alpha confidence slope: an interaction of weight r counts with confidence 1 + alpha r
 * @param cgSteps conjugate-gradient steps per vector and sweep, warm-started from the last sweep
 * @param threads worker threads for the per-vector solves
 * @param seed the random initialization; equal seeds and data give equal models
 * @param scaledRegularization multiply lambda by each vector's interaction count (ALS-WR, what
 *     Spark MLlib does) instead of one flat lambda for every vector (Hu, Koren and Volinsky)
 * @param unobservedWeight 0 for Hu, Koren and Volinsky's objective (confidence 1 + alpha·r); above
 *     0, the weight α0 of every pair in the objective of Rendle, Krichene, Zhang and Koren 2021
 *     ("Revisiting the performance of iALS"): each interaction of weight r counts r times towards
 *     1, every pair α0 towards 0, and a vector with n interactions against N vectors is penalized
 *     λ·(n + α0·N); {@code alpha} and {@code scaledRegularization} are then unused
 */
public record AlsParams(
        int factors,
        int iterations,
        double regularization,
        double alpha,
        int cgSteps,
        int threads,
        long seed,
        boolean scaledRegularization,
        double unobservedWeight) {

    public static final int MAX_FACTORS = 1024;
    public static final int MAX_ITERATIONS = 1000;
    public static final int MAX_CG_STEPS = 100;
    public static final int MAX_THREADS = 256;

    public AlsParams {
        Checks checks = new Checks();
        if (factors < 1 || factors > MAX_FACTORS) {
            checks.fail("factors", "must be between 1 and " + MAX_FACTORS + ", was " + factors);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            checks.fail(
                    "iterations",
                    "must be between 1 and " + MAX_ITERATIONS + ", was " + iterations);
        }
        if (!(regularization > 0) || Double.isInfinite(regularization)) {
            checks.fail(
                    "regularization", "must be a positive finite number, was " + regularization);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            checks.fail("alpha", "must be a positive finite number, was " + alpha);
        }
        if (cgSteps < 1 || cgSteps > MAX_CG_STEPS) {
            checks.fail("cgSteps", "must be between 1 and " + MAX_CG_STEPS + ", was " + cgSteps);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            checks.fail("threads", "must be between 1 and " + MAX_THREADS + ", was " + threads);
        }
        if (!(unobservedWeight >= 0) || Double.isInfinite(unobservedWeight)) {
            checks.fail(
                    "unobservedWeight",
                    "must be zero or a positive finite number, was " + unobservedWeight);
        }
        checks.throwIfAny();
    }

    /** Hu, Koren and Volinsky's objective, lambda flat or count-scaled. */
    public AlsParams(
            int factors,
            int iterations,
            double regularization,
            double alpha,
            int cgSteps,
            int threads,
            long seed,
            boolean scaledRegularization) {
        this(
                factors,
                iterations,
                regularization,
                alpha,
                cgSteps,
                threads,
                seed,
                scaledRegularization,
                0);
    }

    /** Flat lambda, as in Hu, Koren and Volinsky. */
    public AlsParams(
            int factors,
            int iterations,
            double regularization,
            double alpha,
            int cgSteps,
            int threads,
            long seed) {
        this(factors, iterations, regularization, alpha, cgSteps, threads, seed, false);
    }

    /**
     * 64 factors, 15 sweeps, flat lambda 30, alpha 1, 3 CG steps, one thread per processor, seed
     * 42: what the offline evaluation's validation grid chose for Online Retail purchase counts.
     */
    public static AlsParams defaults() {
        return new AlsParams(
                64, 15, 30.0, 1.0, 3, Math.min(MAX_THREADS, availableProcessors()), 42L);
    }

    public AlsParams withFactors(int value) {
        return new AlsParams(
                value,
                iterations,
                regularization,
                alpha,
                cgSteps,
                threads,
                seed,
                scaledRegularization,
                unobservedWeight);
    }

    public AlsParams withIterations(int value) {
        return new AlsParams(
                factors,
                value,
                regularization,
                alpha,
                cgSteps,
                threads,
                seed,
                scaledRegularization,
                unobservedWeight);
    }

    public AlsParams withRegularization(double value) {
        return new AlsParams(
                factors,
                iterations,
                value,
                alpha,
                cgSteps,
                threads,
                seed,
                scaledRegularization,
                unobservedWeight);
    }

    public AlsParams withAlpha(double value) {
        return new AlsParams(
                factors,
                iterations,
                regularization,
                value,
                cgSteps,
                threads,
                seed,
                scaledRegularization,
                unobservedWeight);
    }

    public AlsParams withCgSteps(int value) {
        return new AlsParams(
                factors,
                iterations,
                regularization,
                alpha,
                value,
                threads,
                seed,
                scaledRegularization,
                unobservedWeight);
    }

    public AlsParams withThreads(int value) {
        return new AlsParams(
                factors,
                iterations,
                regularization,
                alpha,
                cgSteps,
                value,
                seed,
                scaledRegularization,
                unobservedWeight);
    }

    public AlsParams withSeed(long value) {
        return new AlsParams(
                factors,
                iterations,
                regularization,
                alpha,
                cgSteps,
                threads,
                value,
                scaledRegularization,
                unobservedWeight);
    }

    public AlsParams withScaledRegularization(boolean value) {
        return new AlsParams(
                factors,
                iterations,
                regularization,
                alpha,
                cgSteps,
                threads,
                seed,
                value,
                unobservedWeight);
    }

    public AlsParams withUnobservedWeight(double value) {
        return new AlsParams(
                factors,
                iterations,
                regularization,
                alpha,
                cgSteps,
                threads,
                seed,
                scaledRegularization,
                value);
    }

    /** Whether this is the objective of Rendle et al. 2021 rather than Hu, Koren and Volinsky's. */
    public boolean frequencyScaled() {
        return unobservedWeight > 0;
    }

    private static int availableProcessors() {
        return Runtime.getRuntime().availableProcessors();
    }
}
