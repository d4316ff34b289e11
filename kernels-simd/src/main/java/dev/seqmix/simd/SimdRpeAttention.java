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
 * spectrum of {@code c} once; then for each block of {@code 2 x lanes} columns of {@code [v, 1]} (numerator
 * and denominator in one pass) and each feature r, the block of {@code phiK[j][r] * [v[j], 1]} goes through
 * the lane FFT, the spectrum, the inverse, and is accumulated weighted by {@code phiQ[i][r]}. Streaming over
 * features keeps memory at {@code O(n * valueDim)}.
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
        int width = SimdSupport.roundUp(s.valueDim() + 1, 2 * lanes);
        float[] buf = ScratchPool.floats(fft.bufferFloats(lanes));
        float[] spec = ScratchPool.floats(2 * fft.size() + 2 * n - 1);
        float[] mats = ScratchPool.floats(2 * n * width); // [v, 1] padded, then the accumulator
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

    private static void slice(LaneFft fft, AttentionShape s, float[] phiQ, float[] phiK,
                              float[] v, float[] bias, float[] out, int b, int h, float[] buf, float[] spec,
                              float[] mats, int width) {
        int n = s.length();
        int m = s.features();
        int dv = s.valueDim();
        int lanes = FS.length();
        int size = fft.size();
        int plane = size * lanes;
        // the head's Toeplitz coefficients, and their spectrum, once
        int coeffs = 2 * size;
        RpeCoefficients.of(s, bias, h, spec, coeffs);
        SimdToeplitz.spectrum(fft, spec, coeffs, n, spec, 0, buf);
        // [v, 1] with rows padded to `width`, and the accumulator of the same shape
        int acc = n * width;
        for (int j = 0; j < n; j++) {
            int vr = row(s, b, j, h) * dv;
            System.arraycopy(v, vr, mats, j * width, dv);
            mats[j * width + dv] = 1f;
            java.util.Arrays.fill(mats, j * width + dv + 1, (j + 1) * width, 0f);
        }
        java.util.Arrays.fill(mats, acc, acc + n * width, 0f);
        for (int k0 = 0; k0 < width; k0 += 2 * lanes) {
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < n; j++) {
                    float k = phiK[row(s, b, j, h) * m + r];
                    FloatVector.fromArray(FS, mats, j * width + k0).mul(k).intoArray(buf, j * lanes);
                    FloatVector.fromArray(FS, mats, j * width + k0 + lanes).mul(k).intoArray(buf, plane + j * lanes);
                }
                java.util.Arrays.fill(buf, n * lanes, plane, 0f);
                java.util.Arrays.fill(buf, plane + n * lanes, 2 * plane, 0f);
                fft.transform(buf, lanes, false);
                SimdToeplitz.multiplySpectrum(buf, lanes, spec, 0, size);
                fft.transform(buf, lanes, true);
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
        for (int i = 0; i < n; i++) {
            int a = acc + i * width;
            float den = mats[a + dv];
            int o = row(s, b, i, h) * dv;
            if (den > 0f) {
                float inv = 1f / den;
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
