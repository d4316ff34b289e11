package dev.seqmix.simd;

import dev.seqmix.internal.fft.ComplexProducts;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ComplexProducts} on vectors of interleaved complex numbers, V / 2 products a vector:
 * {@code x w = x [wr, wr] + [xi, xr] [-wi, wi]}. Conjugation is a product with {@code [1, -1]}, taken on every call, so no vector is chosen by a
 * branch (a vector merged from two branches is boxed).
 */
final class SimdComplexProducts implements ComplexProducts {
    static final SimdComplexProducts INSTANCE = new SimdComplexProducts();

    private static final VectorSpecies<Float> SP = SimdSupport.SPECIES;
    // lane permutations as shuffle constants (as index vectors for selectFrom, converted on every use, the
    // products ran no faster than the scalar loop)
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(SP, i -> i ^ 1);   // [1, 0, 3, 2, ...]
    private static final VectorShuffle<Float> REAL = VectorShuffle.fromOp(SP, i -> i & ~1);  // [0, 0, 2, 2, ...]
    private static final VectorShuffle<Float> IMAG = VectorShuffle.fromOp(SP, i -> i | 1);   // [1, 1, 3, 3, ...]
    private static final float[] ALTERNATE = pattern(-1f, 1f);   // [-1, 1, -1, 1, ...]
    private static final float[] CONJUGATE = pattern(1f, -1f);
    private static final float[] ONES = pattern(1f, 1f);

    private SimdComplexProducts() {
    }

    private static float[] pattern(float even, float odd) {
        float[] p = new float[SP.length()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % 2 == 0 ? even : odd;
        }
        return p;
    }

    /**
     * {@code out = c(c'(x) w)}: with {@code a = c'(x)} (a product with the sign pattern), {@code a [wr, wr] +
     * [ai, ar] [-wi, wi]}, then the product with the output's sign pattern. Two vectors an iteration, then one,
     * then the tail one by one with the same operations. Written out, with no helper: a call site that C2 finds
     * cold (the last vector of a chirp) is not inlined, and its vector arguments and result were boxed (192 B a
     * call, AllocationTest). The size also keeps the method above C2's {@code FreqInlineSize} (325 bytes of
     * bytecode), so it is compiled on its own: inlined into {@code Bluestein.transform} next to both backends'
     * inner transforms, it ran past C2's node budget and every vector was boxed (1.2 MB a transform of 4095).
     */
    @Override
    public void multiply(float[] x, int xo, float[] w, int wo, float[] out, int oo, int count, boolean conjX,
                         boolean conjOut) {
        int v = SP.length();
        int floats = 2 * count;
        float[] cx = conjX ? CONJUGATE : ONES;
        float[] co = conjOut ? CONJUGATE : ONES;
        int i = 0;
        for (; i + 2 * v <= floats; i += 2 * v) {
            FloatVector a = FloatVector.fromArray(SP, x, xo + i).mul(FloatVector.fromArray(SP, cx, 0));
            FloatVector b = FloatVector.fromArray(SP, w, wo + i);
            FloatVector c = FloatVector.fromArray(SP, x, xo + i + v).mul(FloatVector.fromArray(SP, cx, 0));
            FloatVector e = FloatVector.fromArray(SP, w, wo + i + v);
            FloatVector real = b.rearrange(REAL);
            FloatVector imag = b.rearrange(IMAG)
                    .mul(FloatVector.fromArray(SP, ALTERNATE, 0));
            FloatVector swap = a.rearrange(SWAP);
            a.fma(real, swap.mul(imag)).mul(FloatVector.fromArray(SP, co, 0)).intoArray(out, oo + i);
            real = e.rearrange(REAL);
            imag = e.rearrange(IMAG).mul(FloatVector.fromArray(SP, ALTERNATE, 0));
            swap = c.rearrange(SWAP);
            c.fma(real, swap.mul(imag)).mul(FloatVector.fromArray(SP, co, 0)).intoArray(out, oo + i + v);
        }
        int full = floats - floats % v;
        for (; i < full; i += v) {
            FloatVector a = FloatVector.fromArray(SP, x, xo + i).mul(FloatVector.fromArray(SP, cx, 0));
            FloatVector b = FloatVector.fromArray(SP, w, wo + i);
            FloatVector real = b.rearrange(REAL);
            FloatVector imag = b.rearrange(IMAG)
                    .mul(FloatVector.fromArray(SP, ALTERNATE, 0));
            FloatVector swap = a.rearrange(SWAP);
            a.fma(real, swap.mul(imag)).mul(FloatVector.fromArray(SP, co, 0)).intoArray(out, oo + i);
        }
        // the tail one by one, with the vector lanes' operations (multiplying by -1 is exact), so every element
        // rounds alike: a masked access reaching past an array's end takes the Vector API's slow path, which C2
        // does not always compile without boxing
        float ci = conjX ? -1f : 1f;
        float ct = conjOut ? -1f : 1f;
        for (; i < floats; i += 2) {
            float ar = x[xo + i];
            float ai = x[xo + i + 1] * ci;
            float wr = w[wo + i];
            float wi = w[wo + i + 1];
            out[oo + i] = Math.fma(ar, wr, ai * -wi);
            out[oo + i + 1] = Math.fma(ai, wr, ar * wi) * ct;
        }
    }
}
