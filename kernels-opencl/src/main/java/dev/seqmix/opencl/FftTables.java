package dev.seqmix.opencl;

import dev.seqmix.internal.fft.FftCore;

/**
 * Host-side FFT constants, computed in double and rounded to float once (docs/contract.md#fft): twiddle tables,
 * Bluestein chirps and chirp spectra (the latter through a plain double radix-2 FFT, done once per plan).
 */
final class FftTables {
    private FftTables() {
    }

    /** {@code tw[k] = exp(-2 pi i k / n)}, {@code k < n}, interleaved. */
    static float[] twiddles(int n) {
        float[] tw = new float[2 * n];
        for (int k = 0; k < n; k++) {
            double a = -2 * Math.PI * k / n;
            tw[2 * k] = (float) Math.cos(a);
            tw[2 * k + 1] = (float) Math.sin(a);
        }
        return tw;
    }

    /**
     * The four-step twiddles of n = n1 * n2 in the column pass's output order: entry {@code k1 * n2 + j2} is
     * {@code exp(-2 pi i j2 k1 / n)} (each entry of {@link #twiddles(int)}, so rounded once from double).
     */
    static float[] fourStepTwiddles(int n1, int n2) {
        float[] tw = twiddles(n1 * n2);
        float[] t = new float[2 * n1 * n2];
        for (int k1 = 0; k1 < n1; k1++) {
            for (int j2 = 0; j2 < n2; j2++) {
                int from = 2 * j2 * k1;
                int to = 2 * (k1 * n2 + j2);
                t[to] = tw[from];
                t[to + 1] = tw[from + 1];
            }
        }
        return t;
    }

    /** Chirp {@code c[j] = exp(-i pi j^2 / n)} in double, with j^2 reduced mod 2n exactly. */
    static double[] chirp(int n) {
        double[] c = new double[2 * n];
        for (int j = 0; j < n; j++) {
            long q = ((long) j * j) % (2L * n);
            double a = -Math.PI * q / n;
            c[2 * j] = Math.cos(a);
            c[2 * j + 1] = Math.sin(a);
        }
        return c;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /**
     * Spectrum (scaled by 1/m) of the Bluestein kernel of length m: {@code conj(c)} for the forward transform,
     * {@code c} for the inverse, placed at indices j and m - j.
     */
    static float[] chirpSpectrum(double[] c, int n, int m, boolean inverse) {
        double[] b = new double[2 * m];
        double sign = inverse ? 1 : -1;
        for (int j = 0; j < n; j++) {
            b[2 * j] = c[2 * j];
            b[2 * j + 1] = sign * c[2 * j + 1];
            if (j > 0) {
                b[2 * (m - j)] = c[2 * j];
                b[2 * (m - j) + 1] = sign * c[2 * j + 1];
            }
        }
        FftCore.fftDouble(b, m);
        for (int i = 0; i < b.length; i++) {
            b[i] /= m;
        }
        return toFloat(b);
    }

}
