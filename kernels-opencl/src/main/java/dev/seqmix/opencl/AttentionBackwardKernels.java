package dev.seqmix.opencl;

import dev.seqmix.AttentionShape;
import dev.seqmix.internal.CausalFirstRows;
import dev.seqmix.internal.fft.FftSizes;
import org.jocl.cl_mem;

/**
 * The attention backward passes on the device (attention_backward.cl; docs/contract.md#attention-backward).
 *
 * <p>Random features: the forward's stabilizers, then per row and feature the gradient times the exponential term,
 * then gradX. Kernelized RPE attention, O(n log n), for groups of (batch, head) pairs as in the forward: the
 * columns {@code X_r = phiK[., r] * [v, 1]} and their spectra; the forward again ({@code U = T X}), which gives per
 * row gradPhiQ and the columns {@code Y_r = phiQ[., r] * [gradOut / den, -(gradOut . out) / den]}; their spectra;
 * {@code W = T^T Y} with the conjugated spectrum; gradPhiK and gradV from W; the bias gradient from the
 * cross-correlations of Y and X summed over columns in the frequency domain, one inverse transform a pair. Softmax
 * RPE attention, flash-attention style, O(n) memory besides the bias partials: each row's statistics (maximum, sum,
 * gradOut . out) with one score a key, then gradQ by query tiles and gradK, gradV by key tiles, both recomputing the
 * probabilities; the key tiles sum ds along diagonals into partial rows (see softmax_backward_dkv).
 * Every bias gradient ends in per-slice rows added in batch order (bias_sum_over_batch).
 */
final class AttentionBackwardKernels {
    /** Largest bytes of a group's working buffers (test hook: small values make the group loops run). */
    static final String GROUP_BYTES_PROPERTY = "seqmix.opencl.backwardGroupBytes";
    /** Largest softmax backward tile, a power of two (test hook: small tiles make many blocks and diagonals). */
    static final String SOFTMAX_TILE_PROPERTY = "seqmix.opencl.softmaxBackwardTile";
    private static final int SOFTMAX_TILE = 32;

    private final OpenClContext ctx;
    private final FftKernels fft;
    private final AttentionKernels forward;
    private final long groupBytes;
    private final int softmaxTileCap;

    AttentionBackwardKernels(OpenClContext ctx, FftKernels fft, AttentionKernels forward) {
        this.ctx = ctx;
        this.fft = fft;
        this.forward = forward;
        this.groupBytes = Long.getLong(GROUP_BYTES_PROPERTY, AttentionKernels.GROUP_BYTES);
        this.softmaxTileCap = Integer.highestOneBit(Math.max(1,
                Math.min(SOFTMAX_TILE, Integer.getInteger(SOFTMAX_TILE_PROPERTY, SOFTMAX_TILE))));
    }

    void randomFeatures(AttentionShape s, HostData x, HostData projection, boolean queries, HostData gradPhi,
                        HostData gradX) {
        long rows = (long) s.batch() * s.length() * s.heads();
        cl_mem xb = ctx.input("x", x, s.keyLength());
        cl_mem wb = ctx.input("projection", projection, s.projectionLength());
        cl_mem gb = ctx.input("gradPhi", gradPhi, s.featureLength());
        cl_mem rowMax = ctx.buffers.get("rf.rowMax", rows * AttentionKernels.REAL_BYTES);
        cl_mem keyMax = ctx.buffers.get("rf.keyMax", (long) s.batch() * s.heads() * AttentionKernels.REAL_BYTES);
        cl_mem ge = ctx.buffers.get("rf.ge", (long) s.featureLength() * AttentionKernels.REAL_BYTES);
        cl_mem out = ctx.output("gradX", gradX, s.keyLength());
        double scale = Math.pow(s.keyDim(), -0.25);
        forward.stabilizers(s, xb, wb, queries, rowMax, keyMax);
        ctx.kernel("attention", "rf_backward_weights").mem(xb).mem(wb).mem(rowMax).mem(keyMax).mem(gb).mem(ge)
                .i(s.keyDim()).i(s.features()).i(s.length()).i(s.heads()).real(scale)
                .real(1.0 / Math.sqrt(s.features())).i(queries ? 1 : 0).run(s.features(), rows);
        ctx.kernel("attention", "rf_backward_x").mem(xb).mem(wb).mem(ge).mem(out).i(s.keyDim()).i(s.features())
                .real(scale).run(s.keyDim(), rows);
        ctx.collect(out, gradX, s.keyLength());
    }

