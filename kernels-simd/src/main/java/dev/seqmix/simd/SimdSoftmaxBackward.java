package dev.seqmix.simd;

import static dev.seqmix.simd.SimdAttention.BLOCK_KEYS;
import static dev.seqmix.simd.SimdAttention.TILE_ROWS;

import dev.seqmix.AttentionShape;
import dev.seqmix.internal.BiasGradients;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward pass of softmax RPE attention on vectors (docs/contract.md#attention-backward), flash-attention
 * style on the forward's tiles ({@link SimdAttention#softmax}): for each tile of four query rows, the forward's
 * passes once more give the rows' maximum, sum and output (so {@code delta = gradOut . out}); then every key block
 * again: the scores and {@code dp = gradOut . v} (both by {@link SimdAttention#scores}, the values packed like the
 * keys), {@code p = exp(score - max) / sum}, {@code ds = p (dp - delta)}, {@code dQ += ds K} (by
 * {@link SimdAttention#values}, the keys packed like the values), and per key {@code dK += ds q},
 * {@code dV += p gradOut} over the tile's four rows, and {@code dBias} along the diagonal. O(n) memory; every sum
 * in an order fixed by the shape, so the bits do not depend on threads.
 */
final class SimdSoftmaxBackward {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;

    private SimdSoftmaxBackward() {
    }

    private static int row(AttentionShape s, int b, int l, int h) {
        return (b * s.length() + l) * s.heads() + h;
    }

    static void run(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] gradOut, float[] gradQ,
                    float[] gradK, float[] gradV, float[] gradBias, boolean accumulateBias) {
        int slices = s.batch() * s.heads();
        float[] partial = ScratchPool.floats(slices * (2 * s.length() - 1));
        try {
            long n = s.length();
            Parallel.Args a = Parallel.args().with(s)
                    .floats(q, k, v, bias, gradOut, gradQ, gradK, gradV, partial, null);
            Parallel.run(Parallel.parts(slices, 4 * n * n * (s.keyDim() + s.valueDim())), slices, a, RANGE);
            BiasGradients.sumOverBatch(s, partial, gradBias, accumulateBias);
        } finally {
            ScratchPool.release(partial);
        }
    }

    private static final Parallel.Body RANGE = (a, from, to) -> range((AttentionShape) a.o0, a.f0, a.f1, a.f2,
            a.f3, a.f4, a.f5, a.f6, a.f7, a.f8, from, to);

    /** Floats of one thread's scratch. */
    private static int scratch(AttentionShape s) {
        int pair = 2 * FS.length();
        int n = s.length();
        long nPad = SimdSupport.roundUp(n, pair);
        long dkPad = SimdSupport.roundUp(s.keyDim(), pair);
        long dvPad = SimdSupport.roundUp(s.valueDim(), pair);
        long tiles = 2L * TILE_ROWS * SimdSupport.roundUp(n, BLOCK_KEYS);
        long floats = (dkPad + dvPad) * nPad * 2 + tiles + 3L * TILE_ROWS * (dkPad + dvPad) + 4L * TILE_ROWS
                + 3L * FS.length() + n * (dkPad + dvPad) + 2L * n
                + FS.length(); // the bias gradient's last masked vector stays inside the array
        if (floats > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("AttentionShape.length " + n + " with keyDim " + s.keyDim()
                    + " and valueDim " + s.valueDim() + ": one head's packed keys and values exceed an array");
        }
        return (int) floats;
    }

    private static void range(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] gradOut,
                              float[] gradQ, float[] gradK, float[] gradV, float[] partial, int from, int to) {
        float[] sc = ScratchPool.floats(scratch(s));
        try {
            for (int slice = from; slice < to; slice++) {
                slice(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, partial, slice / s.heads(), slice % s.heads(),
                        sc);
            }
        } finally {
            ScratchPool.release(sc);
        }
    }

    private static void slice(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] gradOut,
                              float[] gradQ, float[] gradK, float[] gradV, float[] partial, int b, int h, float[] sc) {
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        int lanes = FS.length();
        int pair = 2 * lanes;
        int nPad = SimdSupport.roundUp(n, pair);
        int dkPad = SimdSupport.roundUp(dk, pair);
        int dvPad = SimdSupport.roundUp(dv, pair);
        int tile = TILE_ROWS * BLOCK_KEYS;              // one block of a tile's scores (or dp): [TILE_ROWS][BLOCK_KEYS]
        // scratch layout
        int kKeys = 0;                                  // keys as scores() reads them
        int vKeys = kKeys + dkPad * nPad;               // values likewise: dp = gradOut . v
        int kVals = vKeys + dvPad * nPad;               // keys as values() reads them: dQ += ds K
        int pt = kVals + dkPad * nPad;                  // the tile's scores, then p, every block: [block][tile]
        int dpt = pt + SimdSupport.roundUp(n, BLOCK_KEYS) * TILE_ROWS; // the tile's dp, then ds, likewise
        int gt = dpt + SimdSupport.roundUp(n, BLOCK_KEYS) * TILE_ROWS; // the tile's gradOut rows, padded
        int qt = gt + TILE_ROWS * dvPad;                // the tile's query rows, padded
        int dqt = qt + TILE_ROWS * dkPad;               // the tile's dQ
        int lane = dqt + TILE_ROWS * dkPad;             // lane sums: sum of p, sum of p dp, and one spare vector
        int ones = lane + 3 * lanes;                    // TILE_ROWS ones: dQ accumulates unscaled
        int stats = ones + TILE_ROWS;                   // per row: max, 1 / sum, delta
        int dkAcc = stats + 3 * TILE_ROWS;              // dK [n][dkPad]
        int dvAcc = dkAcc + n * dkPad;                  // dV [n][dvPad]
        int dbAcc = dvAcc + n * dvPad;                  // dBias [2n - 1]
        packKeys(s, k, dk, b, h, sc, kKeys, nPad);
        packKeys(s, v, dv, b, h, sc, vKeys, nPad);
        packValues(s, k, dk, b, h, sc, kVals, dkPad);
        java.util.Arrays.fill(sc, ones, ones + TILE_ROWS, 1f);
        java.util.Arrays.fill(sc, dkAcc, dbAcc + 2 * n - 1, 0f);
        float invSqrt = (float) (1.0 / Math.sqrt(dk));
        int bOff = h * (2 * n - 1);
        for (int i0 = 0; i0 < n; i0 += TILE_ROWS) {
            int rows = Math.min(TILE_ROWS, n - i0);
            int keyEnd = s.causal() ? i0 + rows : n;
            // the tile's rows, padded; missing rows repeat the last one and see no keys (they add nothing)
            for (int r = 0; r < TILE_ROWS; r++) {
                int i = i0 + Math.min(r, rows - 1);
                copyPadded(q, row(s, b, i, h) * dk, dk, sc, qt + r * dkPad, dkPad);
                copyPadded(gradOut, row(s, b, i, h) * dv, dv, sc, gt + r * dvPad, dvPad);
                sc[stats + r] = Float.NEGATIVE_INFINITY;
            }
            // 1. every block's scores (bias added) and dp = gradOut . v, kept for the tile; each row's maximum
            for (int j0 = 0, at = 0; j0 < keyEnd; j0 += BLOCK_KEYS, at += tile) {
                int width = Math.min(BLOCK_KEYS, keyEnd - j0);
                int widthPad = SimdSupport.roundUp(width, pair);
                SimdAttention.scores(sc, kKeys + j0 * dkPad, widthPad, dkPad, sc, qt, qt + dkPad, qt + 2 * dkPad,
                        qt + 3 * dkPad, invSqrt, pt + at);
                SimdAttention.scores(sc, vKeys + j0 * dvPad, widthPad, dvPad, sc, gt, gt + dvPad, gt + 2 * dvPad,
                        gt + 3 * dvPad, 1f, dpt + at);
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r;
                    int count = Math.min((s.causal() ? i + 1 : n) - j0, width);
                    sc[stats + r] = Math.max(sc[stats + r],
                            SimdAttention.addBias(sc, pt + at + r * BLOCK_KEYS, count, bias, bOff + n - 1 - i + j0));
                }
            }
            // each row's sum of exp(score - max) and delta = sum p dp, lane by lane over the blocks, then p and ds
            for (int r = 0; r < TILE_ROWS; r++) {
                int i = i0 + Math.min(r, rows - 1);
                java.util.Arrays.fill(sc, lane, lane + 2 * lanes, 0f);
                for (int j0 = 0, at = 0; j0 < keyEnd; j0 += BLOCK_KEYS, at += tile) {
                    int width = Math.min(BLOCK_KEYS, keyEnd - j0);
                    int count = r < rows ? Math.min((s.causal() ? i + 1 : n) - j0, width) : 0;
                    exponentials(sc, pt + at + r * BLOCK_KEYS, dpt + at + r * BLOCK_KEYS,
                            SimdSupport.roundUp(width, pair), count, sc[stats + r], lane);
                }
                float sum = VectorMath.sumStored(sc, lane);
                float inv = sum > 0f ? 1f / sum : 0f;
                float delta = VectorMath.sumStored(sc, lane + lanes) * inv;
                for (int j0 = 0, at = 0; j0 < keyEnd; j0 += BLOCK_KEYS, at += tile) {
                    int width = Math.min(BLOCK_KEYS, keyEnd - j0);
                    int count = r < rows ? Math.min((s.causal() ? i + 1 : n) - j0, width) : 0;
                    probabilities(sc, pt + at + r * BLOCK_KEYS, dpt + at + r * BLOCK_KEYS,
                            SimdSupport.roundUp(width, pair), count, inv, delta, dbAcc + n - 1 - i + j0);
                }
            }
            // 2. the gradients, block by block: dQ += ds K, and per key dK += ds q, dV += p gradOut
            java.util.Arrays.fill(sc, dqt, dqt + TILE_ROWS * dkPad, 0f);
            for (int j0 = 0, at = 0; j0 < keyEnd; j0 += BLOCK_KEYS, at += tile) {
                int width = Math.min(BLOCK_KEYS, keyEnd - j0);
                SimdAttention.values(sc, dpt + at, width, kVals + j0 * pair, n * pair, dkPad, dqt, ones);
                keyGradients(sc, pt + at, dpt + at, width, gt, qt, dvPad, dkPad, dvAcc + j0 * dvPad,
                        dkAcc + j0 * dkPad);
            }
            for (int r = 0; r < rows; r++) {
                int qr = row(s, b, i0 + r, h) * dk;
                for (int e = 0; e < dk; e++) {
                    gradQ[qr + e] = sc[dqt + r * dkPad + e] * invSqrt;
                }
            }
        }
        for (int j = 0; j < n; j++) {
            int kr = row(s, b, j, h) * dk;
            int vr = row(s, b, j, h) * dv;
            for (int e = 0; e < dk; e++) {
                gradK[kr + e] = sc[dkAcc + j * dkPad + e] * invSqrt;
            }
            System.arraycopy(sc, dvAcc + j * dvPad, gradV, vr, dv);
        }
        System.arraycopy(sc, dbAcc, partial, (b * s.heads() + h) * (2 * n - 1), 2 * n - 1);
    }

    /**
     * One row of one block: {@code e = exp(score - max)} over the first {@code count} keys (zero after, up to
     * widthPad) in place of the scores; the lane sums of e and of {@code e dp} added at {@code sc[lane ..]} and
     * {@code sc[lane + lanes ..]}.
     */
    private static void exponentials(float[] sc, int pAt, int dpAt, int widthPad, int count, float max, int lane) {
        int lanes = FS.length();
        FloatVector sum = FloatVector.fromArray(FS, sc, lane);
        FloatVector dot = FloatVector.fromArray(FS, sc, lane + lanes);
        for (int t = 0; t < widthPad; t += lanes) {
            VectorMask<Float> mask = FS.indexInRange(t, count);
            FloatVector e = FloatVector.zero(FS).blend(VectorMath.exp(FloatVector.fromArray(FS, sc, pAt + t).sub(max)),
                    mask);
            e.intoArray(sc, pAt + t);
            sum = sum.add(e);
            dot = e.fma(FloatVector.fromArray(FS, sc, dpAt + t), dot);
        }
        sum.intoArray(sc, lane);
        dot.intoArray(sc, lane + lanes);
    }

    /**
     * One row of one block: {@code p = e / sum} in place of the exponentials, {@code ds = p (dp - delta)} in place of
     * dp, and ds added to the bias gradient along the row's diagonal ({@code sc[db ..]}, contiguous in j).
     */
    private static void probabilities(float[] sc, int pAt, int dpAt, int widthPad, int count, float inv,
                                      float delta, int db) {
        int lanes = FS.length();
        for (int t = 0; t < widthPad; t += lanes) {
            FloatVector p = FloatVector.fromArray(FS, sc, pAt + t).mul(inv);
            p.intoArray(sc, pAt + t);
            FloatVector ds = FloatVector.fromArray(FS, sc, dpAt + t).sub(delta).mul(p);
            ds.intoArray(sc, dpAt + t);
            if (t < count) {
                VectorMask<Float> mask = FS.indexInRange(t, count);
                ds.add(FloatVector.fromArray(FS, sc, db + t, mask)).intoArray(sc, db + t, mask);
            }
        }
    }

    /**
     * For each of the block's {@code width} keys j: {@code dV[j] += sum_r p_rj g_r} and {@code dK[j] += sum_r ds_rj
     * q_r} over the tile's four rows (padded rows in {@code sc[gt ..]}, {@code sc[qt ..]}), the accumulators rows of
     * {@code dvPad} and {@code dkPad} floats from {@code sc[dvAt]} and {@code sc[dkAt]}.
     */
    private static void keyGradients(float[] sc, int pt, int dst, int width, int gt, int qt, int dvPad, int dkPad,
                                     int dvAt, int dkAt) {
        outerProducts(sc, pt, width, gt, dvPad, dvAt);
        outerProducts(sc, dst, width, qt, dkPad, dkAt);
    }

    /**
     * {@code acc[j] += sum_r w_rj x_r} for the block's keys j, w the tile's weights at {@code sc[wt + r BLOCK_KEYS + j]}
     * and x its four padded rows at {@code sc[xt + r pad]}: two vectors of the rows at a time held in registers
     * (eight vectors) across all the keys, so each key costs two loads and two stores for eight FMAs.
     */
    private static void outerProducts(float[] sc, int wt, int width, int xt, int pad, int accAt) {
        int lanes = FS.length();
        for (int e = 0; e < pad; e += 2 * lanes) {
            FloatVector a0 = FloatVector.fromArray(FS, sc, xt + e);
            FloatVector a1 = FloatVector.fromArray(FS, sc, xt + e + lanes);
            FloatVector b0 = FloatVector.fromArray(FS, sc, xt + pad + e);
            FloatVector b1 = FloatVector.fromArray(FS, sc, xt + pad + e + lanes);
            FloatVector c0 = FloatVector.fromArray(FS, sc, xt + 2 * pad + e);
            FloatVector c1 = FloatVector.fromArray(FS, sc, xt + 2 * pad + e + lanes);
            FloatVector d0 = FloatVector.fromArray(FS, sc, xt + 3 * pad + e);
            FloatVector d1 = FloatVector.fromArray(FS, sc, xt + 3 * pad + e + lanes);
            for (int j = 0, at = accAt + e; j < width; j++, at += pad) {
                FloatVector wa = FloatVector.broadcast(FS, sc[wt + j]);
                FloatVector wb = FloatVector.broadcast(FS, sc[wt + BLOCK_KEYS + j]);
                FloatVector wc = FloatVector.broadcast(FS, sc[wt + 2 * BLOCK_KEYS + j]);
                FloatVector wd = FloatVector.broadcast(FS, sc[wt + 3 * BLOCK_KEYS + j]);
                FloatVector s0 = a0.fma(wa, FloatVector.fromArray(FS, sc, at));
                FloatVector s1 = a1.fma(wa, FloatVector.fromArray(FS, sc, at + lanes));
                s0 = b0.fma(wb, s0);
                s1 = b1.fma(wb, s1);
                s0 = c0.fma(wc, s0);
                s1 = c1.fma(wc, s1);
                d0.fma(wd, s0).intoArray(sc, at);
                d1.fma(wd, s1).intoArray(sc, at + lanes);
            }
        }
    }

    /** {@code dst[at ..+ pad) = x[from ..+ dim)}, zeros after. */
    private static void copyPadded(float[] x, int from, int dim, float[] dst, int at, int pad) {
        System.arraycopy(x, from, dst, at, dim);
        java.util.Arrays.fill(dst, at + dim, at + pad, 0f);
    }

    /**
     * Rows of {@code x} (dim {@code dim}) packed as {@link SimdAttention#scores} reads keys, with the dimension padded
     * to {@code dimPad = pad}: {@code sc[at + (j / pair) dimPad pair + d pair + j % pair]}, zeros past n and dim.
     */
    private static void packKeys(AttentionShape s, float[] x, int dim, int b, int h, float[] sc, int at, int nPad) {
        int n = s.length();
        int pair = 2 * FS.length();
        int dimPad = SimdSupport.roundUp(dim, pair);
        for (int j = 0; j < nPad; j++) {
            int xr = row(s, b, Math.min(j, n - 1), h) * dim;
            int to = at + j / pair * dimPad * pair + j % pair;
            for (int d = 0; d < dimPad; d++) {
                sc[to + d * pair] = j < n && d < dim ? x[xr + d] : 0f;
            }
        }
    }

    /**
     * Rows of {@code x} packed as {@link SimdAttention#values} reads values: {@code sc[at + (e / pair) n pair + j pair
     * + e % pair]} for e below dimPad, zeros past dim.
     */
    private static void packValues(AttentionShape s, float[] x, int dim, int b, int h, float[] sc, int at, int dimPad) {
        int n = s.length();
        int pair = 2 * FS.length();
        for (int j = 0; j < n; j++) {
            int xr = row(s, b, j, h) * dim;
            int to = at + j * pair;
            for (int e = 0; e < dimPad; e++) {
                sc[to + e / pair * n * pair + e % pair] = e < dim ? x[xr + e] : 0f;
            }
        }
    }
}
