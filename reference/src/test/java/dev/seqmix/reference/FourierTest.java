package dev.seqmix.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The double FFT against the direct DFT, the direct DFT on known spectra, and the spot check. */
class FourierTest {

    static float[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    @Test
    void doubleFftMatchesTheDirectDft() {
        // radix-2 and Bluestein (prime, even, odd composite) against the O(n^2) sum, both directions
        for (int n : new int[] {1, 2, 8, 64, 3, 12, 100, 1009}) {
            double[] x = Fourier.widen(uniform(n, 2 * n, -1, 1), 0, n);
            for (boolean inverse : new boolean[] {false, true}) {
                double err = maxAbsDiff(Fourier.fft(x, inverse), Fourier.dft(x, inverse));
                assertTrue(err < 1e-11 * Math.max(1, n), "n=" + n + " inverse=" + inverse + ": " + err);
            }
        }
    }

    @Test
    void directDftOfAnImpulseAndACosine() {
        int n = 16;
        double[] impulse = new double[2 * n];
        impulse[0] = 1;
        double[] spectrum = Fourier.dft(impulse, false);
        for (int k = 0; k < n; k++) {
            assertEquals(1, spectrum[2 * k], 1e-15);
            assertEquals(0, spectrum[2 * k + 1], 1e-15);
        }
        double[] cosine = new double[2 * n];
        for (int j = 0; j < n; j++) {
            cosine[2 * j] = Math.cos(2 * Math.PI * 3 * j / n);
        }
        double[] c = Fourier.dft(cosine, false);
        assertEquals(n / 2.0, c[2 * 3], 1e-12);
        assertEquals(n / 2.0, c[2 * (n - 3)], 1e-12);
        assertEquals(0, c[2 * 5], 1e-12);
    }

    @Test
    void inverseUndoesForwardTimesN() {
        int n = 12;
        double[] x = Fourier.widen(uniform(3, 2 * n, -1, 1), 0, n);
        double[] back = Fourier.dft(Fourier.dft(x, false), true);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] * n, back[i], 1e-12);
        }
    }

    @Test
    void floatOverloadsReadFromTheOffset() {
        int n = 5;
        float[] data = uniform(4, 2 * n + 6, -1, 1);
        double[] x = Fourier.widen(data, 6, n);
        assertEquals(data[6], x[0]);
        assertEquals(0, maxAbsDiff(Fourier.dft(data, 6, n, true), Fourier.dft(x, true)));
        assertEquals(0, maxAbsDiff(Fourier.fft(data, 6, n, false), Fourier.fft(x, false)));
    }

    @Test
    void spotCheckFindsAWrongReference() {
        int n = 4099;
        double[] x = Fourier.widen(uniform(7, 2 * n, -1, 1), 0, n);
        double[] ref = Fourier.fft(x, false);
        assertTrue(Fourier.spotCheck(x, ref, 4) < 1e-13);
        ref[0] += 1; // bin 0 is always one of those checked
        assertTrue(Fourier.spotCheck(x, ref, 4) > 1e-3);
    }
}
