package dev.seqmix.internal.fft;

/**
 * Elementwise products of interleaved complex vectors, the pointwise steps of {@link Bluestein}: each host backend
 * passes its own (the scalar loop below, or the simd backend's vectors), so that the algorithm is written once.
 */
@FunctionalInterface
public interface ComplexProducts {

    /**
     * {@code out[i] = c(c'(x[i]) w[i])} for {@code count} interleaved complex numbers, where {@code c'} conjugates
     * when {@code conjX} and {@code c} when {@code conjOut}. {@code out} may be {@code x} at the same offset.
     *
     * @param x       the first factors
     * @param xo      where they start
     * @param w       the second factors
     * @param wo      where they start
     * @param out     the products
     * @param oo      where they start
     * @param count   complex numbers to multiply
     * @param conjX   conjugate x first
     * @param conjOut conjugate the products
     */
    void multiply(float[] x, int xo, float[] w, int wo, float[] out, int oo, int count, boolean conjX,
                  boolean conjOut);

    /** Plain loops, the reference. */
    ComplexProducts SCALAR = (x, xo, w, wo, out, oo, count, conjX, conjOut) -> {
        float cx = conjX ? -1f : 1f;
        float co = conjOut ? -1f : 1f;
        for (int i = 0; i < count; i++) {
            float xr = x[xo + 2 * i];
            float xi = cx * x[xo + 2 * i + 1];
            float wr = w[wo + 2 * i];
            float wi = w[wo + 2 * i + 1];
            out[oo + 2 * i] = xr * wr - xi * wi;
            out[oo + 2 * i + 1] = co * (xr * wi + xi * wr);
        }
    };
}
