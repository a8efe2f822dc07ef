package io.hilal.core.reco.als;

import java.util.SplittableRandom;

/**
 * Implicit-feedback matrix factorization (Hu, Koren and Volinsky 2008): every observed pair has
 * preference 1 with confidence 1 + alpha·r, every other pair preference 0 with confidence 1. It is
 * solved by alternating least squares where each vector gets a few conjugate-gradient steps
 * warm-started from its previous value (Takács, Pilászy and Tikk 2011) instead of an exact solve,
 * using the shared Gram matrix YᵀY so a vector with n interactions costs O(n·k + k²) per step
 * rather than O(n·k² + k³). Rows are solved on a bounded pool of threads; the model depends only on
 * the data and the seed, not on the thread count.
 *
 * <p>With {@link AlsParams#unobservedWeight()} above 0 the same solver fits the objective of
 * Rendle, Krichene, Zhang and Koren 2021 instead: Σ r (1 − x·y)² over the interactions, α0 Σ (x·y)²
 * over every pair, and each vector penalized λ·(n + α0·N) for its n interactions against N vectors
 * on the other side. Divided by α0, a row's normal equations are the ones above with c − 1 = r/α0,
 * right-hand side Σ (r/α0) y and a flat λN plus λ/α0 per interaction on the diagonal.
 */
public final class ImplicitAls {
    /** Rows per claimed block: small enough to balance heavy users, large enough to amortize. */
    private static final int BLOCK = 32;

    private ImplicitAls() {}

    /** Called after every sweep, for progress reports, loss curves and early evaluation. */
    @FunctionalInterface
    public interface Listener {
        void afterIteration(int iteration, Progress progress);
    }

    /** The state after one sweep; both views are computed only when asked for. */
    public interface Progress {
        /** The training objective: Σ c (p − x·y)² over all pairs + λ (Σ‖x‖² + Σ‖y‖²). */
        double loss();

        /** A copy of the factors so far, as a model. */
        AlsModel model();
    }

    public static AlsModel train(Interactions data, AlsParams params) {
        return train(data, params, null);
    }

