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
     * lanewise after the row maximum is subtracted; the output row accumulates {@code w_j v_j} over j.
     */
    void softmax(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out, int b, int h,
                 float[] scratch) {
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        int lanes = FS.length();
        int kt = 0;
        int w = dk * n;
        for (int j = 0; j < n; j++) {
            int kr = row(s, b, j, h) * dk;
            for (int d = 0; d < dk; d++) {
                scratch[kt + d * n + j] = k[kr + d];
            }
        }
        float invSqrt = (float) (1.0 / Math.sqrt(dk));
        int bOff = h * (2 * n - 1);
        for (int i = 0; i < n; i++) {
            int qr = row(s, b, i, h) * dk;
            int count = s.causal() ? i + 1 : n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < count; j += lanes) {
                VectorMask<Float> mask = FS.indexInRange(j, count);
                FloatVector acc = FloatVector.zero(FS);
                for (int d = 0; d < dk; d++) {
                    acc = FloatVector.fromArray(FS, scratch, kt + d * n + j, mask).fma(FloatVector.broadcast(FS, q[qr + d]), acc);
                }
                // bias[h][j - i + n - 1] for consecutive j is contiguous
                acc = acc.mul(invSqrt).add(FloatVector.fromArray(FS, bias, bOff + j - i + n - 1, mask));
                acc.intoArray(scratch, w + j, mask);
                max = Math.max(max, acc.reduceLanes(VectorOperators.MAX, mask));
            }
            FloatVector den = FloatVector.zero(FS);
            for (int j = 0; j < count; j += lanes) {
                VectorMask<Float> mask = FS.indexInRange(j, count);
                FloatVector e = VectorMath.exp(FloatVector.fromArray(FS, scratch, w + j, mask).sub(max));
                e.intoArray(scratch, w + j, mask);
                den = den.add(e, mask);
            }
            den.intoArray(scratch, w + n); // summed from memory: a vector passed to a helper may be boxed
            float inv = 1f / VectorMath.sumStored(scratch, w + n);
            int o = row(s, b, i, h) * dv;
            for (int e = 0; e < dv; e += lanes) {
                VectorMask<Float> mask = FS.indexInRange(e, dv);
                FloatVector acc = FloatVector.zero(FS);
                for (int j = 0; j < count; j++) {
                    acc = FloatVector.fromArray(FS, v, row(s, b, j, h) * dv + e, mask).fma(FloatVector.broadcast(FS, scratch[w + j]), acc);
                }
                acc.mul(inv).intoArray(out, o + e, mask);
            }
        }
    }
}
