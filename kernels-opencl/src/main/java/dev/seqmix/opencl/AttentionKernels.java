package dev.seqmix.opencl;

import dev.seqmix.internal.fft.FftSizes;
import dev.seqmix.AttentionShape;
import org.jocl.cl_mem;

/**
 * Random features, RPE attention and softmax RPE attention on the device (attention.cl).
 *
 * <p>RPE attention: per head the coefficients c and their circulant spectrum (size N, a power of two
 * >= 2n - 1); then, for groups of (batch, head) pairs, the columns phiK[.][r] * [v, 1] of every feature r go
 * through the FFT Toeplitz product, two columns per complex transform, and are combined with phiQ into
 * numerator and denominator. The group size
 * keeps the column buffer under {@link #GROUP_BYTES} (memory O(features * valueDim * n) per pair).
 */
final class AttentionKernels {
    static final long GROUP_BYTES = 256L << 20;
    static final int REAL_BYTES = 8;

    /** {@code false} sends softmax attention to the row-by-row kernel, the fallback for large head dimensions (tests). */
    static final String SOFTMAX_TILES_PROPERTY = "seqmix.opencl.softmaxTiles";
    /** Query rows of a softmax work-group, and the most keys of a block. */
    static final int SOFTMAX_TILE = 32;
    static final int SOFTMAX_BLOCK = 64;

    private final OpenClContext ctx;
    private final FftKernels fft;
    /** Floats of local memory softmax_rpe_tile may use; 0 sends every call to the row kernel. */
    private final long softmaxLocalFloats;

    AttentionKernels(OpenClContext ctx, FftKernels fft) {
        this.ctx = ctx;
        this.fft = fft;
        long localBytes = Cl.ulong(ctx.device.device(), org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE);
        this.softmaxLocalFloats = Boolean.parseBoolean(System.getProperty(SOFTMAX_TILES_PROPERTY, "true"))
                ? localBytes / Float.BYTES : 0;
    }

    void randomFeatures(AttentionShape s, HostData x, HostData projection, boolean queries, HostData phi) {
        long rows = (long) s.batch() * s.length() * s.heads();
        cl_mem xb = ctx.input("x", x, s.keyLength());
        cl_mem wb = ctx.input("projection", projection, s.projectionLength());
        cl_mem rowMax = ctx.buffers.get("rf.rowMax", rows * REAL_BYTES);
        cl_mem keyMax = ctx.buffers.get("rf.keyMax", (long) s.batch() * s.heads() * REAL_BYTES);
        cl_mem out = ctx.output("out", phi, s.featureLength());
        double scale = Math.pow(s.keyDim(), -0.25);
        stabilizers(s, xb, wb, queries, rowMax, keyMax);
        ctx.kernel("attention", "rf_features").mem(xb).mem(wb).mem(rowMax).mem(keyMax).mem(out).i(s.keyDim())
                .i(s.features()).i(s.length()).i(s.heads()).real(scale).real(1.0 / Math.sqrt(s.features()))
                .i(queries ? 1 : 0).run(s.features(), rows);
        ctx.collect(out, phi, s.featureLength());
    }

    /** The random features' stabilizers: each row's largest logit, and for keys their maximum per (b, h). */
    void stabilizers(AttentionShape s, cl_mem xb, cl_mem wb, boolean queries, cl_mem rowMax, cl_mem keyMax) {
        long rows = (long) s.batch() * s.length() * s.heads();
        ctx.kernel("attention", "rf_row_max").mem(xb).mem(wb).mem(rowMax).i(s.keyDim()).i(s.features())
                .real(Math.pow(s.keyDim(), -0.25)).run(rows);
        if (!queries) {
            ctx.kernel("attention", "rf_key_max").mem(rowMax).mem(keyMax).i(s.length()).i(s.heads())
                    .run(s.heads(), s.batch());
        }
    }

    void rpe(AttentionShape s, HostData phiQ, HostData phiK, HostData v, HostData bias, HostData out) {
        int n = s.length();
        int heads = s.heads();
        int features = s.features();
        int dv = s.valueDim();
        int big = FftSizes.convolution(n);
        cl_mem qb = ctx.input("phiQ", phiQ, s.featureLength());
        cl_mem kb = ctx.input("phiK", phiK, s.featureLength());
        cl_mem vb = ctx.input("v", v, s.valueLength());
        cl_mem bb = ctx.input("bias", bias, s.biasLength());
        cl_mem ob = ctx.output("out", out, s.valueLength());

        cl_mem coeffs = ctx.buffers.get("coeffs", (long) s.biasLength() * Float.BYTES);
        cl_mem spec = rpeSpectra(s, bb, coeffs, big);

        int packed = (features * (dv + 1) + 1) / 2; // complex columns of one (b, h): two real ones each
        long pairBytes = (long) packed * big * 8;
        int pairs = s.batch() * heads;
        int group = (int) Math.max(1, Math.min(pairs, GROUP_BYTES / pairBytes));
        cl_mem xs = ctx.buffers.get("toeplitz.x", group * pairBytes);
        cl_mem xs2 = ctx.buffers.get("toeplitz.x2", group * pairBytes);
        for (int bh0 = 0; bh0 < pairs; bh0 += group) {
            int g = Math.min(group, pairs - bh0);
            long transforms = (long) g * packed;
            ctx.kernel("attention", "rpe_embed").mem(kb).mem(vb).mem(xs).i(n).i(heads).i(features).i(dv).i(big)
                    .i(bh0).run(big, packed, g);
            cl_mem r = fft.powerOfTwo(xs, xs2, big, transforms, false);
            ctx.kernel("attention", "rpe_spectrum_mul").mem(r).mem(spec).i(big).i(packed).i(heads).i(bh0)
                    .run(big, transforms);
            cl_mem r2 = fft.powerOfTwo(r, r == xs ? xs2 : xs, big, transforms, true);
            ctx.kernel("attention", "rpe_combine").mem(qb).mem(r2).mem(ob).i(n).i(heads).i(features).i(dv).i(big)
                    .i(bh0).run(n, g);
        }
        ctx.collect(ob, out, s.valueLength());
    }

