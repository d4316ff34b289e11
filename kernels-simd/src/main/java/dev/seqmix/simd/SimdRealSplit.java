package dev.seqmix.simd;

import dev.seqmix.internal.fft.FftCore;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The split (after the half-length transform of a real forward FFT) and the merge (before the half-length
 * inverse) of {@link FftCore#splitReal} and {@link FftCore#mergeReal}, on vectors: V bins k and their mirrors
 * h - k per step (h = n/2). Two loads deinterleave V bins into a vector of real parts and one of imaginary
 * parts; the mirrors are read the same way in reverse order. The arithmetic is the reference's, operation
 * for operation (no fused multiply-add), so the results have the same bits; the pairs that do not fill a
 * whole step (near k = h/2) are left to the reference loop.
 */
final class SimdRealSplit {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    private static final int V = FS.length();
    // two-vector shuffles: an index i >= V selects lane i - V of the second vector
    private static final VectorShuffle<Float> EVEN = shuffle(j -> 2 * j);
    private static final VectorShuffle<Float> ODD = shuffle(j -> 2 * j + 1);
    private static final VectorShuffle<Float> MIRROR_EVEN = shuffle(j -> 2 * (V - 1 - j));
    private static final VectorShuffle<Float> MIRROR_ODD = shuffle(j -> 2 * (V - 1 - j) + 1);
    private static final VectorShuffle<Float> PAIRS_LO = shuffle(i -> (i % 2) * V + i / 2);
    private static final VectorShuffle<Float> PAIRS_HI = shuffle(i -> (i % 2) * V + V / 2 + i / 2);
    private static final VectorShuffle<Float> MIRROR_PAIRS_LO = shuffle(i -> (i % 2) * V + V - 1 - i / 2);
    private static final VectorShuffle<Float> MIRROR_PAIRS_HI = shuffle(i -> (i % 2) * V + V / 2 - 1 - i / 2);

    private SimdRealSplit() {
    }

    private static VectorShuffle<Float> shuffle(java.util.function.IntUnaryOperator lane) {
        int[] index = new int[V];
        for (int i = 0; i < V; i++) {
            index[i] = lane.applyAsInt(i);
        }
        return VectorShuffle.fromValues(FS, index);
    }

    /**
     * The twiddles of the vector steps, split: {@code [cos 2 pi k/n for k < n/4 + V + 1 | sin ...]}, from
     * {@link FftCore#realTwiddles} of even n.
     */
    static float[] twiddles(float[] rt, int n) {
        int count = n / 4 + V + 1;
        float[] split = new float[2 * count];
        for (int k = 0; 2 * k < rt.length && k < count; k++) {
            split[k] = rt[2 * k];
            split[count + k] = rt[2 * k + 1];
        }
        return split;
    }

    /** The first k a vector step does not reach: steps [k0, k0 + V) while they stay below their mirrors. */
    private static int vectorEnd(int h) {
        int k0 = 1;
        while (2 * (k0 + V - 1) < h - 1) {
            k0 += V;
        }
        return k0;
    }

    /** {@link FftCore#splitReal}: {@code out[o ..]} holds DFT_{n/2} of the reals as pairs; becomes the n/2 + 1 bins. */
    static void split(float[] out, int o, int n, float[] rt, float[] tw) {
        int h = n / 2;
        int count = tw.length / 2;
        FftCore.splitRealEnds(out, o, n);
        int end = vectorEnd(h);
        for (int k0 = 1; k0 < end; k0 += V) {
            int a = o + 2 * k0;
            int b = o + 2 * (h - k0 - V + 1);
            FloatVector a0 = FloatVector.fromArray(FS, out, a);
            FloatVector a1 = FloatVector.fromArray(FS, out, a + V);
            FloatVector b0 = FloatVector.fromArray(FS, out, b);
            FloatVector b1 = FloatVector.fromArray(FS, out, b + V);
            FloatVector ar = a0.rearrange(EVEN, a1);
            FloatVector ai = a0.rearrange(ODD, a1);
            FloatVector br = b0.rearrange(MIRROR_EVEN, b1);           // b = conj Z[h-k]
            FloatVector bi = b0.rearrange(MIRROR_ODD, b1).neg();
            FloatVector er = ar.add(br).mul(0.5f);
            FloatVector ei = ai.add(bi).mul(0.5f);
            FloatVector or = ai.sub(bi).mul(0.5f);                     // (a - b) / 2i
            FloatVector oi = ar.sub(br).mul(-0.5f);
            FloatVector wr = FloatVector.fromArray(FS, tw, k0);        // W^k = cos - i sin
            FloatVector wi = FloatVector.fromArray(FS, tw, count + k0).neg();
            FloatVector tr = wr.mul(or).sub(wi.mul(oi));
            FloatVector ti = wr.mul(oi).add(wi.mul(or));
            FloatVector kr = er.add(tr);
            FloatVector ki = ei.add(ti);
            FloatVector mr = er.sub(tr);
            FloatVector mi = ti.sub(ei);
            kr.rearrange(PAIRS_LO, ki).intoArray(out, a);
            kr.rearrange(PAIRS_HI, ki).intoArray(out, a + V);
            mr.rearrange(MIRROR_PAIRS_LO, mi).intoArray(out, b);
            mr.rearrange(MIRROR_PAIRS_HI, mi).intoArray(out, b + V);
        }
        FftCore.splitRealPairs(out, o, n, rt, end);
    }

    /** {@link FftCore#mergeReal}: from the n/2 + 1 bins at {@code in[i0 ..]} to the n/2 pairs at {@code out[o ..]}. */
    static void merge(float[] in, int i0, float[] out, int o, int n, float[] rt, float[] tw) {
        int h = n / 2;
        int count = tw.length / 2;
        float x0 = in[i0];                        // imaginary parts of bins 0 and h ignored
        float xh = in[i0 + n];
        int end = vectorEnd(h);
        for (int k0 = 1; k0 < end; k0 += V) {
            int a = 2 * k0;
            int b = 2 * (h - k0 - V + 1);
            FloatVector a0 = FloatVector.fromArray(FS, in, i0 + a);
            FloatVector a1 = FloatVector.fromArray(FS, in, i0 + a + V);
            FloatVector b0 = FloatVector.fromArray(FS, in, i0 + b);
            FloatVector b1 = FloatVector.fromArray(FS, in, i0 + b + V);
            FloatVector ar = a0.rearrange(EVEN, a1);
            FloatVector ai = a0.rearrange(ODD, a1);
            FloatVector br = b0.rearrange(MIRROR_EVEN, b1);
            FloatVector bi = b0.rearrange(MIRROR_ODD, b1);
            FloatVector er = ar.add(br);                              // X[k] + conj X[h-k]
            FloatVector ei = ai.sub(bi);
            FloatVector dr = ar.sub(br);                              // X[k] - conj X[h-k]
            FloatVector di = ai.add(bi);
            FloatVector wr = FloatVector.fromArray(FS, tw, k0);        // conj(W^k) = cos + i sin
            FloatVector wi = FloatVector.fromArray(FS, tw, count + k0);
            FloatVector or = dr.mul(wr).sub(di.mul(wi));
            FloatVector oi = dr.mul(wi).add(di.mul(wr));
            FloatVector kr = er.sub(oi);                              // E + i O
            FloatVector ki = ei.add(or);
            FloatVector mr = er.add(oi);                              // conj E + i conj O
            FloatVector mi = or.sub(ei);
            kr.rearrange(PAIRS_LO, ki).intoArray(out, o + a);
            kr.rearrange(PAIRS_HI, ki).intoArray(out, o + a + V);
            mr.rearrange(MIRROR_PAIRS_LO, mi).intoArray(out, o + b);
            mr.rearrange(MIRROR_PAIRS_HI, mi).intoArray(out, o + b + V);
        }
        FftCore.mergeRealPairs(in, i0, out, o, n, rt, end);
        out[o] = x0 + xh;
        out[o + 1] = x0 - xh;
    }
}
