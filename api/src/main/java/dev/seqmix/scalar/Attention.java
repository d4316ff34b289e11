package dev.seqmix.scalar;

import dev.seqmix.internal.RpeCoefficients;
import dev.seqmix.internal.fft.FftCore;
import dev.seqmix.AttentionShape;

/**
 * Random features, kernelized RPE attention and softmax RPE attention for one (batch, head) slice
 * (docs/contract.md#attention). Row {@code (b, l, h)} of an array with {@code d} values per row starts at
 * {@code ((b * L + l) * H + h) * d}.
 */
final class Attention {
    private Attention() {
    }

    static int row(AttentionShape s, int b, int l, int h) {
        return (b * s.length() + l) * s.heads() + h;
    }

    /** Random features of the (b, h) slice. */
    static void randomFeatures(AttentionShape s, float[] x, float[] w, boolean queries, float[] phi, int b, int h) {
        int d = s.keyDim();
        int m = s.features();
        double scale = Math.pow(d, -0.25);
        double norm = 1.0 / Math.sqrt(m);
        double keyMax = queries ? 0 : keyStabilizer(s, x, w, b, h);
        for (int l = 0; l < s.length(); l++) {
            int xr = row(s, b, l, h) * d;
            int pr = row(s, b, l, h) * m;
            double half = halfSquaredNorm(x, xr, d, scale);
            double stab = queries ? rowStabilizer(s, x, w, xr, half) : keyMax;
            for (int r = 0; r < m; r++) {
                double u = dot(w, r * d, x, xr, d) * scale - half;
                phi[pr + r] = (float) ((Math.exp(u - stab) + 1e-6) * norm);
            }
        }
    }

    /** The keys' stabilizer of the (b, h) slice: the maximum of {@code w_r . x' - |x'|^2/2} over r and positions. */
    static double keyStabilizer(AttentionShape s, float[] x, float[] w, int b, int h) {
        int d = s.keyDim();
        double scale = Math.pow(d, -0.25);
        double keyMax = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < s.length(); l++) {
            int xr = row(s, b, l, h) * d;
            keyMax = Math.max(keyMax, rowStabilizer(s, x, w, xr, halfSquaredNorm(x, xr, d, scale)));
        }
        return keyMax;
    }

    /** A query's stabilizer: the maximum of {@code w_r . x' - |x'|^2/2} over r for the row at {@code xr}. */
    static double rowStabilizer(AttentionShape s, float[] x, float[] w, int xr, double half) {
        int d = s.keyDim();
        double scale = Math.pow(d, -0.25);
        double stab = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < s.features(); r++) {
            stab = Math.max(stab, dot(w, r * d, x, xr, d) * scale - half);
        }
        return stab;
    }

    static double halfSquaredNorm(float[] x, int off, int d, double scale) {
        double sum = 0;
        for (int i = 0; i < d; i++) {
            double v = x[off + i] * scale;
            sum += v * v;
        }
        return 0.5 * sum;
    }

    static double dot(float[] a, int aOff, float[] b, int bOff, int d) {
        double sum = 0;
        for (int i = 0; i < d; i++) {
            sum += (double) a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** Floats of matrix scratch {@link #rpe} needs: the coefficients and two {@code n x (valueDim+1)} matrices. */
    static int rpeMatrices(AttentionShape s) {
        return (2 * s.length() - 1) + 2 * s.length() * (s.valueDim() + 1);
    }

    /** Doubles of accumulator {@link #rpe} needs. */
    static int rpeAccumulator(AttentionShape s) {
        return s.length() * (s.valueDim() + 1);
    }

    /**
     * Kernelized RPE attention of the (b, h) slice through Toeplitz products: for every feature r, the
     * {@code n x (valueDim+1)} matrix {@code phiK[j][r] * [v[j], 1]} is multiplied by the Toeplitz matrix of
     * {@code c} and the product, weighted by {@code phiQ[i][r]}, is accumulated (numerator and denominator
     * in one product). Memory {@code O(n * valueDim)}; time {@code O(features * valueDim * n log n)}.
     *
     * @param fft  the circulant-size core when {@link ToeplitzProduct#useFft} holds, else null
     * @param spec {@code 2N} floats (unused on the direct path), likewise {@code work}
     */
    static void rpe(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] out, int b, int h,
                    FftCore fft, float[] mats, float[] spec, float[] work, float[] fftScratch, double[] acc) {
        int n = s.length();
        int m = s.features();
        int dv = s.valueDim();
        int cols = dv + 1;
        RpeCoefficients.of(s, bias, h, mats, 0);
        int xm = 2 * n - 1;
        int ym = xm + n * cols;
        if (fft != null) {
            ToeplitzProduct.spectrum(fft, mats, 0, n, spec, fftScratch);
        }
        java.util.Arrays.fill(acc, 0, n * cols, 0.0);
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                float k = phiK[row(s, b, j, h) * m + r];
                int vr = row(s, b, j, h) * dv;
                int xr = xm + j * cols;
                for (int e = 0; e < dv; e++) {
                    mats[xr + e] = k * v[vr + e];
                }
                mats[xr + dv] = k;
            }
            if (fft != null) {
                for (int k0 = 0; k0 < cols; k0 += 2) {
                    ToeplitzProduct.fftColumnPair(fft, spec, n, cols, k0, mats, xm, mats, ym, work, fftScratch);
                }
            } else {
                ToeplitzProduct.direct(mats, 0, n, cols, mats, xm, mats, ym);
            }
            for (int i = 0; i < n; i++) {
                double q = phiQ[row(s, b, i, h) * m + r];
                int yr = ym + i * cols;
                int ar = i * cols;
                for (int e = 0; e < cols; e++) {
                    acc[ar + e] += q * mats[yr + e];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int o = row(s, b, i, h) * dv;
            double den = acc[i * cols + dv];
            for (int e = 0; e < dv; e++) {
                out[o + e] = den > 0 ? (float) (acc[i * cols + e] / den) : 0f;
            }
        }
    }

    /** Doubles of scratch {@link #softmax} needs. */
    static int softmaxScratch(AttentionShape s) {
        return s.length() + s.valueDim();
    }

    /** Exact softmax RPE attention of the (b, h) slice, row by row, max subtracted. */
    static void softmax(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out, int b, int h,
                        double[] scratch) {
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        double invSqrt = 1.0 / Math.sqrt(dk);
        int bOff = h * (2 * n - 1);
        int acc = n;
        for (int i = 0; i < n; i++) {
            int qr = row(s, b, i, h) * dk;
            int last = s.causal() ? i : n - 1;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= last; j++) {
                double score = dot(q, qr, k, row(s, b, j, h) * dk, dk) * invSqrt + bias[bOff + j - i + n - 1];
                scratch[j] = score;
                max = Math.max(max, score);
            }
            java.util.Arrays.fill(scratch, acc, acc + dv, 0.0);
            double den = 0;
            for (int j = 0; j <= last; j++) {
                double w = Math.exp(scratch[j] - max);
                den += w;
                int vr = row(s, b, j, h) * dv;
                for (int e = 0; e < dv; e++) {
                    scratch[acc + e] += w * v[vr + e];
                }
            }
            int o = row(s, b, i, h) * dv;
            for (int e = 0; e < dv; e++) {
                out[o + e] = den > 0 ? (float) (scratch[acc + e] / den) : 0f;
            }
        }
    }
}
