package dev.seqmix.scalar;

import dev.seqmix.AttentionShape;
import dev.seqmix.internal.BiasGradients;
import dev.seqmix.internal.CausalFirstRows;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.RpeCoefficients;
import dev.seqmix.internal.ScratchPool;
import dev.seqmix.internal.fft.FftCore;
import dev.seqmix.internal.fft.FftCores;

/**
 * The backward passes of the attention operations on the host (docs/contract.md#attention-backward): the scalar
 * backend's, and the default of every backend that has none of its own. Slices (batch, head) run in parallel and
 * write disjoint rows; the bias gradient of each slice goes to its own scratch row, and the rows are summed over
 * the batch in order afterwards, so the result does not depend on the thread count.
 */
public final class AttentionBackward {
    private AttentionBackward() {
    }

    // ---------------------------------------------------------------- random features

    /**
     * The random features' backward pass over the whole shape.
     *
     * @param s          the shape
     * @param x          {@code [batch][length][heads][keyDim]}
     * @param w          {@code [features][keyDim]}
     * @param queries    which stabilizer the forward used
     * @param gradPhi    {@code [batch][length][heads][features]}
     * @param gradX      output {@code [batch][length][heads][keyDim]}
     */
    public static void randomFeatures(AttentionShape s, float[] x, float[] w, boolean queries, float[] gradPhi,
                                      float[] gradX) {
        int slices = s.batch() * s.heads();
        Parallel.Args a = Parallel.args().with(s).floats(x, w, gradPhi, gradX).flag(queries);
        Parallel.run(Parallel.parts(slices, (long) s.length() * s.features() * s.keyDim() * 4), slices, a, FEATURES);
    }

    private static final Parallel.Body FEATURES = (a, from, to) -> {
        AttentionShape s = (AttentionShape) a.o0;
        double[] acc = ScratchPool.doubles(s.keyDim());
        try {
            for (int slice = from; slice < to; slice++) {
                featuresSlice(s, a.f0, a.f1, a.b0, a.f2, a.f3, slice / s.heads(), slice % s.heads(), acc);
            }
        } finally {
            ScratchPool.release(acc);
        }
    };

    /**
     * One slice: {@code gradX = scale * (sum_r g_r e_r w_r - x' sum_r g_r e_r)} with {@code e_r} the forward's
     * exponential term (the 1e-6 floor has no gradient) and the forward's stabilizer, recomputed the same way.
     */
    private static void featuresSlice(AttentionShape s, float[] x, float[] w, boolean queries, float[] gradPhi,
                                      float[] gradX, int b, int h, double[] acc) {
        int d = s.keyDim();
        int m = s.features();
        double scale = Math.pow(d, -0.25);
        double norm = 1.0 / Math.sqrt(m);
        double keyMax = queries ? 0 : Attention.keyStabilizer(s, x, w, b, h);
        for (int l = 0; l < s.length(); l++) {
            int xr = Attention.row(s, b, l, h) * d;
            int pr = Attention.row(s, b, l, h) * m;
            double half = Attention.halfSquaredNorm(x, xr, d, scale);
            double stab = queries ? Attention.rowStabilizer(s, x, w, xr, half) : keyMax;
            double total = 0;
            java.util.Arrays.fill(acc, 0, d, 0.0);
            for (int r = 0; r < m; r++) {
                double u = Attention.dot(w, r * d, x, xr, d) * scale - half;
                double ge = gradPhi[pr + r] * Math.exp(u - stab) * norm;
                total += ge;
                for (int e = 0; e < d; e++) {
                    acc[e] += ge * w[r * d + e];
                }
            }
            for (int e = 0; e < d; e++) {
                gradX[xr + e] = (float) (scale * (acc[e] - total * x[xr + e] * scale));
            }
        }
    }

    // ---------------------------------------------------------------- kernelized RPE attention