    void rpe(AttentionShape s, HostData phiQ, HostData phiK, HostData v, HostData bias, HostData gradOut,
             HostData gradPhiQ, HostData gradPhiK, HostData gradV, HostData gradBias, boolean accumulateBias) {
        int n = s.length();
        int heads = s.heads();
        int features = s.features();
        int dv = s.valueDim();
        int big = FftSizes.convolution(n);
        double scale = 1.0 / big; // the inverse transforms are unscaled
        cl_mem qb = ctx.input("phiQ", phiQ, s.featureLength());
        cl_mem kb = ctx.input("phiK", phiK, s.featureLength());
        cl_mem vb = ctx.input("v", v, s.valueLength());
        cl_mem bb = ctx.input("bias", bias, s.biasLength());
        cl_mem gb = ctx.input("gradOut", gradOut, s.valueLength());
        cl_mem gq = ctx.output("gradPhiQ", gradPhiQ, s.featureLength());
        cl_mem gk = ctx.output("gradPhiK", gradPhiK, s.featureLength());
        cl_mem gv = ctx.output("gradV", gradV, s.valueLength());
        cl_mem coeffs = ctx.buffers.get("coeffs", (long) s.biasLength() * Float.BYTES);
        cl_mem spec = forward.rpeSpectra(s, bb, coeffs, big);

        int packed = (features * (dv + 1) + 1) / 2; // complex columns of one (b, h): two real ones each
        long pairBytes = (long) packed * big * 8;
        int pairs = s.batch() * heads;
        int group = (int) Math.max(1, Math.min(pairs, groupBytes / (4 * pairBytes))); // four buffers of columns
        // the forward's two column buffers and two more
        cl_mem buf0 = ctx.buffers.get("toeplitz.x", group * pairBytes);
        cl_mem buf1 = ctx.buffers.get("toeplitz.x2", group * pairBytes);
        cl_mem buf2 = ctx.buffers.get("toeplitz.x3", group * pairBytes);
        cl_mem buf3 = ctx.buffers.get("toeplitz.x4", group * pairBytes);
        cl_mem corr = ctx.buffers.get("rpe.correlation", (long) group * big * 8);
        cl_mem corr2 = ctx.buffers.get("rpe.correlation2", (long) group * big * 8);
        cl_mem partial = ctx.buffers.get("bias.partial", (long) pairs * (2 * n - 1) * Float.BYTES);
        // rows whose sums are formed directly: a causal head's first rows, or every row of a short sequence
        int directRows = s.causal() ? CausalFirstRows.rows(s) : n <= CausalFirstRows.ROWS ? n : 0;
        for (int bh0 = 0; bh0 < pairs; bh0 += group) {
            int g = Math.min(group, pairs - bh0);
            long transforms = (long) g * packed;
            // X and its spectrum FX (kept for the correlations)
            ctx.kernel("attention", "rpe_embed").mem(kb).mem(vb).mem(buf0).i(n).i(heads).i(features).i(dv).i(big)
                    .i(bh0).run(big, packed, g);
            cl_mem fx = fft.powerOfTwo(buf0, buf1, big, transforms, false);
            cl_mem free = fx == buf0 ? buf1 : buf0;
            // U = T X, then Y in its place, then FY (kept)
            ctx.kernel("attention", "rpe_spectrum_mul_into").mem(fx).mem(free).mem(spec).i(big).i(packed).i(heads)
                    .i(bh0).i(0).run(big, transforms);
            cl_mem u = fft.powerOfTwo(free, buf2, big, transforms, true);
            ctx.kernel("attention", "rpe_backward_rows").mem(qb).mem(kb).mem(vb).mem(gb).mem(coeffs).mem(u).mem(gq)
                    .i(n).i(heads).i(features).i(dv).i(big).i(bh0).real(scale).i(directRows).i(s.causal() ? 1 : 0)
                    .run(big, g);
            cl_mem fy = fft.powerOfTwo(u, u == free ? buf2 : free, big, transforms, false);
            cl_mem w = fy == buf2 ? free : buf2;
            // W = T^T Y: the conjugated spectrum
            ctx.kernel("attention", "rpe_spectrum_mul_into").mem(fy).mem(w).mem(spec).i(big).i(packed).i(heads)
                    .i(bh0).i(1).run(big, transforms);
            cl_mem wt = fft.powerOfTwo(w, buf3, big, transforms, true);
            ctx.kernel("attention", "rpe_backward_keys").mem(kb).mem(vb).mem(wt).mem(gk).mem(gv).i(n).i(heads)
                    .i(features).i(dv).i(big).i(bh0).real(scale).run(n, g);
            // dL/dc: the correlations of Y and X summed over columns, one inverse a pair
            ctx.kernel("attention", "rpe_correlation_sum").mem(fy).mem(fx).mem(corr).i(big).i(packed).run(big, g);
            cl_mem r = fft.powerOfTwo(corr, corr2, big, g, true);
            ctx.kernel("attention", "rpe_bias_partial").mem(r).mem(coeffs).mem(partial).i(n).i(heads).i(big).i(bh0)
                    .real(scale).run(2L * n - 1, g);
        }
        sumBias(s, partial, gradBias, accumulateBias);
        ctx.collect(gq, gradPhiQ, s.featureLength());
        ctx.collect(gk, gradPhiK, s.featureLength());
        ctx.collect(gv, gradV, s.valueLength());
    }