    /**
     * Each head's coefficients {@code c[t] = exp(bias[h][t] - max)} (causal: zero past the diagonal) into
     * {@code coeffs}, {@code [heads][2n-1]}, and the spectra of their circulant embeddings of size {@code big}.
     *
     * @return the buffer holding the spectra, {@code [heads][big]} complex
     */
    cl_mem rpeSpectra(AttentionShape s, cl_mem bb, cl_mem coeffs, int big) {
        int n = s.length();
        int heads = s.heads();
        ctx.kernel("attention", "rpe_coefficients").mem(bb).mem(coeffs).i(n).i(s.causal() ? 1 : 0).run(heads);
        cl_mem cs = ctx.buffers.get("toeplitz.c", (long) heads * big * 8);
        cl_mem cs2 = ctx.buffers.get("toeplitz.c2", (long) heads * big * 8);
        ctx.kernel("toeplitz", "toeplitz_embed_coeffs").mem(coeffs).mem(cs).i(n).i(big).run(big, heads);
        return fft.powerOfTwo(cs, cs2, big, heads, false);
    }

    void softmax(AttentionShape s, HostData q, HostData k, HostData v, HostData bias, HostData out) {
        cl_mem qb = ctx.input("q", q, s.keyLength());
        cl_mem kb = ctx.input("k", k, s.keyLength());
        cl_mem vb = ctx.input("v", v, s.valueLength());
        cl_mem bb = ctx.input("bias", bias, s.biasLength());
        cl_mem ob = ctx.output("out", out, s.valueLength());
        if (!softmaxTiles(s, qb, kb, vb, bb, ob)) {
            ctx.kernel("attention", "softmax_rpe").mem(qb).mem(kb).mem(vb).mem(bb).mem(ob).i(s.length())
                    .i(s.heads()).i(s.keyDim()).i(s.valueDim()).i(s.causal() ? 1 : 0)
                    .real(1.0 / Math.sqrt(s.keyDim())).run(s.heads(), s.length(), s.batch());
        }
        ctx.collect(ob, out, s.valueLength());
    }

    /**
     * Softmax attention by softmax_rpe_tile into {@code ob}.
     *
     * @return false, with nothing enqueued, where the tiles do not fit the device (local memory, work-group size)
     */
    private boolean softmaxTiles(AttentionShape s, cl_mem qb, cl_mem kb, cl_mem vb, cl_mem bb, cl_mem ob) {
        // a tile's queries and outputs (rows padded by one) and a block of keys and values in local memory
        long rowFloats = s.keyDim() + 1L + s.valueDim() + 1L;
        long block = Math.min(SOFTMAX_BLOCK, Math.min(s.length(),
                (softmaxLocalFloats - SOFTMAX_TILE * rowFloats) / (s.keyDim() + s.valueDim())));
        OpenClContext.Launch tiled = ctx.kernel("attention", "softmax_rpe_tile");
        if (block < 1 || tiled.maxGroup() < SOFTMAX_TILE) {
            return false;
        }
        int tile = SOFTMAX_TILE;
        long groups = (s.length() + tile - 1) / tile;
        tiled.mem(qb).mem(kb).mem(vb).mem(bb).mem(ob)
                .local(4L * tile * (s.keyDim() + 1)).local(4L * tile * (s.valueDim() + 1))
                .local(4L * block * s.keyDim()).local(4L * block * s.valueDim())
                .i(s.length()).i(s.heads()).i(s.keyDim()).i(s.valueDim()).i(s.causal() ? 1 : 0)
                .f((float) (1.0 / Math.sqrt(s.keyDim()))).i((int) block)
                .runGroups(new long[] {groups * tile, s.heads(), s.batch()}, new long[] {tile, 1, 1});
        return true;
    }

    /** Floats of local memory the softmax kernels may use (0 where tiles are switched off). */
    long softmaxLocalFloats() {
        return softmaxLocalFloats;
    }
}