    /**
     * Kernelized RPE attention's backward pass over the whole shape.
     *
     * @param s              the shape
     * @param phiQ           {@code [batch][length][heads][features]}
     * @param phiK           {@code [batch][length][heads][features]}
     * @param v              {@code [batch][length][heads][valueDim]}
     * @param bias           {@code [heads][2*length-1]}
     * @param gradOut        {@code [batch][length][heads][valueDim]}
     * @param gradPhiQ       output {@code [batch][length][heads][features]}
     * @param gradPhiK       output {@code [batch][length][heads][features]}
     * @param gradV          output {@code [batch][length][heads][valueDim]}
     * @param gradBias       output {@code [heads][2*length-1]}
     * @param accumulateBias add the batch's bias gradient to {@code gradBias} instead of overwriting it
     */
    public static void rpe(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] gradOut,
                           float[] gradPhiQ, float[] gradPhiK, float[] gradV, float[] gradBias,
                           boolean accumulateBias) {
        int slices = s.batch() * s.heads();
        int biasRow = 2 * s.length() - 1;
        float[] partial = ScratchPool.floats(slices * biasRow);
        try {
            long n = s.length();
            long work = n * s.features() * (s.valueDim() + 1) * (ToeplitzProduct.useFft(s.length()) ? 60 : 3 * n);
            Parallel.Args a = Parallel.args().with(s)
                    .floats(phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, partial, null);
            Parallel.run(Parallel.parts(slices, work), slices, a, RPE);
            BiasGradients.sumOverBatch(s, partial, gradBias, accumulateBias);
        } finally {
            ScratchPool.release(partial);
        }
    }

    private static final Parallel.Body RPE = (a, from, to) ->
            rpeRange((AttentionShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.f4, a.f5, a.f6, a.f7, a.f8, from, to);

    /**
     * Floats of one thread's scratch: the coefficients and their reverse, the spectra of T and T^T, X, Y, U (or W)
     * and G ({@code [n][D+1]} each), three complex work rows, the FFT's scratch.
     */
    private static int rpeFloats(int n, int cols, int size, int fftScratch) {
        return 2 * (2 * n - 1) + 4 * size + 4 * n * cols + 6 * size + fftScratch;
    }

    /** Doubles of one thread's scratch: the accumulator {@code [n][D+1]}, P and Q {@code [n][F]}, the correlation. */
    private static int rpeDoubles(int n, int cols, int features, int size) {
        return n * cols + 2 * n * features + Math.max(2 * size, 2 * n - 1) + 2 * CausalFirstRows.ROWS;
    }

    private static void rpeRange(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                 float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV, float[] partial,
                                 int from, int to) {
        int n = s.length();
        FftCore fft = ToeplitzProduct.useFft(n) ? FftCores.get(ToeplitzProduct.circulantSize(n)) : null;
        int size = fft == null ? 0 : fft.size();
        int cols = s.valueDim() + 1;
        float[] f = ScratchPool.floats(rpeFloats(n, cols, size, fft == null ? 0 : fft.scratchFloats()));
        double[] d = ScratchPool.doubles(rpeDoubles(n, cols, s.features(), size));
        try {
            for (int slice = from; slice < to; slice++) {
                rpeSlice(s, phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, partial, slice / s.heads(),
                        slice % s.heads(), fft, f, d);
            }
        } finally {
            ScratchPool.release(f);
            ScratchPool.release(d);
        }
    }

    /**
     * One (b, h) slice. With {@code T[i][j] = c[j - i]}, {@code X_r = phiK[., r] * [v, 1]} ({@code n x (D+1)}):
     * the forward again ({@code U_r = T X_r}; numerator and denominator; and, per row and feature,
     * {@code P = gradOut . U_r[:D]} and {@code Q = U_r[D]}), which gives {@code G = gradOut / den},
     * {@code gD = -(gradOut . out) / den} and {@code gradPhiQ = (P - (gradOut . out) Q) / den}; then per feature
     * {@code Y_r = phiQ[., r] * [G, gD]}, {@code W_r = T^T Y_r}, {@code gradV += phiK[., r] W_r[:D]},
     * {@code gradPhiK[., r] = v . W_r[:D] + W_r[D]}, and {@code dL/dc[t] = sum_r sum_e sum_i Y_r[i][e]
     * X_r[i + t][e]}, the cross-correlations summed in the frequency domain (two real columns a complex transform:
     * the real part of the inverse is the sum of the two correlations).
     */
    private static void rpeSlice(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                 float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV, float[] partial,
                                 int b, int h, FftCore fft, float[] f, double[] d) {
        int n = s.length();
        int m = s.features();
        int dv = s.valueDim();
        int cols = dv + 1;
        int size = fft == null ? 0 : fft.size();
        int biasRow = 2 * n - 1;
        // float scratch layout
        int cAt = 0;
        int cRevAt = cAt + biasRow;
        int specAt = cRevAt + biasRow;
        int specTAt = specAt + 2 * size;
        int xAt = specTAt + 2 * size;
        int yAt = xAt + n * cols;
        int uAt = yAt + n * cols;
        int gAt = uAt + n * cols;
        int workAt = gAt + n * cols;
        int aAt = workAt + 2 * size;
        int bAt = aAt + 2 * size;
        int fftAt = bAt + 2 * size;
        // double scratch layout
        int accAt = 0;
        int pAt = n * cols;
        int qAt = pAt + n * m;
        int corrAt = qAt + n * m;

        RpeCoefficients.of(s, bias, h, f, cAt);
        for (int t = 0; t < biasRow; t++) {
            f[cRevAt + t] = f[cAt + biasRow - 1 - t]; // T^T[i][j] = c[i - j]: the coefficients reversed
        }
        if (fft != null) {
            ToeplitzProduct.spectrum(fft, f, cAt, n, f, specAt, f, fftAt);
            ToeplitzProduct.spectrum(fft, f, cRevAt, n, f, specTAt, f, fftAt);
        }

        // the forward again
        java.util.Arrays.fill(d, accAt, accAt + n * cols, 0.0);
        for (int r = 0; r < m; r++) {
            fillX(s, phiK, v, b, h, r, f, xAt);
            toeplitz(fft, f, cAt, specAt, n, cols, xAt, uAt, workAt, fftAt);
            for (int i = 0; i < n; i++) {
                double q = phiQ[Attention.row(s, b, i, h) * m + r];
                int ur = uAt + i * cols;
                int gr = Attention.row(s, b, i, h) * dv;
                double p = 0;
                for (int e = 0; e < dv; e++) {
                    d[accAt + i * cols + e] += q * f[ur + e];
                    p += (double) gradOut[gr + e] * f[ur + e];
                }
                d[accAt + i * cols + dv] += q * f[ur + dv];
                d[pAt + i * m + r] = p;
                d[qAt + i * m + r] = f[ur + dv];
            }
        }
        int firstAt = corrAt + Math.max(2 * size, biasRow);
        CausalFirstRows.sums(s, phiQ, phiK, v, f, cAt, gradOut, b, h, d, firstAt);
        // gradients at the output: G = gradOut / den, gD = -(gradOut . out) / den, and gradPhiQ
        for (int i = 0; i < n; i++) {
            boolean first = i < CausalFirstRows.rows(s); // a causal head's first rows: their sums formed directly
            double den = first ? d[firstAt + 2 * i] : d[accAt + i * cols + dv];
            int gr = Attention.row(s, b, i, h) * dv;
            int qr = Attention.row(s, b, i, h) * m;
            if (den > 0) {
                double go = 0;
                if (first) {
                    go = d[firstAt + 2 * i + 1] / den;
                } else {
                    for (int e = 0; e < dv; e++) {
                        go += gradOut[gr + e] * (d[accAt + i * cols + e] / den);
                    }
                }
                for (int e = 0; e < dv; e++) {
                    f[gAt + i * cols + e] = (float) (gradOut[gr + e] / den);
                }
                f[gAt + i * cols + dv] = (float) (-go / den);
                for (int r = 0; r < m; r++) {
                    gradPhiQ[qr + r] = (float) ((d[pAt + i * m + r] - go * d[qAt + i * m + r]) / den);
                }
            } else {
                java.util.Arrays.fill(f, gAt + i * cols, gAt + (i + 1) * cols, 0f);
                java.util.Arrays.fill(gradPhiQ, qr, qr + m, 0f);
            }
        }
        CausalFirstRows.gradPhiQ(s, phiK, v, f, cAt, gradOut, d, firstAt, gradPhiQ, b, h);
        // the transposed products, and the correlations for the bias
        java.util.Arrays.fill(d, accAt, accAt + n * dv, 0.0); // now gradV's accumulator [n][dv]
        // the correlation: its spectrum [2N], or directly by offset + n - 1
        java.util.Arrays.fill(d, corrAt, corrAt + Math.max(2 * size, biasRow), 0.0);
        for (int r = 0; r < m; r++) {
            fillX(s, phiK, v, b, h, r, f, xAt);
            for (int i = 0; i < n; i++) {
                float q = phiQ[Attention.row(s, b, i, h) * m + r];
                for (int e = 0; e < cols; e++) {
                    f[yAt + i * cols + e] = q * f[gAt + i * cols + e];
                }
            }
            toeplitz(fft, f, cRevAt, specTAt, n, cols, yAt, uAt, workAt, fftAt);
            for (int j = 0; j < n; j++) {
                int wr = uAt + j * cols;
                int vr = Attention.row(s, b, j, h) * dv;
                double k = phiK[Attention.row(s, b, j, h) * m + r];
                double gk = f[wr + dv];
                for (int e = 0; e < dv; e++) {
                    gk += (double) v[vr + e] * f[wr + e];
                    d[accAt + j * dv + e] += k * f[wr + e];
                }
                gradPhiK[Attention.row(s, b, j, h) * m + r] = (float) gk;
            }
            if (fft != null) {
                for (int k0 = 0; k0 < cols; k0 += 2) {
                    correlatePair(fft, f, n, cols, k0, yAt, xAt, aAt, bAt, fftAt, d, corrAt);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int e = 0; e < cols; e++) {
                            sum += (double) f[yAt + i * cols + e] * f[xAt + j * cols + e];
                        }
                        d[corrAt + j - i + n - 1] += sum;
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) {
            int vr = Attention.row(s, b, j, h) * dv;
            for (int e = 0; e < dv; e++) {
                gradV[vr + e] = (float) d[accAt + j * dv + e];
            }
        }
        int out = (b * s.heads() + h) * biasRow;
        if (fft != null) {
            for (int k = 0; k < 2 * size; k++) {
                f[workAt + k] = (float) d[corrAt + k];
            }
            fft.transform(f, workAt, true, f, fftAt);
            for (int t = -(n - 1); t < n; t++) {
                double grad = f[workAt + 2 * Math.floorMod(t, size)] / (double) size;
                partial[out + t + n - 1] = (float) (f[cAt + t + n - 1] * grad);
            }
        } else {
            for (int t = 0; t < biasRow; t++) {
                partial[out + t] = (float) (f[cAt + t] * d[corrAt + t]);
            }
        }
    }

    /** {@code X[j] = phiK[j][r] * [v[j], 1]} into {@code f[at ..]}, {@code [n][valueDim + 1]}. */
    private static void fillX(AttentionShape s, float[] phiK, float[] v, int b, int h, int r, float[] f, int at) {
        int dv = s.valueDim();
        int cols = dv + 1;
        for (int j = 0; j < s.length(); j++) {
            float k = phiK[Attention.row(s, b, j, h) * s.features() + r];
            int vr = Attention.row(s, b, j, h) * dv;
            int xr = at + j * cols;
            for (int e = 0; e < dv; e++) {
                f[xr + e] = k * v[vr + e];
            }
            f[xr + dv] = k;
        }
    }

    /** {@code f[yAt ..] = T f[xAt ..]}, {@code [n][cols]}, by FFT (spectrum at specAt) or directly (fft null). */
    private static void toeplitz(FftCore fft, float[] f, int cAt, int specAt, int n, int cols, int xAt, int yAt,
                                 int workAt, int fftAt) {
        if (fft == null) {
            ToeplitzProduct.direct(f, cAt, n, cols, f, xAt, f, yAt);
            return;
        }
        for (int k0 = 0; k0 < cols; k0 += 2) {
            ToeplitzProduct.fftColumnPair(fft, f, specAt, n, cols, k0, f, xAt, f, yAt, f, workAt, f, fftAt);
        }
    }

    /**
     * {@code corr += conj(FFT(y pair)) * FFT(x pair)}: the inverse's real part at {@code t mod N} is
     * {@code sum_i y[i] x[i + t]} summed over the pair's two columns.
     */
    private static void correlatePair(FftCore fft, float[] f, int n, int cols, int k0, int yAt, int xAt, int aAt,
                                      int bAt, int fftAt, double[] d, int corrAt) {
        int size = fft.size();
        ToeplitzProduct.loadPair(f, yAt, n, cols, k0, size, f, aAt);
        fft.transform(f, aAt, false, f, fftAt);
        ToeplitzProduct.loadPair(f, xAt, n, cols, k0, size, f, bAt);
        fft.transform(f, bAt, false, f, fftAt);
        for (int k = 0; k < size; k++) {
            double ar = f[aAt + 2 * k];
            double ai = f[aAt + 2 * k + 1];
            double br = f[bAt + 2 * k];
            double bi = f[bAt + 2 * k + 1];
            d[corrAt + 2 * k] += ar * br + ai * bi;
            d[corrAt + 2 * k + 1] += ar * bi - ai * br;
        }
    }

    // ---------------------------------------------------------------- softmax RPE attention

    /**
     * Softmax RPE attention's backward pass over the whole shape.
     *
     * @param s              the shape
     * @param q              {@code [batch][length][heads][keyDim]}
     * @param k              {@code [batch][length][heads][keyDim]}
     * @param v              {@code [batch][length][heads][valueDim]}
     * @param bias           {@code [heads][2*length-1]}
     * @param gradOut        {@code [batch][length][heads][valueDim]}
     * @param gradQ          output {@code [batch][length][heads][keyDim]}
     * @param gradK          output {@code [batch][length][heads][keyDim]}
     * @param gradV          output {@code [batch][length][heads][valueDim]}
     * @param gradBias       output {@code [heads][2*length-1]}
     * @param accumulateBias add the batch's bias gradient to {@code gradBias} instead of overwriting it
     */
    public static void softmax(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] gradOut,
                               float[] gradQ, float[] gradK, float[] gradV, float[] gradBias, boolean accumulateBias) {
        int slices = s.batch() * s.heads();
        int biasRow = 2 * s.length() - 1;
        float[] partial = ScratchPool.floats(slices * biasRow);
        try {
            long n = s.length();
            Parallel.Args a = Parallel.args().with(s)
                    .floats(q, k, v, bias, gradOut, gradQ, gradK, gradV, partial, null);
            Parallel.run(Parallel.parts(slices, 3 * n * n * (s.keyDim() + s.valueDim())), slices, a, SOFTMAX);
            BiasGradients.sumOverBatch(s, partial, gradBias, accumulateBias);
        } finally {
            ScratchPool.release(partial);
        }
    }

    private static final Parallel.Body SOFTMAX = (a, from, to) ->
            softmaxRange((AttentionShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.f4, a.f5, a.f6, a.f7, a.f8, from, to);

    private static void softmaxRange(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                     float[] gradOut, float[] gradQ, float[] gradK, float[] gradV, float[] partial,
                                     int from, int to) {
        int n = s.length();
        // scores [n], the output row [dv], gradQ's row [dk], gradK's and gradV's accumulators, the bias's
        double[] d = ScratchPool.doubles(n + s.valueDim() + s.keyDim() + n * (s.keyDim() + s.valueDim())
                + 2 * n - 1);
        try {
            for (int slice = from; slice < to; slice++) {
                softmaxSlice(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, partial, slice / s.heads(),
                        slice % s.heads(), d);
            }
        } finally {
            ScratchPool.release(d);
        }
    }

    /**
     * One (b, h) slice, row by row with the probabilities recomputed (O(n) memory): for row i the scores, their
     * maximum and sum give {@code out_i} and {@code delta_i = gradOut_i . out_i}; then every key j once more:
     * {@code p = w / den}, {@code ds = p (gradOut_i . v_j - delta_i)}.
     */
    private static void softmaxSlice(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                     float[] gradOut, float[] gradQ, float[] gradK, float[] gradV, float[] partial,
                                     int b, int h, double[] d) {
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        double invSqrt = 1.0 / Math.sqrt(dk);
        int bOff = h * (2 * n - 1);
        int outAt = n;
        int gqAt = outAt + dv;
        int gkAt = gqAt + dk;
        int gvAt = gkAt + n * dk;
        int biasAt = gvAt + n * dv;
        java.util.Arrays.fill(d, gkAt, biasAt + 2 * n - 1, 0.0);
        for (int i = 0; i < n; i++) {
            int qr = Attention.row(s, b, i, h) * dk;
            int gr = Attention.row(s, b, i, h) * dv;
            int last = s.causal() ? i : n - 1;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= last; j++) {
                double score = Attention.dot(q, qr, k, Attention.row(s, b, j, h) * dk, dk) * invSqrt
                        + bias[bOff + j - i + n - 1];
                d[j] = score;
                max = Math.max(max, score);
            }
            double den = 0;
            java.util.Arrays.fill(d, outAt, outAt + dv, 0.0);
            for (int j = 0; j <= last; j++) {
                double w = Math.exp(d[j] - max);
                d[j] = w;
                den += w;
                int vr = Attention.row(s, b, j, h) * dv;
                for (int e = 0; e < dv; e++) {
                    d[outAt + e] += w * v[vr + e];
                }
            }
            java.util.Arrays.fill(d, gqAt, gqAt + dk, 0.0);
            if (den > 0) {
                double delta = 0;
                for (int e = 0; e < dv; e++) {
                    delta += gradOut[gr + e] * (d[outAt + e] / den);
                }
                for (int j = 0; j <= last; j++) {
                    double p = d[j] / den;
                    int kr = Attention.row(s, b, j, h) * dk;
                    int vr = Attention.row(s, b, j, h) * dv;
                    double dp = Attention.dot(gradOut, gr, v, vr, dv);
                    double ds = p * (dp - delta);
                    for (int e = 0; e < dk; e++) {
                        d[gqAt + e] += ds * k[kr + e];
                        d[gkAt + j * dk + e] += ds * q[qr + e];
                    }
                    for (int e = 0; e < dv; e++) {
                        d[gvAt + j * dv + e] += p * gradOut[gr + e];
                    }
                    d[biasAt + j - i + n - 1] += ds;
                }
            }
            for (int e = 0; e < dk; e++) {
                gradQ[qr + e] = (float) (d[gqAt + e] * invSqrt);
            }
        }
        for (int j = 0; j < n; j++) {
            int kr = Attention.row(s, b, j, h) * dk;
            int vr = Attention.row(s, b, j, h) * dv;
            for (int e = 0; e < dk; e++) {
                gradK[kr + e] = (float) (d[gkAt + j * dk + e] * invSqrt);
            }
            for (int e = 0; e < dv; e++) {
                gradV[vr + e] = (float) d[gvAt + j * dv + e];
            }
        }
        int out = (b * s.heads() + h) * (2 * n - 1);
        for (int t = 0; t < 2 * n - 1; t++) {
            partial[out + t] = (float) d[biasAt + t];
        }
    }
}
