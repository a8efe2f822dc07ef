package io.hilal.core.reco.als;

/**
 * The dense kernels of implicit ALS on row-major {@code float[]} factor matrices: dot products,
 * Gram matrices, the conjugate-gradient row solve of Takács, Pilászy and Tikk, and a Cholesky solve
 * for fold-in. Plain loops the JIT unrolls and vectorizes; no allocation in the hot path.
 */
final class Kernels {
    private Kernels() {}

    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += a[aOffset + i] * b[bOffset + i];
            s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
            s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
            s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
        }
        for (; i < length; i++) {
            s0 += a[aOffset + i] * b[bOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y += a * x} over {@code length} entries. */
    static void axpy(float a, float[] x, int xOffset, float[] y, int length) {
        for (int i = 0; i < length; i++) {
            y[i] += a * x[xOffset + i];
        }
    }

    /**
     * The k × k Gram matrix FᵀF of {@code rows} row vectors, accumulated in double in fixed blocks
     * of rows and summed in block order, so the result does not depend on how many threads there
     * are.
     */
    static double[] gram(float[] factors, int rows, int k, Parallel parallel) {
        int block = 2048;
        int blocks = (rows + block - 1) / block;
        double[][] partial = new double[blocks][];
        parallel.forEachBlock(
                blocks,
                1,
                (from, to, scratch) -> {
                    for (int b = from; b < to; b++) {
                        double[] g = new double[k * k];
                        int end = Math.min(rows, (b + 1) * block);
                        for (int row = b * block; row < end; row++) {
                            int offset = row * k;
                            for (int i = 0; i < k; i++) {
                                double value = factors[offset + i];
                                if (value == 0) {
                                    continue;
                                }
                                int gi = i * k;
                                for (int j = i; j < k; j++) {
                                    g[gi + j] += value * factors[offset + j];
                                }
                            }
                        }
                        partial[b] = g;
                    }
                });
        double[] sum = new double[k * k];
        for (double[] g : partial) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += g[i];
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                sum[i * k + j] = sum[j * k + i];
            }
        }
        return sum;
    }

    /** Per-thread scratch vectors of one row solve. */
    static final class Scratch {
        final float[] x;
        final float[] r;
        final float[] p;
        final float[] ap;

        Scratch(int k) {
            x = new float[k];
            r = new float[k];
            p = new float[k];
            ap = new float[k];
        }
    }

    /**
     * A few conjugate-gradient steps on (FᵀF + λI + Σ c₁ f fᵀ) x = Σ (base + c₁) f for one row,
     * from the row's current vector. {@code gram} is FᵀF + λI as floats; c₁ = alpha·w over the
     * row's interactions. With base 1 that is Hu, Koren and Volinsky's confidence c = 1 + alpha·w
     * towards preference 1; with base 0 and alpha = 1/α0 it is the iALS objective of Rendle et al.
     * divided by α0. Each step costs O(k² + nnz·k), never forming the row's own k × k matrix.
     */
    static void conjugateGradient(
            float[] target,
            int row,
            int k,
            float[] gram,
            float[] fixed,
            int[] columns,
            float[] weights,
            int from,
            int to,
            float alpha,
            float base,
            float extraDiagonal,
            int steps,
            Scratch s) {
        float[] x = s.x;
        float[] r = s.r;
        float[] p = s.p;
        float[] ap = s.ap;
        int offset = row * k;
        System.arraycopy(target, offset, x, 0, k);

        // r = b − A x, with A x = G x + Σ c1 (f·x) f and b = Σ (base + c1) f.
        multiply(gram, x, r, k);
        if (extraDiagonal != 0) {
            axpy(extraDiagonal, x, 0, r, k);
        }
        for (int i = 0; i < k; i++) {
            r[i] = -r[i];
        }
        for (int at = from; at < to; at++) {
            int fo = columns[at] * k;
            float c1 = alpha * weights[at];
            axpy(base + c1 - c1 * dot(fixed, fo, x, 0, k), fixed, fo, r, k);
        }
        System.arraycopy(r, 0, p, 0, k);
        double rsOld = dot(r, 0, r, 0, k);
        for (int step = 0; step < steps && rsOld > 1e-20; step++) {
            multiply(gram, p, ap, k);
            if (extraDiagonal != 0) {
                axpy(extraDiagonal, p, 0, ap, k);
            }
            for (int at = from; at < to; at++) {
                int fo = columns[at] * k;
                axpy(alpha * weights[at] * dot(fixed, fo, p, 0, k), fixed, fo, ap, k);
            }
            double pAp = dot(p, 0, ap, 0, k);
            if (!(pAp > 0)) {
                break;
            }
            float a = (float) (rsOld / pAp);
            for (int i = 0; i < k; i++) {
                x[i] += a * p[i];
                r[i] -= a * ap[i];
            }
            double rsNew = dot(r, 0, r, 0, k);
            float beta = (float) (rsNew / rsOld);
            for (int i = 0; i < k; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rsOld = rsNew;
        }
        System.arraycopy(x, 0, target, offset, k);
    }

    /** out = M v for a symmetric k × k row-major M (as a sum of scaled rows, which vectorizes). */
    static void multiply(float[] matrix, float[] vector, float[] out, int k) {
        java.util.Arrays.fill(out, 0, k, 0f);
        for (int j = 0; j < k; j++) {
            float v = vector[j];
            if (v != 0) {
                axpy(v, matrix, j * k, out, k);
            }
        }
    }

    /** Solves A x = b in place for a symmetric positive definite k × k A (overwritten). */
    static double[] choleskySolve(double[] a, double[] b, int k) {
        for (int j = 0; j < k; j++) {
            double diagonal = a[j * k + j];
            for (int m = 0; m < j; m++) {
                diagonal -= a[j * k + m] * a[j * k + m];
            }
            if (!(diagonal > 0)) {
                throw new ArithmeticException("matrix is not positive definite");
            }
            double l = Math.sqrt(diagonal);
            a[j * k + j] = l;
            for (int i = j + 1; i < k; i++) {
                double value = a[i * k + j];
                for (int m = 0; m < j; m++) {
                    value -= a[i * k + m] * a[j * k + m];
                }
                a[i * k + j] = value / l;
            }
        }
        double[] y = b.clone();
        for (int i = 0; i < k; i++) {
            double value = y[i];
            for (int m = 0; m < i; m++) {
                value -= a[i * k + m] * y[m];
            }
            y[i] = value / a[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--) {
            double value = y[i];
            for (int m = i + 1; m < k; m++) {
                value -= a[m * k + i] * y[m];
            }
            y[i] = value / a[i * k + i];
        }
        return y;
    }
}
