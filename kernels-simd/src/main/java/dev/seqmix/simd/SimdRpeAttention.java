package dev.seqmix.simd;

import dev.seqmix.internal.RpeCoefficients;
import dev.seqmix.AttentionShape;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernelized RPE attention through FFT Toeplitz products, columns as lanes. Per (batch, head): the
 * spectrum of {@code c} once; then for each block of {@code 2 x lanes} columns of {@code v} and each feature r,
 * the block of {@code phiK[j][r] * v[j]} goes through the lane FFT, the spectrum, the inverse, and is accumulated
 * weighted by {@code phiQ[i][r]}. The denominator {@code sum_r phiQ[i][r] (T phiK[., r])_i} takes the features
 * themselves as the lanes, {@code 2 x lanes} of them a transform, so the column of ones costs
 * {@code features / (2 lanes)} transforms instead of a padded block per feature (a fifth of the transforms at
 * valueDim 64 on 8 lanes, a third on 16). Streaming over features keeps memory at {@code O(n * valueDim)}.
 */
final class SimdRpeAttention {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    private SimdRpeAttention() {
    }

    private static int row(AttentionShape s, int b, int l, int h) {
        return (b * s.length() + l) * s.heads() + h;
    }

    static void attend(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                       float[] out) {
        int slices = s.batch() * s.heads();
        LaneFft fft = LaneFfts.get(LaneFfts.circulantSize(s.length()));
        long work = (long) s.features() * (s.valueDim() + 1) * fft.size() * 12;
        Parallel.Args a = Parallel.args().with(fft, s).floats(phiQ, phiK, v, bias, out);
        Parallel.run(Parallel.parts(slices, work), slices, a, RANGE);
    }

    private static final Parallel.Body RANGE = (a, from, to) ->
            range((LaneFft) a.o0, (AttentionShape) a.o1, a.f0, a.f1, a.f2, a.f3, a.f4, from, to);

    private static void range(LaneFft fft, AttentionShape s, float[] phiQ, float[] phiK,
                              float[] v, float[] bias, float[] out, int from, int to) {
        int lanes = FS.length();
        int n = s.length();
        int width = SimdSupport.roundUp(s.valueDim(), 2 * lanes);
        float[] buf = ScratchPool.floats(fft.bufferFloats());
        float[] spec = ScratchPool.floats(2 * fft.size() + 2 * n - 1);
        float[] mats = ScratchPool.floats(2 * n * width + n * lanes); // v padded, the accumulator, the denominators
        try {
            for (int slice = from; slice < to; slice++) {
                slice(fft, s, phiQ, phiK, v, bias, out, slice / s.heads(), slice % s.heads(), buf, spec, mats,
                        width);
            }
        } finally {
            ScratchPool.release(buf);
            ScratchPool.release(spec);
            ScratchPool.release(mats);
        }
    }

    /** Head (b, h)'s rows of v into {@code mats[at ..]}, {@code [n][width]}, zero padded (forward and backward). */
    static void padValues(AttentionShape s, float[] v, int b, int h, float[] mats, int at, int width) {
        int dv = s.valueDim();
        for (int j = 0; j < s.length(); j++) {
            System.arraycopy(v, row(s, b, j, h) * dv, mats, at + j * width, dv);
            java.util.Arrays.fill(mats, at + j * width + dv, at + (j + 1) * width, 0f);
        }
    }

    private static void slice(LaneFft fft, AttentionShape s, float[] phiQ, float[] phiK,
                              float[] v, float[] bias, float[] out, int b, int h, float[] buf, float[] spec,
                              float[] mats, int width) {
        int n = s.length();
        int m = s.features();
        int dv = s.valueDim();
        int lanes = FS.length();
        int size = fft.size();
        int plane = fft.plane();
        // the head's Toeplitz coefficients, and their spectrum, once
        int coeffs = 2 * size;
        RpeCoefficients.of(s, bias, h, spec, coeffs);
        SimdToeplitz.spectrum(fft, spec, coeffs, n, spec, 0, buf);
        // v with rows padded to `width`, the accumulator of the same shape, the denominators' lane sums [n][lanes]
        int acc = n * width;
        int den = 2 * n * width;
        padValues(s, v, b, h, mats, 0, width);
        java.util.Arrays.fill(mats, acc, den + n * lanes, 0f);
        for (int k0 = 0; k0 < width; k0 += 2 * lanes) {
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < n; j++) {
                    float k = phiK[row(s, b, j, h) * m + r];
                    FloatVector.fromArray(FS, mats, j * width + k0).mul(k).intoArray(buf, j * lanes);
                    FloatVector.fromArray(FS, mats, j * width + k0 + lanes).mul(k).intoArray(buf, plane + j * lanes);
                }
                SimdToeplitz.circulantProduct(fft, buf, n, spec, 0);
                for (int i = 0; i < n; i++) {
                    float q = phiQ[row(s, b, i, h) * m + r];
                    int a = acc + i * width + k0;
                    FloatVector.fromArray(FS, buf, i * lanes).fma(FloatVector.broadcast(FS, q), FloatVector.fromArray(FS, mats, a))
                            .intoArray(mats, a);
                    FloatVector.fromArray(FS, buf, plane + i * lanes).fma(FloatVector.broadcast(FS, q), FloatVector.fromArray(FS, mats, a + lanes))
                            .intoArray(mats, a + lanes);
                }
            }
        }
        // the denominators: features r0 .. r0 + 2 lanes as the columns, phiQ[i][r] T phiK[., r] summed lanewise
        for (int r0 = 0; r0 < m; r0 += 2 * lanes) {
            VectorMask<Float> low = FS.indexInRange(r0, m);
            VectorMask<Float> high = FS.indexInRange(r0 + lanes, m);
            for (int j = 0; j < n; j++) {
                int kr = row(s, b, j, h) * m + r0;
                FloatVector.fromArray(FS, phiK, kr, low).intoArray(buf, j * lanes);
                FloatVector.fromArray(FS, phiK, kr + lanes, high).intoArray(buf, plane + j * lanes);
            }
            SimdToeplitz.circulantProduct(fft, buf, n, spec, 0);
            for (int i = 0; i < n; i++) {
                int qr = row(s, b, i, h) * m + r0;
                int d = den + i * lanes;
                FloatVector t = FloatVector.fromArray(FS, phiQ, qr, low)
                        .fma(FloatVector.fromArray(FS, buf, i * lanes), FloatVector.fromArray(FS, mats, d));
                FloatVector.fromArray(FS, phiQ, qr + lanes, high).fma(FloatVector.fromArray(FS, buf, plane + i * lanes), t)
                        .intoArray(mats, d);
            }
        }
        for (int i = 0; i < n; i++) {
            int a = acc + i * width;
            float total = VectorMath.sumStored(mats, den + i * lanes); // lanes in a fixed tree: the same bits every time
            int o = row(s, b, i, h) * dv;
            if (total > 0f) {
                float inv = 1f / total;
                for (int e = 0; e < dv; e += lanes) {
                    VectorMask<Float> mask = FS.indexInRange(e, dv);
                    FloatVector.fromArray(FS, mats, a + e, mask).mul(inv).intoArray(out, o + e, mask);
                }
            } else {
                java.util.Arrays.fill(out, o, o + dv, 0f);
            }
        }
    }
}
