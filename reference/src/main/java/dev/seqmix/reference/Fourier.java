package dev.seqmix.reference;

/**
 * The discrete Fourier transform in double, on interleaved complex data ({@code [n][re, im]}):
 * forward {@code X[k] = sum_j x[j] exp(-2 pi i j k / n)}, inverse with {@code +i} and not divided by n.
 *
 * <p>{@link #dft} is the O(n^2) sum itself, with every twiddle taken from the exact angle of {@code (j k) mod n}.
 * {@link #fft} is a double FFT for sizes where the O(n^2) sum is too slow: recursive radix-2 for powers of two,
 * Bluestein's chirp through a radix-2 of size {@code >= 2n - 1} otherwise. Its own error (about
 * {@code 1e-16 log2 n} relative) is far below the float32 errors it judges; {@link #spotCheck} compares it with the
 * direct sum at a few bins. The inverse of either is the conjugate of the forward transform of the conjugate.
 */
public final class Fourier {
    private Fourier() {
    }

    /** {@return n complex points of {@code data} from float index {@code off}, widened to double} */
    public static double[] widen(float[] data, int off, int n) {
        double[] x = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            x[i] = data[off + i];
        }
        return x;
    }

    /** {@return the O(n^2) DFT of {@code x}, forward or (unnormalized) inverse} */
    public static double[] dft(double[] x, boolean inverse) {
        if (inverse) {
            return conjugate(dft(conjugate(x), false));
        }
        int n = x.length / 2;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int m = 0; m < n; m++) {
            cos[m] = Math.cos(-2 * Math.PI * m / n);
            sin[m] = Math.sin(-2 * Math.PI * m / n);
        }
        double[] out = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double re = 0;
            double im = 0;
            for (int j = 0; j < n; j++) {
                int m = (int) ((long) j * k % n); // the angle 2 pi j k / n reduced exactly
                re += x[2 * j] * cos[m] - x[2 * j + 1] * sin[m];
                im += x[2 * j] * sin[m] + x[2 * j + 1] * cos[m];
            }
            out[2 * k] = re;
            out[2 * k + 1] = im;
        }
        return out;
    }

    /** {@return the O(n^2) DFT of n complex points of {@code data} from float index {@code off}} */
    public static double[] dft(float[] data, int off, int n, boolean inverse) {
        return dft(widen(data, off, n), inverse);
    }

    /** {@return bin k of the forward DFT of {@code x}, {@code {re, im}}, by the direct sum in O(n)} */
    public static double[] bin(double[] x, int k) {
        int n = x.length / 2;
        double re = 0;
        double im = 0;
        for (int j = 0; j < n; j++) {
            double angle = -2 * Math.PI * ((long) j * k % n) / n;
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            re += x[2 * j] * c - x[2 * j + 1] * s;
            im += x[2 * j] * s + x[2 * j + 1] * c;
        }
        return new double[] {re, im};
    }

    /** {@return the DFT of {@code x} by a double FFT (any n), forward or (unnormalized) inverse} */
    public static double[] fft(double[] x, boolean inverse) {
        if (inverse) {
            return conjugate(fft(conjugate(x), false));
        }
        int n = x.length / 2;
        if (Integer.bitCount(n) == 1) {
            return radix2(x, roots(n), 1);
        }
        return bluestein(x);
    }

    /** {@return the DFT of n complex points of {@code data} from float index {@code off}, by the double FFT} */
    public static double[] fft(float[] data, int off, int n, boolean inverse) {
        return fft(widen(data, off, n), inverse);
    }

    /**
     * {@return the largest {@code |spectrum[k] - bin(x, k)| / rms(spectrum)} over {@code bins} bins spread over
     * 0..n-1 (bin 0 always among them)}: how far a computed forward spectrum of {@code x} is from the direct sum;
     * around 1e-15 for {@link #fft}.
     */
    public static double spotCheck(double[] x, double[] spectrum, int bins) {
        int n = x.length / 2;
        double norm = 0;
        for (double v : spectrum) {
            norm += v * v;
        }
        double rms = Math.sqrt(norm / n);
        double worst = 0;
        for (int b = 0; b < bins; b++) {
            int k = (int) (((long) b * n / bins + b) % n); // spread out, not only multiples of n / bins
            double[] exact = bin(x, k);
            worst = Math.max(worst, Math.hypot(spectrum[2 * k] - exact[0], spectrum[2 * k + 1] - exact[1]) / rms);
        }
        return worst;
    }

    private static double[] conjugate(double[] x) {
        double[] c = x.clone();
        for (int i = 1; i < c.length; i += 2) {
            c[i] = -c[i];
        }
        return c;
    }

    /**
     * Bluestein: {@code X[k] = conj(w[k]) sum_j (x[j] conj(w[j])) w[k - j]} with the chirp
     * {@code w[j] = exp(i pi j^2 / n)}, the sum a circular convolution of size {@code m >= 2n - 1} done by radix-2.
     */
    private static double[] bluestein(double[] x) {
        int n = x.length / 2;
        int m = Integer.highestOneBit(2 * n - 1) << 1;
        // wr + i wi = exp(-i pi j^2 / n), with j^2 taken mod 2n so that the angle stays exact
        double[] wr = new double[n];
        double[] wi = new double[n];
        for (int j = 0; j < n; j++) {
            long e = (long) j * j % (2L * n);
            double angle = -Math.PI * e / n;
            wr[j] = Math.cos(angle);
            wi[j] = Math.sin(angle);
        }
        double[] a = new double[2 * m];
        double[] b = new double[2 * m];
        for (int j = 0; j < n; j++) {
            double xr = x[2 * j];
            double xi = x[2 * j + 1];
            a[2 * j] = xr * wr[j] - xi * wi[j];
            a[2 * j + 1] = xr * wi[j] + xi * wr[j];
            b[2 * j] = wr[j];                  // conj(w), at j and at -j (mod m)
            b[2 * j + 1] = -wi[j];
            if (j > 0) {
                b[2 * (m - j)] = wr[j];
                b[2 * (m - j) + 1] = -wi[j];
            }
        }
        double[] roots = roots(m);
        double[] fa = radix2(a, roots, 1);
        double[] fb = radix2(b, roots, 1);
        double[] product = new double[2 * m];
        for (int k = 0; k < m; k++) {   // conj(A B): the inverse transform as a forward one of the conjugate
            product[2 * k] = fa[2 * k] * fb[2 * k] - fa[2 * k + 1] * fb[2 * k + 1];
            product[2 * k + 1] = -(fa[2 * k] * fb[2 * k + 1] + fa[2 * k + 1] * fb[2 * k]);
        }
        double[] conv = radix2(product, roots, 1);
        double[] out = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double re = conv[2 * k] / m;
            double im = -conv[2 * k + 1] / m;
            out[2 * k] = re * wr[k] - im * wi[k];
            out[2 * k + 1] = re * wi[k] + im * wr[k];
        }
        return out;
    }

    /** {@code exp(-2 pi i k / m)} for k in [0, m/2), each from its own angle (no recurrence), interleaved. */
    private static double[] roots(int m) {
        double[] r = new double[Math.max(2, m)];
        for (int k = 0; k < m / 2; k++) {
            r[2 * k] = Math.cos(-2 * Math.PI * k / m);
            r[2 * k + 1] = Math.sin(-2 * Math.PI * k / m);
        }
        return r;
    }

    /**
     * The forward DFT of {@code x} ({@code x.length / 2} complex points, a power of two), recursive radix-2
     * decimation in time: the plainest form. At this level the twiddle {@code exp(-2 pi i k / n)} is
     * {@code roots[k * stride]}.
     */
    private static double[] radix2(double[] x, double[] roots, int stride) {
        int n = x.length / 2;
        if (n == 1) {
            return x.clone();
        }
        int half = n / 2;
        double[] even = new double[n];
        double[] odd = new double[n];
        for (int j = 0; j < half; j++) {
            System.arraycopy(x, 4 * j, even, 2 * j, 2);
            System.arraycopy(x, 4 * j + 2, odd, 2 * j, 2);
        }
        double[] e = radix2(even, roots, 2 * stride);
        double[] o = radix2(odd, roots, 2 * stride);
        double[] out = new double[2 * n];
        for (int k = 0; k < half; k++) {
            double c = roots[2 * k * stride];
            double s = roots[2 * k * stride + 1];
            double tr = o[2 * k] * c - o[2 * k + 1] * s;
            double ti = o[2 * k] * s + o[2 * k + 1] * c;
            out[2 * k] = e[2 * k] + tr;
            out[2 * k + 1] = e[2 * k + 1] + ti;
            out[2 * (k + half)] = e[2 * k] - tr;
            out[2 * (k + half) + 1] = e[2 * k + 1] - ti;
        }
        return out;
    }
}
