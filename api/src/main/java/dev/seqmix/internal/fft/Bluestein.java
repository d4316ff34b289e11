package dev.seqmix.internal.fft;

import java.util.Arrays;

/**
 * Bluestein's algorithm for a size n that is not smooth: with the chirp {@code w[j] = exp(-i pi j^2 / n)} (j^2
 * reduced mod 2n, so the angle is exact), {@code X[k] = w[k] sum_j (x[j] w[j]) conj(w[k - j])}: a convolution done
 * with a power-of-two transform of size {@code M >= 2n - 1} (the backend's own, so that its speed carries over)
 * against the chirp filter's spectrum, computed once in double. The inverse conjugates in and out. Shared by the
 * backends whose transforms run on the host; each passes its own inner transform.
 */
public final class Bluestein {
    private final int n;
    private final FftOfSize conv;  // power-of-two size M >= 2n - 1
    private final ComplexProducts products;
    private final float[] chirp;   // exp(-i pi j^2 / n), j in [0, n), interleaved
    private final float[] filter;  // DFT_M(conj chirp, wrapped) / M, interleaved

    /**
     * The tables for size n around the inner transform {@code conv}, with plain loops for the products.
     *
     * @param n    the transform size
     * @param conv a transform of size {@link FftSizes#convolution}(n)
     */
    public Bluestein(int n, FftOfSize conv) {
        this(n, conv, ComplexProducts.SCALAR);
    }

    /**
     * The tables for size n around the inner transform {@code conv}.
     *
     * @param n        the transform size
     * @param conv     a transform of size {@link FftSizes#convolution}(n)
     * @param products the backend's elementwise complex products
     */
    public Bluestein(int n, FftOfSize conv, ComplexProducts products) {
        int m = FftSizes.convolution(n);
        if (conv.size() != m) {
            throw new IllegalArgumentException("conv: expected size " + m + ", got " + conv.size());
        }
        this.n = n;
        this.conv = conv;
        this.products = products;
        this.chirp = new float[2 * n];
        double[] b = new double[2 * m];
        double[] cs = new double[2];
        for (int j = 0; j < n; j++) {
            long t = ((long) j * j) % (2L * n);
            FftCore.unitRoot(t, 2L * n, cs);  // exp(+i pi j^2 / n)
            chirp[2 * j] = (float) cs[0];
            chirp[2 * j + 1] = (float) -cs[1];
            b[2 * j] = cs[0];
            b[2 * j + 1] = cs[1];
            if (j > 0) {                      // wrap: b[M - j] = b[j]
                b[2 * (m - j)] = cs[0];
                b[2 * (m - j) + 1] = cs[1];
            }
        }
        FftCore.fftDouble(b, m);
        this.filter = new float[2 * m];
        double scale = 1.0 / m;               // a power of two: exact
        for (int i = 0; i < 2 * m; i++) {
            filter[i] = (float) (b[i] * scale);
        }
    }

    /** {@return floats of scratch a transform needs: the convolution buffer and the inner transform's scratch} */
    public int scratchFloats() {
        return 2 * conv.size() + conv.scratchFloats();
    }

    /**
     * Transforms the n complex values at {@code d[off]} in place.
     *
     * @param d       interleaved complex data
     * @param off     where the transform starts
     * @param inverse the inverse (unscaled) transform
     * @param s       scratch, {@link #scratchFloats()} floats from {@code so}
     * @param so      where the scratch starts
     */
    public void transform(float[] d, int off, boolean inverse, float[] s, int so) {
        int m = conv.size();
        int a = so;                               // the convolution buffer: 2M floats
        int inner = so + 2 * m;                   // the inner plan's scratch
        // the inverse conjugates in and out
        products.multiply(d, off, chirp, 0, s, a, n, inverse, false);
        Arrays.fill(s, a + 2 * n, a + 2 * m, 0f);
        conv.transform(s, a, false, s, inner);
        products.multiply(s, a, filter, 0, s, a, m, false, false);
        conv.transform(s, a, true, s, inner);
        products.multiply(s, a, chirp, 0, d, off, n, false, inverse);
    }
}