    /** gradBias (+)= the slices' partial rows in batch order, and back to the host. */
    private void sumBias(AttentionShape s, cl_mem partial, HostData gradBias, boolean accumulate) {
        cl_mem gbias = accumulate ? ctx.input("gradBias", gradBias, s.biasLength())
                : ctx.output("gradBias", gradBias, s.biasLength());
        ctx.kernel("attention", "bias_sum_over_batch").mem(partial).mem(gbias).i(s.length()).i(s.heads())
                .i(s.batch()).i(accumulate ? 1 : 0).run(2L * s.length() - 1, s.heads());
        ctx.collect(gbias, gradBias, s.biasLength());
    }

    /**
     * Softmax RPE attention's backward on the device.
     *
     * @return false, with nothing done, where the tiles do not fit the device: the caller runs the host's
     */
    boolean softmax(AttentionShape s, HostData q, HostData k, HostData v, HostData bias, HostData gradOut,
                    HostData gradQ, HostData gradK, HostData gradV, HostData gradBias, boolean accumulateBias) {
        int tile = softmaxTile(s);
        if (tile == 0) {
            return false;
        }
        int n = s.length();
        int dk = s.keyDim();
        int dv = s.valueDim();
        float invSqrt = (float) (1.0 / Math.sqrt(dk));
        int causal = s.causal() ? 1 : 0;
        cl_mem qb = ctx.input("q", q, s.keyLength());
        cl_mem kb = ctx.input("k", k, s.keyLength());
        cl_mem vb = ctx.input("v", v, s.valueLength());
        cl_mem bb = ctx.input("bias", bias, s.biasLength());
        cl_mem gb = ctx.input("gradOut", gradOut, s.valueLength());
        cl_mem stats = ctx.buffers.get("softmax.stats", (long) s.rows() * 3 * Float.BYTES);
        cl_mem gq = ctx.output("gradQ", gradQ, s.keyLength());
        cl_mem gk = ctx.output("gradK", gradK, s.keyLength());
        cl_mem gv = ctx.output("gradV", gradV, s.valueLength());
        long tiles = (n + tile - 1) / tile;
        ctx.kernel("attention", "softmax_backward_stats").mem(qb).mem(kb).mem(vb).mem(bb).mem(gb).mem(stats)
                .local(4L * tile * (dk + 1)).local(4L * tile * (dv + 1)).local(4L * tile * dk).local(4L * tile * dv)
                .i(n).i(s.heads()).i(dk).i(dv).i(causal).f(invSqrt)
                .runGroups(new long[] {tiles * tile, s.heads(), s.batch()}, new long[] {tile, 1, 1});
        ctx.kernel("attention", "softmax_backward_dq").mem(qb).mem(kb).mem(vb).mem(bb).mem(gb).mem(stats).mem(gq)
                .local(4L * tile * (dk + 1)).local(4L * tile * (dv + 1)).local(4L * tile * (dk + 1))
                .local(4L * tile * dk).local(4L * tile * dv)
                .i(n).i(s.heads()).i(dk).i(dv).i(causal).f(invSqrt)
                .runGroups(new long[] {tiles * tile, s.heads(), s.batch()}, new long[] {tile, 1, 1});

        int pairs = s.batch() * s.heads();
        long len = 2L * n - 1;
        cl_mem partial = ctx.buffers.get("bias.partial", pairs * len * Float.BYTES);
        int chunk = (int) Math.max(1, Math.min(tiles, groupBytes / (pairs * len * Float.BYTES)));
        cl_mem tilePartial = ctx.buffers.get("softmax.tilePartial", (long) pairs * chunk * len * Float.BYTES);
        for (int tile0 = 0; tile0 < tiles; tile0 += chunk) {
            int count = (int) Math.min(chunk, tiles - tile0);
            ctx.kernel("attention", "softmax_backward_dkv").mem(qb).mem(kb).mem(vb).mem(bb).mem(gb).mem(stats)
                    .mem(gk).mem(gv).mem(tilePartial)
                    .local(4L * tile * (dk + 1)).local(4L * tile * (dv + 1)).local(4L * tile * (dk + 1))
                    .local(4L * tile * (dv + 1)).local(4L * tile * dk).local(4L * tile * dv).local(4L * tile * 3)
                    .local(4L * tile * (tile + 1))
                    .i(n).i(s.heads()).i(dk).i(dv).i(causal).f(invSqrt).i(tile0).i(chunk)
                    .runGroups(new long[] {(long) count * tile, pairs}, new long[] {tile, 1});
            ctx.kernel("attention", "softmax_bias_tiles").mem(tilePartial).mem(partial).i(n).i(tile).i(tile0)
                    .i(chunk).i((int) tiles).i(causal).i(tile0 > 0 ? 1 : 0).run(len, pairs);
        }
        sumBias(s, partial, gradBias, accumulateBias);
        ctx.collect(gq, gradQ, s.keyLength());
        ctx.collect(gk, gradK, s.keyLength());
        ctx.collect(gv, gradV, s.valueLength());
        return true;
    }

    /**
     * The softmax backward's tile: the largest power of two up to 32 (or the test cap) whose local memory fits
     * the device and whose work-groups all three kernels can run; 0 where none does. (The statistics kernel needs
     * less local memory than the dq kernel.)
     */
    private int softmaxTile(AttentionShape s) {
        long local = forward.softmaxLocalFloats();
        long dk = s.keyDim();
        long dv = s.valueDim();
        long maxGroup = Math.min(ctx.kernel("attention", "softmax_backward_stats").maxGroup(),
                Math.min(ctx.kernel("attention", "softmax_backward_dq").maxGroup(),
                        ctx.kernel("attention", "softmax_backward_dkv").maxGroup()));
        for (int t = softmaxTileCap; t >= 1; t /= 2) {
            long dq = t * (2 * (dk + 1) + dv + 1 + dk + dv);
            long dkv = t * (2 * (dk + 1) + 2 * (dv + 1) + dk + dv + 3 + t + 1);
            if (t <= maxGroup && Math.max(dq, dkv) <= local) {
                return t;
            }
        }
        return 0;
    }
}
