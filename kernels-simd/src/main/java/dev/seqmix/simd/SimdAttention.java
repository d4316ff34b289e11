package dev.seqmix.simd;

import dev.seqmix.AttentionShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Random features and softmax RPE attention of one (batch, head) slice, on vectors. Both turn their
 * dot products into broadcast-FMA loops over a transposed operand (no horizontal reductions inside the
 * inner loop) and take exponentials lanewise.
 */
final class SimdAttention {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;

    SimdAttention() {
    }

    private static int row(AttentionShape s, int b, int l, int h) {
        return (b * s.length() + l) * s.heads() + h;
    }

    /** Floats of scratch {@link #randomFeatures} needs: the transposed projection. */
    static int featuresScratch(AttentionShape s) {
        return s.keyDim() * s.features();
    }

    /** Transposes {@code w[features][keyDim]} into {@code wt[keyDim][features]}. */
    static void transpose(float[] w, int rows, int cols, float[] wt) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                wt[c * rows + r] = w[r * cols + c];
            }
        }
    }

    /**
     * Random features of the (b, h) slice; {@code wt} is the projection transposed ({@code [keyDim][features]}).
     * For keys the exponents {@code u} are stored in {@code phi} first and the maximum over the slice taken,
     * then turned into features in place.
     */
    void randomFeatures(AttentionShape s, float[] x, float[] wt, boolean queries, float[] phi, int b, int h) {
        int d = s.keyDim();
        int m = s.features();
        int lanes = FS.length();
        float scale = (float) Math.pow(d, -0.25);
        float norm = (float) (1.0 / Math.sqrt(m));
        float keyMax = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < s.length(); l++) {
            int xr = row(s, b, l, h) * d;
            int pr = row(s, b, l, h) * m;
            float half = 0f;
            for (int i = 0; i < d; i++) {
                float v = x[xr + i] * scale;
                half += v * v;
            }
            half *= 0.5f;
            float rowMax = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < m; r += lanes) {
                VectorMask<Float> mask = FS.indexInRange(r, m);
                FloatVector u = FloatVector.broadcast(FS, -half);
                for (int i = 0; i < d; i++) {
                    u = FloatVector.fromArray(FS, wt, i * m + r, mask).fma(FloatVector.broadcast(FS, x[xr + i] * scale), u);
                }
                u.intoArray(phi, pr + r, mask);
                rowMax = Math.max(rowMax, u.reduceLanes(VectorOperators.MAX, mask));
            }
            if (queries) {
                features(phi, pr, m, rowMax, norm);
            } else {
                keyMax = Math.max(keyMax, rowMax);
            }
        }
        if (!queries) {
            for (int l = 0; l < s.length(); l++) {
                features(phi, row(s, b, l, h) * m, m, keyMax, norm);
            }
        }
    }

    /** {@code phi = (exp(u - max) + 1e-6) * norm}, in place. */
    private void features(float[] phi, int at, int m, float max, float norm) {
        for (int r = 0; r < m; r += FS.length()) {
            VectorMask<Float> mask = FS.indexInRange(r, m);
            VectorMath.exp(FloatVector.fromArray(FS, phi, at + r, mask).sub(max)).add(1e-6f).mul(norm)
                    .intoArray(phi, at + r, mask);
        }
    }

    /** Floats of scratch {@link #softmax} needs: the transposed keys, one row of weights, one vector. */
    static int softmaxScratch(AttentionShape s) {
        return s.keyDim() * s.length() + s.length() + FS.length();
    }

    /**
     * Exact softmax RPE attention of the (b, h) slice. Keys are transposed once ({@code [keyDim][n]}) so
     * that a query's scores are a broadcast-FMA loop over contiguous keys; the weights are exponentiated
     * lanewise after the row maximum is subtracted; the output row accumulates {@code w_j v_j} over j. The
     * three steps of a row are methods of their own that pass only arrays and numbers: small enough for C2 to
     * compile whole, and no vector crosses a call (a vector passed out of line is boxed).
     */
    void softmax(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out, int b, int h,
                 float[] scratch) {
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        int w = dk * n; // the row of weights, after the transposed keys
        for (int j = 0; j < n; j++) {
            int kr = row(s, b, j, h) * dk;
            for (int d = 0; d < dk; d++) {
                scratch[d * n + j] = k[kr + d];
            }
        }
        float invSqrt = (float) (1.0 / Math.sqrt(dk));
        int bOff = h * (2 * n - 1);
        int vStride = s.heads() * dv;
        int v0 = row(s, b, 0, h) * dv;
        for (int i = 0; i < n; i++) {
            int count = s.causal() ? i + 1 : n;
            float max = scores(scratch, n, dk, q, row(s, b, i, h) * dk, bias, bOff + n - 1 - i, invSqrt, w, count);
            float inv = 1f / exponentiate(scratch, w, count, max, w + n);
            weighted(scratch, w, count, v, v0, vStride, dv, inv, out, row(s, b, i, h) * dv);
        }
    }

    /**
     * {@code scratch[w + j] = (q . k_j) / sqrt(dk) + bias[b0 + j]} for j below count, from the transposed keys
     * {@code scratch[d * n + j]}; returns the largest. Four blocks of keys at once where they fit: four
     * independent FMA chains instead of one that waits on the FMA's latency; each score is still its own chain
     * over d in order, so the bits are those of one block at a time.
     */
    private static float scores(float[] scratch, int n, int dk, float[] q, int qr, float[] bias, int b0,
                                float invSqrt, int w, int count) {
        int lanes = FS.length();
        float max = Float.NEGATIVE_INFINITY;
        int j = 0;
        for (; j + 4 * lanes <= count; j += 4 * lanes) {
            FloatVector a0 = FloatVector.zero(FS);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int d = 0; d < dk; d++) {
                FloatVector qd = FloatVector.broadcast(FS, q[qr + d]);
                int at = d * n + j;
                a0 = FloatVector.fromArray(FS, scratch, at).fma(qd, a0);
                a1 = FloatVector.fromArray(FS, scratch, at + lanes).fma(qd, a1);
                a2 = FloatVector.fromArray(FS, scratch, at + 2 * lanes).fma(qd, a2);
                a3 = FloatVector.fromArray(FS, scratch, at + 3 * lanes).fma(qd, a3);
            }
            a0 = a0.mul(invSqrt).add(FloatVector.fromArray(FS, bias, b0 + j));
            a1 = a1.mul(invSqrt).add(FloatVector.fromArray(FS, bias, b0 + j + lanes));
            a2 = a2.mul(invSqrt).add(FloatVector.fromArray(FS, bias, b0 + j + 2 * lanes));
            a3 = a3.mul(invSqrt).add(FloatVector.fromArray(FS, bias, b0 + j + 3 * lanes));
            a0.intoArray(scratch, w + j);
            a1.intoArray(scratch, w + j + lanes);
            a2.intoArray(scratch, w + j + 2 * lanes);
            a3.intoArray(scratch, w + j + 3 * lanes);
            max = Math.max(max, a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX));
        }
        for (; j < count; j += lanes) {
            VectorMask<Float> mask = FS.indexInRange(j, count);
            FloatVector acc = FloatVector.zero(FS);
            for (int d = 0; d < dk; d++) {
                acc = FloatVector.fromArray(FS, scratch, d * n + j, mask).fma(FloatVector.broadcast(FS, q[qr + d]), acc);
            }
            // bias[h][j - i + n - 1] for consecutive j is contiguous
            acc = acc.mul(invSqrt).add(FloatVector.fromArray(FS, bias, b0 + j, mask));
            acc.intoArray(scratch, w + j, mask);
            max = Math.max(max, acc.reduceLanes(VectorOperators.MAX, mask));
        }
        return max;
    }

    /**
     * {@code scratch[w + j] = exp(scratch[w + j] - max)} for j below count; returns their sum, lanes summed in
     * the order of {@link VectorMath#XOR_1}'s tree from {@code scratch[sumAt ..]} (a vector passed to it might be boxed).
     */
    private static float exponentiate(float[] scratch, int w, int count, float max, int sumAt) {
        FloatVector den = FloatVector.zero(FS);
        for (int t = 0; t < count; t += FS.length()) {
            VectorMask<Float> mask = FS.indexInRange(t, count);
            FloatVector ex = VectorMath.exp(FloatVector.fromArray(FS, scratch, w + t, mask).sub(max));
            ex.intoArray(scratch, w + t, mask);
            den = den.add(ex, mask);
        }
        den.intoArray(scratch, sumAt);
        return VectorMath.sumStored(scratch, sumAt);
    }

    /**
     * {@code out[o + e] = inv * sum_j scratch[w + j] v[v0 + j vStride + e]} over j below count, j in order for
     * every e; four vectors of e at once where they fit (four FMA chains, the same bits).
     */
    private static void weighted(float[] scratch, int w, int count, float[] v, int v0, int vStride, int dv,
                                 float inv, float[] out, int o) {
        int lanes = FS.length();
        int e = 0;
        for (; e + 4 * lanes <= dv; e += 4 * lanes) {
            FloatVector a0 = FloatVector.zero(FS);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int j = 0; j < count; j++) {
                FloatVector wj = FloatVector.broadcast(FS, scratch[w + j]);
                int vr = v0 + j * vStride + e;
                a0 = FloatVector.fromArray(FS, v, vr).fma(wj, a0);
                a1 = FloatVector.fromArray(FS, v, vr + lanes).fma(wj, a1);
                a2 = FloatVector.fromArray(FS, v, vr + 2 * lanes).fma(wj, a2);
                a3 = FloatVector.fromArray(FS, v, vr + 3 * lanes).fma(wj, a3);
            }
            a0.mul(inv).intoArray(out, o + e);
            a1.mul(inv).intoArray(out, o + e + lanes);
            a2.mul(inv).intoArray(out, o + e + 2 * lanes);
            a3.mul(inv).intoArray(out, o + e + 3 * lanes);
        }
        for (; e < dv; e += lanes) {
            VectorMask<Float> mask = FS.indexInRange(e, dv);
            FloatVector acc = FloatVector.zero(FS);
            for (int j = 0; j < count; j++) {
                acc = FloatVector.fromArray(FS, v, v0 + j * vStride + e, mask)
                        .fma(FloatVector.broadcast(FS, scratch[w + j]), acc);
            }
            acc.mul(inv).intoArray(out, o + e, mask);
        }
    }
}