    public static AlsModel train(Interactions data, AlsParams params, Listener listener) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("no interactions to train on");
        }
        int k = params.factors();
        int users = data.userCount();
        int items = data.itemCount();
        SplittableRandom random = new SplittableRandom(params.seed());
        boolean gaussian = params.frequencyScaled();
        float[] userFactors = initial(users, k, random, gaussian);
        float[] itemFactors = initial(items, k, random, gaussian);

        try (Parallel parallel = new Parallel(params.threads(), k)) {
            for (int iteration = 1; iteration <= params.iterations(); iteration++) {
                // Items first, then users, so the returned user vectors fit the final items.
                sweep(
                        itemFactors,
                        items,
                        userFactors,
                        users,
                        data.itemPointers(),
                        data.itemUsers(),
                        data.itemWeights(),
                        k,
                        params,
                        parallel);
                sweep(
                        userFactors,
                        users,
                        itemFactors,
                        items,
                        data.userPointers(),
                        data.userItems(),
                        data.userWeights(),
                        k,
                        params,
                        parallel);
                if (listener != null) {
                    listener.afterIteration(
                            iteration,
                            new Progress() {
                                @Override
                                public double loss() {
                                    return ImplicitAls.loss(
                                            data, userFactors, itemFactors, k, params, parallel);
                                }

                                @Override
                                public AlsModel model() {
                                    return new AlsModel(
                                            data.userIdArray(),
                                            data.itemIdArray(),
                                            k,
                                            params.regularization(),
                                            params.alpha(),
                                            params.scaledRegularization(),
                                            params.unobservedWeight(),
                                            userFactors.clone(),
                                            itemFactors.clone());
                                }
                            });
                }
            }
        }
        return new AlsModel(
                data.userIdArray(),
                data.itemIdArray(),
                k,
                params.regularization(),
                params.alpha(),
                params.scaledRegularization(),
                params.unobservedWeight(),
                userFactors,
                itemFactors);
    }

    /** Small random vectors; Gaussian with standard deviation 0.1/√k for iALS, as Rendle et al. */
    private static float[] initial(int rows, int k, SplittableRandom random, boolean gaussian) {
        float[] factors = new float[rows * k];
        double scale = 0.1 / Math.sqrt(k);
        for (int i = 0; i < factors.length; i++) {
            double draw = gaussian ? random.nextGaussian() : random.nextDouble(-1, 1);
            factors[i] = (float) (draw * scale);
        }
        return factors;
    }

    /**
     * One side's normal equations: {@code diagonal} on the Gram's diagonal for every row, plus
     * {@code perCount}·(n + {@code countOffset}) for a row with n interactions, c − 1 = {@code
     * slope}·r for an interaction of weight r, and right-hand side Σ ({@code base} + c − 1) y.
     */
    record Terms(float diagonal, float perCount, int countOffset, float slope, float base) {
        static Terms of(AlsParams params, int fixedRows) {
            float lambda = (float) params.regularization();
            if (params.frequencyScaled()) {
                double alpha0 = params.unobservedWeight();
                return new Terms(
                        (float) (params.regularization() * fixedRows),
                        (float) (params.regularization() / alpha0),
                        0,
                        (float) (1 / alpha0),
                        0f);
            }
            // ALS-WR: lambda times the row's count (the Gram already has one lambda).
            return new Terms(
                    lambda,
                    params.scaledRegularization() ? lambda : 0f,
                    -1,
                    (float) params.alpha(),
                    1f);
        }

        float extraDiagonal(int count) {
            return perCount == 0 ? 0f : perCount * (count + countOffset);
        }
    }

    private static void sweep(
            float[] target,
            int rows,
            float[] fixed,
            int fixedRows,
            int[] pointers,
            int[] columns,
            float[] weights,
            int k,
            AlsParams params,
            Parallel parallel) {
        Terms terms = Terms.of(params, fixedRows);
        int steps = params.cgSteps();
        double[] gram = Kernels.gram(fixed, fixedRows, k, parallel);
        float[] regularized = new float[k * k];
        for (int i = 0; i < gram.length; i++) {
            regularized[i] = (float) gram[i];
        }
        for (int i = 0; i < k; i++) {
            regularized[i * k + i] += terms.diagonal();
        }
        parallel.forEachBlock(
                rows,
                BLOCK,
                (from, to, scratch) -> {
                    for (int row = from; row < to; row++) {
                        Kernels.conjugateGradient(
                                target,
                                row,
                                k,
                                regularized,
                                fixed,
                                columns,
                                weights,
                                pointers[row],
                                pointers[row + 1],
                                terms.slope(),
                                terms.base(),
                                terms.extraDiagonal(pointers[row + 1] - pointers[row]),
                                steps,
                                scratch);
                    }
                });
    }

    /**
     * The training objective, computed without visiting the unobserved pairs: Σ_u xᵀ(YᵀY)x covers
     * every pair as if unobserved, and each observed pair adds its own term minus that. Hu, Koren
     * and Volinsky: Σ c (p − x·y)² + λ‖·‖² (count-weighted for ALS-WR). Rendle et al.: Σ r (1 −
     * x·y)² + α0 Σ (x·y)² + Σ λ(n + α0·N)‖·‖².
     */
    static double loss(
            Interactions data,
            float[] userFactors,
            float[] itemFactors,
            int k,
            AlsParams params,
            Parallel parallel) {
        double[] gram = Kernels.gram(itemFactors, data.itemCount(), k, parallel);
        int[] pointers = data.userPointers();
        int[] columns = data.userItems();
        float[] weights = data.userWeights();
        boolean frequencyScaled = params.frequencyScaled();
        double alpha0 = params.unobservedWeight();
        double alpha = params.alpha();
        double total = 0;
        double[] gx = new double[k];
        for (int user = 0; user < data.userCount(); user++) {
            int offset = user * k;
            for (int i = 0; i < k; i++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += gram[i * k + j] * userFactors[offset + j];
                }
                gx[i] = sum;
            }
            double all = 0;
            for (int i = 0; i < k; i++) {
                all += userFactors[offset + i] * gx[i];
            }
            total += frequencyScaled ? alpha0 * all : all;
            for (int at = pointers[user]; at < pointers[user + 1]; at++) {
                double s = Kernels.dot(userFactors, offset, itemFactors, columns[at] * k, k);
                total +=
                        frequencyScaled
                                ? weights[at] * (1 - s) * (1 - s)
                                : (1 + alpha * weights[at]) * (1 - s) * (1 - s) - s * s;
            }
        }
        double lambda = params.regularization();
        if (frequencyScaled) {
            return total
                    + lambda
                            * (penalty(userFactors, k, pointers, alpha0 * data.itemCount())
                                    + penalty(
                                            itemFactors,
                                            k,
                                            data.itemPointers(),
                                            alpha0 * data.userCount()));
        }
        boolean scaled = params.scaledRegularization();
        return total
                + lambda
                        * (squaredNorm(userFactors, k, scaled ? pointers : null)
                                + squaredNorm(itemFactors, k, scaled ? data.itemPointers() : null));
    }

    /** Σ (n + offset)‖row‖² for rows with n interactions each. */
    private static double penalty(float[] values, int k, int[] pointers, double offset) {
        double sum = 0;
        for (int row = 0; row * k < values.length; row++) {
            double norm = 0;
            for (int i = row * k; i < (row + 1) * k; i++) {
                norm += (double) values[i] * values[i];
            }
            sum += norm * (pointers[row + 1] - pointers[row] + offset);
        }
        return sum;
    }

    /** Σ‖row‖², each row weighted by its interaction count when {@code pointers} is given. */
    private static double squaredNorm(float[] values, int k, int[] pointers) {
        double sum = 0;
        for (int row = 0; row * k < values.length; row++) {
            double norm = 0;
            for (int i = row * k; i < (row + 1) * k; i++) {
                norm += (double) values[i] * values[i];
            }
            sum += pointers == null ? norm : norm * (pointers[row + 1] - pointers[row]);
        }
        return sum;
    }
}
