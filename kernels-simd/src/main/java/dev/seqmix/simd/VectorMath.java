package dev.seqmix.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementary functions on vectors built from adds, multiplies and FMAs only. The Vector API's own
 * {@code lanewise(EXP)} may give different bits in the interpreter, C1 and C2 (a Java fallback against
 * an intrinsic), which would break "same input, same bits" (docs/contract.md#determinism); IEEE arithmetic does not.
 */
final class VectorMath {
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split in two so that k * LN2_HI is exact for |k| < 2^9 (Cody-Waite reduction)
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float MAX = 88.72283f;   // exp overflows above
    private static final float MIN = -87.33654f;  // exp of the clamped input is the smallest normal float

    /**
     * The lane sum's steps: lane i takes lane i XOR d, for d = 8, 4, 2, 1. The sum of a vector's lanes is taken in
     * this fixed pairwise tree ({@code v = v.add(v.rearrange(XOR_d))} for every d below the lane count, largest
     * first, then lane 0), written out where it is needed, never through a helper taking the vector (a vector
     * passed to a call C2 leaves out of line is boxed). {@code reduceLanes(ADD)} leaves the order to the
     * implementation, so its bits could change between the interpreter and compiled code.
     */
    static final VectorShuffle<Float> XOR_8 = VectorShuffle.fromOp(FS, i -> (i ^ 8) & (FS.length() - 1));
    static final VectorShuffle<Float> XOR_4 = VectorShuffle.fromOp(FS, i -> (i ^ 4) & (FS.length() - 1));
    static final VectorShuffle<Float> XOR_2 = VectorShuffle.fromOp(FS, i -> i ^ 2);
    static final VectorShuffle<Float> XOR_1 = VectorShuffle.fromOp(FS, i -> i ^ 1);

    private VectorMath() {
    }

    /**
     * The lane sum of a vector already stored at {@code a[at .. at + lanes)}: the same pairwise tree as the
     * {@link #XOR_1} steps, in scalars, so the bits agree (it overwrites the stored lanes).
     *
     * @param a  the array holding the vector
     * @param at where it starts
     * @return the sum of its lanes
     */
    static float sumStored(float[] a, int at) {
        for (int distance = FS.length() >> 1; distance > 0; distance >>= 1) {
            for (int i = 0; i < distance; i++) {
                a[at + i] += a[at + i + distance];
            }
        }
        return a[at];
    }

    /**
     * {@code exp(x)} lane by lane, within 2 ulp for {@code x} in {@code [-87.3, 88.7]}; larger inputs give
     * infinity's neighbour {@code exp(88.72)}, smaller ones {@code exp(-87.3) ~ 1.2e-38} (not 0), NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(MIN).min(MAX);
        // k = round(x / ln 2) (shifted positive so that truncation is rounding), r = x - k ln 2
        IntVector ki = ((IntVector) c.fma(FloatVector.broadcast(FS, LOG2E), FloatVector.broadcast(FS, 200.5f))
                .convert(VectorOperators.F2I, 0)).sub(200);
        FloatVector k = (FloatVector) ki.convert(VectorOperators.I2F, 0);
        FloatVector r = k.fma(FloatVector.broadcast(FS, -LN2_HI), c);
        r = k.fma(FloatVector.broadcast(FS, -LN2_LO), r);
        // exp(r) = 1 + r + r^2 * P(r), Cephes expf coefficients
        FloatVector p = FloatVector.broadcast(FS, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(FS, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(FS, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(FS, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(FS, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(FS, 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // times 2^k, k in [-126, 128]: scale by 2^(k/2) twice so that k = 128 does not overflow the exponent
        IntVector half = ki.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ki.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = y.mul(s1).mul(s2);
        return result.blend(x, x.test(VectorOperators.IS_NAN));
    }
}
