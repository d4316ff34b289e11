package dev.seqmix.cli.report;

/**
 * The float64 reference for the FFT accuracy table, forward {@code X[k] = sum_j x[j] exp(-2 pi i j k / n)} on
 * interleaved complex data. Up to {@link #DIRECT_MAX} it is the plain O(n^2) DFT in double (twiddles from the
 * exact angle of {@code (j k) mod n}); above, a double-precision FFT (iterative radix-2, Bluestein for other n),
 * whose own error (about 1e-16 log2 n) is far below the float32 errors it judges, and which
 * {@link #spotCheck} compares with the direct DFT at a few bins in the same run.
 */
final class DoubleDft {
    /** Largest n done by the direct DFT (4096^2 = 16 M complex multiply-adds, well under a second). */
    static final int DIRECT_MAX = 4096;

    private DoubleDft() {
    }

    /** The forward DFT of {@code x} ({@code [n][re, im]} floats) in double, {@code [n][re, im]}. */
    static double[] forward(float[] x) {
        int n = x.length / 2;
        double[] d = new double[2 * n];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i];
        }
        return n <= DIRECT_MAX ? direct(d) : fft(d);
    }

    /** Which method {@link #forward} uses at n. */
    static String method(int n) {
        return n <= DIRECT_MAX ? "direct DFT" : Integer.bitCount(n) == 1 ? "radix-2 FFT" : "Bluestein FFT";
    }

    /** The O(n^2) DFT. */
    static double[] direct(double[] x) {
        int n = x.length / 2;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int m = 0; m < n; m++) {
            double angle = -2 * Math.PI * m / n;
            cos[m] = Math.cos(angle);
            sin[m] = Math.sin(angle);
        }
        double[] out = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double re = 0;
            double im = 0;
            int m = 0; // (j k) mod n, kept small so that the angle is exact
            for (int j = 0; j < n; j++) {
                double xr = x[2 * j];
                double xi = x[2 * j + 1];
                re += xr * cos[m] - xi * sin[m];
                im += xr * sin[m] + xi * cos[m];
                m += k;
                if (m >= n) {
                    m -= n;
                }
            }
            out[2 * k] = re;
            out[2 * k + 1] = im;
        }
        return out;
    }

    /** Bin k of the DFT of {@code x}, directly in O(n): {@code {re, im}}. */
    static double[] bin(double[] x, int k) {
        int n = x.length / 2;
        double re = 0;
        double im = 0;
        long m = 0;
        for (int j = 0; j < n; j++) {
            double angle = -2 * Math.PI * m / n;
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            re += x[2 * j] * c - x[2 * j + 1] * s;
            im += x[2 * j] * s + x[2 * j + 1] * c;
            m = (m + k) % n;
        }
        return new double[] {re, im};
    }

    /**
     * The largest {@code |ref[k] - bin(x, k)| / rms(ref)} over {@code bins} bins spread over 0..n-1: how far the
     * reference is from the direct DFT (should be around 1e-15).
     */
    static double spotCheck(float[] x, double[] ref, int bins) {
        int n = x.length / 2;
        double[] d = new double[2 * n];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i];
        }
        double norm = 0;
        for (double v : ref) {
            norm += v * v;
        }
        double rms = Math.sqrt(norm / n);
        double worst = 0;
        for (int b = 0; b < bins; b++) {
            int k = (int) ((long) b * n / bins + b) % n; // spread out, not only multiples of n / bins
            double[] exact = bin(d, k);
            worst = Math.max(worst, Math.hypot(ref[2 * k] - exact[0], ref[2 * k + 1] - exact[1]) / rms);
        }
        return worst;
    }

    /** A double FFT of any n: radix-2 for powers of two, Bluestein (through a radix-2 of size >= 2n-1) otherwise. */
    static double[] fft(double[] x) {
        int n = x.length / 2;
        if (Integer.bitCount(n) == 1) {
            return radix2(x, roots(n), 1);
        }
        int m = Integer.highestOneBit(2 * n - 1) << 1;
        // chirp w[j] = exp(-i pi j^2 / n), with j^2 taken mod 2n so that the angle stays exact
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
     * decimation in time: the plainest form, written independently of seqmix's FFTs (it judges them). At this
     * level the twiddle {@code exp(-2 pi i k / n)} is {@code roots[k * stride]}.
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

    /** {@code sqrt(sum |got - ref|^2 / sum |ref|^2)} over interleaved complex values. */
    static double relativeRms(float[] got, double[] ref) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = got[i] - ref[i];
            err += d * d;
            norm += ref[i] * ref[i];
        }
        return Math.sqrt(err / norm);
    }
}
