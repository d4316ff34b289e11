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
            float half = halfSquaredNorm(x, xr, d, scale);
            float rowMax = exponents(x, xr, d, m, wt, scale, half, phi, pr);
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

    /**
     * {@code u[r] = w_r . x' - half} for the row of x at {@code xr} ({@code x' = x * scale}), into
     * {@code out[at ..+ m)}; returns the largest.
     */
    private static float exponents(float[] x, int xr, int d, int m, float[] wt, float scale, float half, float[] out,
                                   int at) {
        float rowMax = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < m; r += FS.length()) {
            VectorMask<Float> mask = FS.indexInRange(r, m);
            FloatVector u = FloatVector.broadcast(FS, -half);
            for (int i = 0; i < d; i++) {
                u = FloatVector.fromArray(FS, wt, i * m + r, mask).fma(FloatVector.broadcast(FS, x[xr + i] * scale), u);
            }
            u.intoArray(out, at + r, mask);
            rowMax = Math.max(rowMax, u.reduceLanes(VectorOperators.MAX, mask));
        }
        return rowMax;
    }

    /** {@code |x'|^2 / 2} of the row at {@code xr}, summed in order as the forward does. */
    private static float halfSquaredNorm(float[] x, int xr, int d, float scale) {
        float half = 0f;
        for (int i = 0; i < d; i++) {
            float v = x[xr + i] * scale;
            half += v * v;
        }
        return half * 0.5f;
    }

    /** Floats of scratch {@link #randomFeaturesBackward} needs: one row's exponents, one row's gradient, a vector. */
    static int featuresBackwardScratch(AttentionShape s) {
        return SimdSupport.roundUp(s.features(), FS.length()) + SimdSupport.roundUp(s.keyDim(), FS.length())
                + FS.length();
    }

    /**
     * The random features' backward pass of the (b, h) slice (docs/contract.md#attention-backward): the exponents and
     * the stabilizer recomputed as {@link #randomFeatures} computes them, {@code ge[r] = gradPhi[r] exp(u[r] - s) norm},
     * then {@code gradX = scale (sum_r ge[r] w_r - x' sum_r ge[r])}. {@code wt} is the projection transposed, {@code w}
     * as given ({@code [features][keyDim]}).
     */
    void randomFeaturesBackward(AttentionShape s, float[] x, float[] wt, float[] w, boolean queries, float[] gradPhi,
                                float[] gradX, int b, int h, float[] sc) {
        int d = s.keyDim();
        int m = s.features();
        int lanes = FS.length();
        float scale = (float) Math.pow(d, -0.25);
        float norm = (float) (1.0 / Math.sqrt(m));
        int acc = SimdSupport.roundUp(m, lanes);
        int sums = acc + SimdSupport.roundUp(d, lanes);
        float keyMax = Float.NEGATIVE_INFINITY;
        if (!queries) {
            for (int l = 0; l < s.length(); l++) {
                int xr = row(s, b, l, h) * d;
                keyMax = Math.max(keyMax, exponents(x, xr, d, m, wt, scale, halfSquaredNorm(x, xr, d, scale), sc, 0));
            }
        }
        for (int l = 0; l < s.length(); l++) {
            int xr = row(s, b, l, h) * d;
            int pr = row(s, b, l, h) * m;
            float rowMax = exponents(x, xr, d, m, wt, scale, halfSquaredNorm(x, xr, d, scale), sc, 0);
            float stab = queries ? rowMax : keyMax;
            FloatVector total = FloatVector.zero(FS);
            for (int r = 0; r < m; r += lanes) {
                VectorMask<Float> mask = FS.indexInRange(r, m);
                FloatVector ge = VectorMath.exp(FloatVector.fromArray(FS, sc, r).sub(stab)).mul(norm)
                        .mul(FloatVector.fromArray(FS, gradPhi, pr + r, mask));
                ge = FloatVector.zero(FS).blend(ge, mask);
                ge.intoArray(sc, r);
                total = total.add(ge);
            }
            total.intoArray(sc, sums);
            float sum = VectorMath.sumStored(sc, sums);
            java.util.Arrays.fill(sc, acc, sums, 0f);
            for (int r = 0; r < m; r++) {
                FloatVector ge = FloatVector.broadcast(FS, sc[r]);
                for (int k = 0; k < d; k += lanes) {
                    VectorMask<Float> mask = FS.indexInRange(k, d);
                    FloatVector.fromArray(FS, w, r * d + k, mask).fma(ge, FloatVector.fromArray(FS, sc, acc + k))
                            .intoArray(sc, acc + k);
                }
            }
            for (int k = 0; k < d; k++) {
                gradX[xr + k] = scale * (sc[acc + k] - sum * (x[xr + k] * scale));
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

    /** Query rows a tile holds: every key or value vector loaded feeds the FMAs of four rows. */
    static final int TILE_ROWS = 4;
    /**
     * Keys a block holds: a tile's scores (four rows of 256 floats, 4 KiB) stay in L1 between the score, weight
     * and value passes. A multiple of two vectors at every width up to 512 bits.
     */
    static final int BLOCK_KEYS = 256;
    /** Scratch after the tile's outputs: per row the running maximum, the running sum, the block's rescale. */
    static final int MAX = 0;
    static final int SUM = TILE_ROWS;
    static final int SCALE = 2 * TILE_ROWS;
    static final int LANE_SUMS = 3 * TILE_ROWS;

    /**
     * Floats of scratch {@link #softmax} needs: the keys and values packed in chunks of two vectors, a tile's
     * scores, its outputs, its running statistics and one vector.
     *
     * @throws IllegalArgumentException naming {@code AttentionShape.length} when one head's packed keys and values
     *         would not fit an array
     */
    static int softmaxScratch(AttentionShape s) {
        int pair = 2 * FS.length();
        long nPad = SimdSupport.roundUp(s.length(), pair);
        long dvPad = SimdSupport.roundUp(s.valueDim(), pair);
        long floats = s.keyDim() * nPad + dvPad * nPad + TILE_ROWS * (BLOCK_KEYS + dvPad) + LANE_SUMS + FS.length();
        if (floats > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("AttentionShape.length " + s.length() + " with keyDim " + s.keyDim()
                    + " and valueDim " + s.valueDim() + ": one head's packed keys and values exceed an array");
        }
        return (int) floats;
    }

    /**
     * Exact softmax RPE attention of the (b, h) slice, flash-attention style: queries go in tiles of
     * {@link #TILE_ROWS} rows and keys in blocks of {@link #BLOCK_KEYS}; a block's scores of the tile are computed
     * with each key vector shared by the tile's rows, exponentiated against the running row maximum (an online
     * softmax: the outputs and sums so far are rescaled when the maximum grows) and multiplied into the outputs
     * with each value vector shared by the rows. Keys and values are first packed in chunks of two vectors
     * ({@code [n / pair][keyDim][pair]} and {@code [valueDim / pair][n][pair]}, zero-padded), so both inner loops
     * read memory in order (strided rows 4 KiB apart cost a page per load). Memory is O(n); no n x n matrix.
     * Causal tiles stop at their last row's key. The order of every sum is fixed by the shape alone, so the bits
     * do not depend on threads. Each pass is a method of its own that passes only arrays and numbers: small enough
     * for C2 to compile whole, and no vector crosses a call (a vector passed out of line is boxed).
     */
    void softmax(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out, int b, int h,
                 float[] scratch) {
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        int pair = 2 * FS.length();
        int nPad = SimdSupport.roundUp(n, pair);
        int dvPad = SimdSupport.roundUp(dv, pair);
        int vp = dk * nPad;                  // packed values
        int p = vp + dvPad * n;              // the tile's scores, then weights: [TILE_ROWS][BLOCK_KEYS]
        int o = p + TILE_ROWS * BLOCK_KEYS;  // the tile's unnormalized outputs: [TILE_ROWS][dvPad]
        int st = o + TILE_ROWS * dvPad;      // running statistics
        pack(s, k, v, b, h, scratch, nPad, dvPad, vp);
        float invSqrt = (float) (1.0 / Math.sqrt(dk));
        int bOff = h * (2 * n - 1);
        int qStride = s.heads() * dk;
        int vStride = s.heads() * dv;
        int q0 = row(s, b, 0, h) * dk;
        int v0 = row(s, b, 0, h) * dv;
        for (int i0 = 0; i0 < n; i0 += TILE_ROWS) {
            int rows = Math.min(TILE_ROWS, n - i0);
            int keyEnd = s.causal() ? i0 + rows : n;
            java.util.Arrays.fill(scratch, o, o + TILE_ROWS * dvPad, 0f);
            java.util.Arrays.fill(scratch, st + MAX, st + MAX + TILE_ROWS, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(scratch, st + SUM, st + SUM + TILE_ROWS, 0f);
            // a tile's missing rows repeat its last row: the same work, never written out
            int qa = q0 + i0 * qStride;
            int qb = q0 + (i0 + Math.min(1, rows - 1)) * qStride;
            int qc = q0 + (i0 + Math.min(2, rows - 1)) * qStride;
            int qd = q0 + (i0 + Math.min(3, rows - 1)) * qStride;
            for (int j0 = 0; j0 < keyEnd; j0 += BLOCK_KEYS) {
                int width = Math.min(BLOCK_KEYS, keyEnd - j0);
                int widthPad = SimdSupport.roundUp(width, pair); // whole pairs of vectors: the packed keys are padded
                scores(scratch, j0 * dk, widthPad, dk, q, qa, qb, qc, qd, invSqrt, p);
                for (int r = 0; r < TILE_ROWS; r++) {
                    int i = i0 + Math.min(r, rows - 1);
                    int count = Math.min((s.causal() ? i + 1 : n) - j0, width);
                    weights(scratch, p + r * BLOCK_KEYS, widthPad, count, bias, bOff + n - 1 - i + j0, st, r);
                }
                values(scratch, p, width, vp + j0 * pair, n * pair, dvPad, o, st + SCALE);
            }
            for (int r = 0; r < rows; r++) {
                float inv = 1f / scratch[st + SUM + r];
                int or = v0 + (i0 + r) * vStride;
                for (int e = 0; e < dv; e++) {
                    out[or + e] = scratch[o + r * dvPad + e] * inv;
                }
            }
        }
    }

    /**
     * Packs the slice's keys as {@code sc[(j / pair) dk pair + d pair + j % pair]} for j below nPad and its values
     * as {@code sc[vp + (e / pair) n pair + j pair + e % pair]} for e below dvPad, zeros past n and dv.
     */
    static void pack(AttentionShape s, float[] k, float[] v, int b, int h, float[] sc, int nPad, int dvPad,
                             int vp) {
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        int pair = 2 * FS.length();
        for (int j = 0; j < nPad; j++) {
            int kr = row(s, b, Math.min(j, n - 1), h) * dk;
            int at = j / pair * dk * pair + j % pair;
            for (int d = 0; d < dk; d++) {
                sc[at + d * pair] = j < n ? k[kr + d] : 0f;
            }
        }
        for (int j = 0; j < n; j++) {
            int vr = row(s, b, j, h) * dv;
            int at = vp + j * pair;
            for (int e = 0; e < dvPad; e++) {
                sc[at + e / pair * n * pair + e % pair] = e < dv ? v[vr + e] : 0f;
            }
        }
    }

    /**
     * The tile's raw scores of the {@code widthPad} keys whose packed chunks start at {@code sc[kAt]}:
     * {@code sc[p + r BLOCK_KEYS + j] = (q_r . k_j) / sqrt(dk)} for the four query rows at {@code qa .. qd}. Two key
     * vectors and four rows: eight FMA chains, each key vector loaded once for four rows.
     */
    static void scores(float[] sc, int kAt, int widthPad, int dk, float[] q, int qa, int qb,
                               int qc, int qd, float invSqrt, int p) {
        int lanes = FS.length();
        int at = kAt;
        for (int j = 0; j < widthPad; j += 2 * lanes) {
            FloatVector a0 = FloatVector.zero(FS);
            FloatVector a1 = a0;
            FloatVector b0 = a0;
            FloatVector b1 = a0;
            FloatVector c0 = a0;
            FloatVector c1 = a0;
            FloatVector d0 = a0;
            FloatVector d1 = a0;
            for (int d = 0; d < dk; d++, at += 2 * lanes) {
                FloatVector k0 = FloatVector.fromArray(FS, sc, at);
                FloatVector k1 = FloatVector.fromArray(FS, sc, at + lanes);
                FloatVector x = FloatVector.broadcast(FS, q[qa + d]);
                a0 = k0.fma(x, a0);
                a1 = k1.fma(x, a1);
                x = FloatVector.broadcast(FS, q[qb + d]);
                b0 = k0.fma(x, b0);
                b1 = k1.fma(x, b1);
                x = FloatVector.broadcast(FS, q[qc + d]);
                c0 = k0.fma(x, c0);
                c1 = k1.fma(x, c1);
                x = FloatVector.broadcast(FS, q[qd + d]);
                d0 = k0.fma(x, d0);
                d1 = k1.fma(x, d1);
            }
            a0.mul(invSqrt).intoArray(sc, p + j);
            a1.mul(invSqrt).intoArray(sc, p + j + lanes);
            b0.mul(invSqrt).intoArray(sc, p + BLOCK_KEYS + j);
            b1.mul(invSqrt).intoArray(sc, p + BLOCK_KEYS + j + lanes);
            c0.mul(invSqrt).intoArray(sc, p + 2 * BLOCK_KEYS + j);
            c1.mul(invSqrt).intoArray(sc, p + 2 * BLOCK_KEYS + j + lanes);
            d0.mul(invSqrt).intoArray(sc, p + 3 * BLOCK_KEYS + j);
            d1.mul(invSqrt).intoArray(sc, p + 3 * BLOCK_KEYS + j + lanes);
        }
    }

    /**
     * Row r of the tile, one block: adds the bias ({@code bias[b0 + j]}, contiguous in j) to the first {@code count}
     * scores (the keys the row sees; none when count is not positive), takes the new running maximum, turns the
     * scores into weights {@code exp(score - max)} (zero past count, up to widthPad) and updates the running sum,
     * rescaled by {@code exp(old max - new max)}, which it leaves for {@link #values}. The block's lane sums are
     * added in {@link VectorMath#sumStored}'s fixed tree.
     */
    static void weights(float[] sc, int at, int widthPad, int count, float[] bias, int b0, int st, int r) {
        int lanes = FS.length();
        float max = addBias(sc, at, count, bias, b0);
        float old = sc[st + MAX + r];
        float m = Math.max(old, max);
        FloatVector den = FloatVector.zero(FS);
        for (int t = 0; t < widthPad; t += lanes) {
            VectorMask<Float> mask = FS.indexInRange(t, count);
            FloatVector ex = FloatVector.zero(FS).blend(VectorMath.exp(FloatVector.fromArray(FS, sc, at + t).sub(m)), mask);
            ex.intoArray(sc, at + t);
            den = den.add(ex);
        }
        den.intoArray(sc, st + LANE_SUMS);
        float blockSum = VectorMath.sumStored(sc, st + LANE_SUMS);
        // the first block of a row has nothing to rescale; StrictMath for the same bits in every JIT tier
        float scale = old == Float.NEGATIVE_INFINITY ? 0f : (float) StrictMath.exp((double) old - m);
        sc[st + MAX + r] = m;
        sc[st + SUM + r] = sc[st + SUM + r] * scale + blockSum;
        sc[st + SCALE + r] = scale;
    }

    /** Adds the bias ({@code bias[b0 + j]}, contiguous in j) to the first {@code count} scores; returns their maximum. */
    static float addBias(float[] sc, int at, int count, float[] bias, int b0) {
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < count; t += FS.length()) {
            VectorMask<Float> mask = FS.indexInRange(t, count);
            FloatVector x = FloatVector.fromArray(FS, sc, at + t).add(FloatVector.fromArray(FS, bias, b0 + t, mask));
            x.intoArray(sc, at + t);
            max = Math.max(max, x.reduceLanes(VectorOperators.MAX, mask));
        }
        return max;
    }

    /**
     * The tile's outputs {@code sc[o + r dvPad + e] = scale_r sc[o + r dvPad + e] + sum_j w_rj v_je} over the block's
     * {@code width} keys in order, the rescales at {@code sc[scales ..]}, the values packed in chunks of two vectors
     * starting at {@code sc[vAt + chunk chunkStride]}. Two value vectors and four rows: eight FMA chains, each value
     * vector loaded once for four rows.
     */
    static void values(float[] sc, int p, int width, int vAt, int chunkStride, int dvPad, int o,
                               int scales) {
        int lanes = FS.length();
        float sa = sc[scales];
        float sb = sc[scales + 1];
        float sc2 = sc[scales + 2];
        float sd = sc[scales + 3];
        int oa = o;
        int ob = o + dvPad;
        int oc = o + 2 * dvPad;
        int od = o + 3 * dvPad;
        for (int e = 0, chunk = vAt; e < dvPad; e += 2 * lanes, chunk += chunkStride) {
            FloatVector a0 = FloatVector.fromArray(FS, sc, oa + e).mul(sa);
            FloatVector a1 = FloatVector.fromArray(FS, sc, oa + e + lanes).mul(sa);
            FloatVector b0 = FloatVector.fromArray(FS, sc, ob + e).mul(sb);
            FloatVector b1 = FloatVector.fromArray(FS, sc, ob + e + lanes).mul(sb);
            FloatVector c0 = FloatVector.fromArray(FS, sc, oc + e).mul(sc2);
            FloatVector c1 = FloatVector.fromArray(FS, sc, oc + e + lanes).mul(sc2);
            FloatVector d0 = FloatVector.fromArray(FS, sc, od + e).mul(sd);
            FloatVector d1 = FloatVector.fromArray(FS, sc, od + e + lanes).mul(sd);
            int vr = chunk;
            for (int j = 0; j < width; j++, vr += 2 * lanes) {
                FloatVector x0 = FloatVector.fromArray(FS, sc, vr);
                FloatVector x1 = FloatVector.fromArray(FS, sc, vr + lanes);
                FloatVector w = FloatVector.broadcast(FS, sc[p + j]);
                a0 = x0.fma(w, a0);
                a1 = x1.fma(w, a1);
                w = FloatVector.broadcast(FS, sc[p + BLOCK_KEYS + j]);
                b0 = x0.fma(w, b0);
                b1 = x1.fma(w, b1);
                w = FloatVector.broadcast(FS, sc[p + 2 * BLOCK_KEYS + j]);
                c0 = x0.fma(w, c0);
                c1 = x1.fma(w, c1);
                w = FloatVector.broadcast(FS, sc[p + 3 * BLOCK_KEYS + j]);
                d0 = x0.fma(w, d0);
                d1 = x1.fma(w, d1);
            }
            a0.intoArray(sc, oa + e);
            a1.intoArray(sc, oa + e + lanes);
            b0.intoArray(sc, ob + e);
            b1.intoArray(sc, ob + e + lanes);
            c0.intoArray(sc, oc + e);
            c1.intoArray(sc, oc + e + lanes);
            d0.intoArray(sc, od + e);
            d1.intoArray(sc, od + e + lanes);
        }
    }
}
