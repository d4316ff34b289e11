package dev.seqmix.internal.fft;

/**
 * The FFT sizes every backend agrees on: the largest transform, and the power-of-two sizes that Bluestein's
 * convolution and the Toeplitz products' circulant embedding use. One place, so that the backends cannot
 * disagree on them.
 */
public final class FftSizes {
    /**
     * The largest transform: 2^27 points. Its complex data (2^28 floats) and the scratch of the same size fit a Java
     * array; Bluestein's convolution for such an n is 2^28 points, still within an array's range.
     */
    public static final int MAX = 1 << 27;

    private FftSizes() {
    }

    /**
     * Checks a transform size.
     *
     * @param n the size
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > }{@link #MAX}
     */
    public static void check(int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("n: expected 1 <= n <= " + MAX + ", got " + n);
        }
    }

    /**
     * The smallest power of two at least {@code m}.
     *
     * @param m a size, at least 1 and at most 2^30
     * @return that power of two
     */
    public static int powerOfTwoAtLeast(long m) {
        if (m < 1 || m > 1 << 30) {
            throw new IllegalArgumentException("m: expected 1 <= m <= 2^30, got " + m);
        }
        return (int) (m == 1 ? 1 : Long.highestOneBit(m - 1) << 1);
    }

    /**
     * The size of the linear convolution of two length-n sequences done circularly without wrap-around: the
     * smallest power of two at least {@code 2n - 1} (Bluestein's inner transform, a Toeplitz matrix's circulant).
     *
     * @param n the length, at least 1
     * @return that power of two
     */
    public static int convolution(int n) {
        return powerOfTwoAtLeast(2L * n - 1);
    }
}
