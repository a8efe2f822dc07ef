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
        float alpha = (float) params.alpha();
        float lambda = (float) params.regularization();
        SplittableRandom random = new SplittableRandom(params.seed());
        float[] userFactors = initial(users, k, random);
        float[] itemFactors = initial(items, k, random);

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
                        lambda,
                        alpha,
                        params.cgSteps(),
                        params.scaledRegularization(),
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
                        lambda,
                        alpha,
                        params.cgSteps(),
                        params.scaledRegularization(),
                        parallel);
                if (listener != null) {
                    listener.afterIteration(
                            iteration,
                            new Progress() {
                                @Override
                                public double loss() {
                                    return ImplicitAls.loss(
                                            data,
                                            userFactors,
                                            itemFactors,
                                            k,
                                            lambda,
                                            alpha,
                                            params.scaledRegularization(),
                                            parallel);
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
                userFactors,
                itemFactors);
    }

    private static float[] initial(int rows, int k, SplittableRandom random) {
        float[] factors = new float[rows * k];
        double scale = 0.1 / Math.sqrt(k);
        for (int i = 0; i < factors.length; i++) {
            factors[i] = (float) (random.nextDouble(-1, 1) * scale);
        }
        return factors;
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
            float lambda,
            float alpha,
            int steps,
            boolean scaled,
            Parallel parallel) {
        double[] gram = Kernels.gram(fixed, fixedRows, k, parallel);
        float[] regularized = new float[k * k];
        for (int i = 0; i < gram.length; i++) {
            regularized[i] = (float) gram[i];
        }
        for (int i = 0; i < k; i++) {
            regularized[i * k + i] += lambda;
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
                                alpha,
                                // ALS-WR: lambda times the row's count (the Gram has one lambda).
                                scaled ? lambda * (pointers[row + 1] - pointers[row] - 1) : 0f,
                                steps,
                                scratch);
                    }
                });
    }

    /**
     * Σ over all pairs of c (p − x·y)², computed without visiting the unobserved pairs: Σ_u
     * xᵀ(YᵀY)x covers every pair as if unobserved, and each observed pair adds c (1 − s)² − s².
     */
    static double loss(
            Interactions data,
            float[] userFactors,
            float[] itemFactors,
            int k,
            float lambda,
            float alpha,
            boolean scaled,
            Parallel parallel) {
        double[] gram = Kernels.gram(itemFactors, data.itemCount(), k, parallel);
        int[] pointers = data.userPointers();
        int[] columns = data.userItems();
        float[] weights = data.userWeights();
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
            for (int i = 0; i < k; i++) {
                total += userFactors[offset + i] * gx[i];
            }
            for (int at = pointers[user]; at < pointers[user + 1]; at++) {
                double s = Kernels.dot(userFactors, offset, itemFactors, columns[at] * k, k);
                double c = 1 + alpha * weights[at];
                total += c * (1 - s) * (1 - s) - s * s;
            }
        }
        return total
                + lambda
                        * (squaredNorm(userFactors, k, scaled ? pointers : null)
                                + squaredNorm(itemFactors, k, scaled ? data.itemPointers() : null));
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
