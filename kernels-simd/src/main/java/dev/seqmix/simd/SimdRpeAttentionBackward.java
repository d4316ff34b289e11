package dev.seqmix.simd;

import dev.seqmix.AttentionShape;
import dev.seqmix.internal.BiasGradients;
import dev.seqmix.internal.CausalFirstRows;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.RpeCoefficients;
import dev.seqmix.internal.ScratchPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward pass of kernelized RPE attention with columns as lanes (docs/contract.md#attention-backward), on
 * the lane FFT of the forward ({@link SimdRpeAttention}). Per (batch, head), with {@code T[i][j] = c[j - i]}:
 * <ol>
 *   <li>the denominators' products {@code Q[i][r] = (T phiK_r)[i]} (the features as lanes, a few transforms), so
 *       {@code den} and {@code G = gradOut / den} are known before the main walk;</li>
 *   <li>per feature r and block of {@code 2 x lanes} value columns, one depth-first walk of the lane FFT over two
 *       blocks ({@link LaneFft#convolvePair}): {@code U_r = T (phiK_r v)} (the forward again: the numerator, and
 *       {@code P[i][r] = G_i . U_r[i]}), {@code W_r = T^T (phiQ_r G)} (the conjugated spectrum: {@code gradV +=
 *       phiK_r W_r}, {@code gradPhiK[., r] = v . W_r}), and {@code conj(FFT(phiQ_r G)) FFT(phiK_r v)} summed for the
 *       bias;</li>
 *   <li>per row {@code go = G . numerator} (= gradOut . out), {@code gD = -go / den},
 *       {@code gradPhiQ = P + gD Q}; the denominators' column {@code T^T (phiQ_r gD)} and its correlation with the
 *       features as lanes; one inverse transform of the summed correlations gives {@code dL/dc} at every offset,
 *       and {@code gradBias = c dL/dc}.</li>
 * </ol>
 * Four lane transforms per block of columns against the forward's two. Reductions across lanes go through
 * {@link VectorMath#sumStored} (a fixed tree), so the bits do not depend on the thread count.
 */
final class SimdRpeAttentionBackward {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;

    private SimdRpeAttentionBackward() {
    }

    private static int row(AttentionShape s, int b, int l, int h) {
        return (b * s.length() + l) * s.heads() + h;
    }

    static void run(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] gradOut,
                    float[] gradPhiQ, float[] gradPhiK, float[] gradV, float[] gradBias, boolean accumulateBias) {
        int slices = s.batch() * s.heads();
        LaneFft fft = LaneFfts.get(LaneFfts.circulantSize(s.length()));
        float[] partial = ScratchPool.floats(slices * (2 * s.length() - 1));
        try {
            long work = 5L * s.features() * (s.valueDim() + 1) * fft.size() * 12;
            Parallel.Args a = Parallel.args().with(fft, s)
                    .floats(phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, partial, null);
            Parallel.run(Parallel.parts(slices, work), slices, a, RANGE);
            BiasGradients.sumOverBatch(s, partial, gradBias, accumulateBias);
        } finally {
            ScratchPool.release(partial);
        }
    }

    private static final Parallel.Body RANGE = (a, from, to) -> range((LaneFft) a.o0, (AttentionShape) a.o1, a.f0,
            a.f1, a.f2, a.f3, a.f4, a.f5, a.f6, a.f7, a.f8, from, to);

    private static void range(LaneFft fft, AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                              float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV, float[] partial,
                              int from, int to) {
        int lanes = FS.length();
        int n = s.length();
        int m = s.features();
        int width = SimdSupport.roundUp(s.valueDim(), 2 * lanes);
        float[] buf = ScratchPool.floats(fft.bufferFloats());
        float[] oth = ScratchPool.floats(fft.bufferFloats()); // the second block of convolvePair
        float[] cor = ScratchPool.floats(fft.bufferFloats()); // the correlations' spectrum
        float[] spec = ScratchPool.floats(4 * fft.size() + 2 * n - 1); // spectra of T and T^T, the coefficients
        // v, G and the two accumulators padded to `width`; two rows of lane partial sums [n][lanes]; P and Q [n][m]; gD
        float[] mats = ScratchPool.floats(4 * n * width + 2 * n * lanes + 2 * n * m + n);
        double[] first = ScratchPool.doubles(2 * CausalFirstRows.ROWS); // a causal head's first rows' sums
        try {
            for (int slice = from; slice < to; slice++) {
                slice(fft, s, phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, partial, slice / s.heads(),
                        slice % s.heads(), buf, oth, cor, spec, mats, first, width);
            }
        } finally {
            ScratchPool.release(first);
            ScratchPool.release(buf);
            ScratchPool.release(oth);
            ScratchPool.release(cor);
            ScratchPool.release(spec);
            ScratchPool.release(mats);
        }
    }

    private static void slice(LaneFft fft, AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                              float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV, float[] partial,
                              int b, int h, float[] buf, float[] oth, float[] cor, float[] spec, float[] mats,
                              double[] first, int width) {
        int n = s.length();
        int m = s.features();
        int dv = s.valueDim();
        int lanes = FS.length();
        int size = fft.size();
        int plane = fft.plane();
        // the coefficients, the spectrum of T, and of T^T (its conjugate: the circulant of c reversed)
        int specT = 2 * size;
        int coeffs = 4 * size;
        RpeCoefficients.of(s, bias, h, spec, coeffs);
        SimdToeplitz.spectrum(fft, spec, coeffs, n, spec, 0, buf);
        for (int f = 0; f < size; f++) {
            spec[specT + f] = spec[f];
            spec[specT + size + f] = -spec[size + f];
        }
        int vAt = 0;
        int gAt = n * width;
        int acc = 2 * n * width;   // the numerator
        int accV = 3 * n * width;  // gradV
        int part = 4 * n * width;  // lane partial sums of P
        int partK = part + n * lanes; // lane partial sums of gradPhiK
        int pAt = partK + n * lanes;
        int qAt = pAt + n * m;
        int gdAt = qAt + n * m;
        CausalFirstRows.sums(s, phiQ, phiK, v, spec, coeffs, gradOut, b, h, first, 0);
        // 1. the denominators' products Q[i][r] = (T phiK_r)[i], the features as lanes, and G = gradOut / den
        for (int r0 = 0; r0 < m; r0 += 2 * lanes) {
            fillFeatures(s, phiK, null, 0, b, h, r0, buf, plane);
            SimdToeplitz.circulantProduct(fft, buf, n, spec, 0);
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < 2 * lanes && r0 + l < m; l++) {
                    mats[qAt + i * m + r0 + l] = buf[(l < lanes ? 0 : plane - lanes) + i * lanes + l];
                }
            }
        }
        SimdRpeAttention.padValues(s, v, b, h, mats, vAt, width);
        for (int j = 0; j < n; j++) {
            int r = row(s, b, j, h) * dv;
            int qr = row(s, b, j, h) * m;
            float den = 0f;
            if (j < CausalFirstRows.rows(s)) { // a causal head's first rows: few keys, their sums formed directly
                den = (float) first[2 * j];
            } else {
                for (int f = 0; f < m; f++) {
                    den += phiQ[qr + f] * mats[qAt + j * m + f];
                }
            }
            float inv = den > 0f ? 1f / den : 0f; // a row without a positive denominator passes no gradient
            mats[gdAt + j] = inv;                 // 1 / den for now; gD once the numerator is known
            for (int e = 0; e < dv; e++) {
                mats[gAt + j * width + e] = gradOut[r + e] * inv;
            }
            java.util.Arrays.fill(mats, gAt + j * width + dv, gAt + (j + 1) * width, 0f);
        }
        java.util.Arrays.fill(mats, acc, acc + 2 * n * width, 0f);
        java.util.Arrays.fill(cor, 0, 2 * plane, 0f);

        // 2. per feature and block, in one walk: U_r = T (phiK_r v) (the forward again: the numerator and
        //    P = G . U_r), W_r = T^T (phiQ_r G) (gradV and gradPhiK), and the correlation of the two for the bias
        for (int r = 0; r < m; r++) {
            java.util.Arrays.fill(mats, part, part + 2 * n * lanes, 0f);
            for (int k0 = 0; k0 < width; k0 += 2 * lanes) {
                fillProducts(s, phiQ, mats, gAt, width, k0, b, h, r, buf, plane);
                fillProducts(s, phiK, mats, vAt, width, k0, b, h, r, oth, plane);
                zeroUpper(fft, buf, n);
                zeroUpper(fft, oth, n);
                fft.convolvePair(buf, spec, specT, oth, spec, 0, cor);
                accumulate(s, phiQ, b, h, r, oth, plane, mats, acc + k0, gAt + k0, part, width);
                accumulate(s, phiK, b, h, r, buf, plane, mats, accV + k0, vAt + k0, partK, width);
            }
            for (int i = 0; i < n; i++) {
                mats[pAt + i * m + r] = VectorMath.sumStored(mats, part + i * lanes);
                gradPhiK[row(s, b, i, h) * m + r] = VectorMath.sumStored(mats, partK + i * lanes);
            }
        }
        // 3. per row: go = gradOut . out = G . numerator, gD = -go / den, gradPhiQ = P + gD Q
        for (int i = 0; i < n; i++) {
            int qr = row(s, b, i, h) * m;
            float inv = mats[gdAt + i];
            float go = 0f;
            if (i < CausalFirstRows.rows(s)) {
                go = (float) first[2 * i + 1] * inv;
            } else {
                for (int e = 0; e < dv; e++) {
                    go += mats[gAt + i * width + e] * mats[acc + i * width + e];
                }
            }
            float gD = -go * inv;
            mats[gdAt + i] = gD;
            for (int r = 0; r < m; r++) {
                gradPhiQ[qr + r] = mats[pAt + i * m + r] + gD * mats[qAt + i * m + r];
            }
        }
        CausalFirstRows.gradPhiQ(s, phiK, v, spec, coeffs, gradOut, first, 0, gradPhiQ, b, h);
        // the denominators' column: T^T (phiQ_r gD), the features as lanes
        for (int r0 = 0; r0 < m; r0 += 2 * lanes) {
            fillFeatures(s, phiQ, mats, gdAt, b, h, r0, buf, plane);
            fillFeatures(s, phiK, null, 0, b, h, r0, oth, plane);
            zeroUpper(fft, buf, n);
            zeroUpper(fft, oth, n);
            fft.convolveCorrelate(buf, oth, cor, spec, specT);
            for (int j = 0; j < n; j++) {
                int kr = row(s, b, j, h) * m;
                for (int l = 0; l < 2 * lanes && r0 + l < m; l++) {
                    gradPhiK[kr + r0 + l] += buf[(l < lanes ? 0 : plane - lanes) + j * lanes + l];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            System.arraycopy(mats, accV + j * width, gradV, row(s, b, j, h) * dv, dv);
        }
        // dL/dc at every offset t: the correlations' inverse, row t mod N, summed over the lanes (the real plane)
        fft.inverse(cor);
        int out = (b * s.heads() + h) * (2 * n - 1);
        float scale = 1f / size;
        for (int t = -(n - 1); t < n; t++) {
            float grad = VectorMath.sumStored(cor, Math.floorMod(t, size) * lanes) * scale;
            partial[out + t + n - 1] = spec[coeffs + t + n - 1] * grad;
        }
    }

    /**
     * For the product's rows i below n (real plane: columns k0 ..; imaginary plane: the next lanes), with
     * {@code x = weights[i][r]}: {@code mats[acc + i width ..] += x * row} (both halves), and the lane partial sums
     * {@code mats[part + i lanes ..] += mats[with + i width ..] * row} over both halves ({@code acc} and {@code with}
     * already offset by k0).
     */
    private static void accumulate(AttentionShape s, float[] weights, int b, int h, int r, float[] buf, int plane,
                                   float[] mats, int acc, int with, int part, int width) {
        int lanes = FS.length();
        int m = s.features();
        for (int i = 0; i < s.length(); i++) {
            FloatVector x = FloatVector.broadcast(FS, weights[row(s, b, i, h) * m + r]);
            FloatVector u0 = FloatVector.fromArray(FS, buf, i * lanes);
            FloatVector u1 = FloatVector.fromArray(FS, buf, plane + i * lanes);
            int a = acc + i * width;
            u0.fma(x, FloatVector.fromArray(FS, mats, a)).intoArray(mats, a);
            u1.fma(x, FloatVector.fromArray(FS, mats, a + lanes)).intoArray(mats, a + lanes);
            int g = with + i * width;
            int p = part + i * lanes;
            u1.fma(FloatVector.fromArray(FS, mats, g + lanes),
                    u0.fma(FloatVector.fromArray(FS, mats, g), FloatVector.fromArray(FS, mats, p)))
                    .intoArray(mats, p);
        }
    }

    /** Rows {@code [n, N/2)} of both planes of the block: zero, as the convolution reads them. */
    private static void zeroUpper(LaneFft fft, float[] buf, int n) {
        int lanes = FS.length();
        int plane = fft.plane();
        int rows = fft.inputRows();
        java.util.Arrays.fill(buf, n * lanes, rows * lanes, 0f);
        java.util.Arrays.fill(buf, plane + n * lanes, plane + rows * lanes, 0f);
    }

    /**
     * Rows below n of the block: {@code x[j][r] * mats[from + j * width + k0 ..]}, the first {@code lanes} columns
     * in the real plane, the next in the imaginary one.
     */
    private static void fillProducts(AttentionShape s, float[] x, float[] mats, int from, int width, int k0, int b,
                                     int h, int r, float[] buf, int plane) {
        int lanes = FS.length();
        int m = s.features();
        for (int j = 0; j < s.length(); j++) {
            float k = x[row(s, b, j, h) * m + r];
            int src = from + j * width + k0;
            FloatVector.fromArray(FS, mats, src).mul(k).intoArray(buf, j * lanes);
            FloatVector.fromArray(FS, mats, src + lanes).mul(k).intoArray(buf, plane + j * lanes);
        }
    }

    /**
     * Rows below n of the block: features {@code r0 ..} of {@code x} as the lanes (zero past the last feature), each
     * row times {@code scale[scaleAt + j]} when {@code scale} is not null.
     */
    private static void fillFeatures(AttentionShape s, float[] x, float[] scale, int scaleAt, int b, int h, int r0,
                                     float[] buf, int plane) {
        int lanes = FS.length();
        int m = s.features();
        VectorMask<Float> low = FS.indexInRange(r0, m);
        VectorMask<Float> high = FS.indexInRange(r0 + lanes, m);
        for (int j = 0; j < s.length(); j++) {
            int kr = row(s, b, j, h) * m + r0;
            float f = scale == null ? 1f : scale[scaleAt + j];
            FloatVector.fromArray(FS, x, kr, low).mul(f).intoArray(buf, j * lanes);
            FloatVector.fromArray(FS, x, kr + lanes, high).mul(f).intoArray(buf, plane + j * lanes);
        }
    }
}
