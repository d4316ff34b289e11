package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.FftPlan;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Real transforms of even n run as a complex transform of n/2 with split and merge kernels (odd n: the full
 * complex transform): batched, at powers of two, Bluestein halves (n = 2 * odd) and both local and global
 * paths, against the float64 DFT; for even n bins 0 and n/2 are real as in the reference.
 */
class RealFftPackedTest {

    static double[] dft(float[] x, int off, int n) {
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int t = 0; t < n; t++) {
            cos[t] = Math.cos(-2 * Math.PI * t / n);
            sin[t] = Math.sin(-2 * Math.PI * t / n);
        }
        double[] out = new double[2 * (n / 2 + 1)];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int j = 0; j < n; j++) {
                int t = (int) (((long) j * k) % n);
                re += x[off + j] * cos[t];
                im += x[off + j] * sin[t];
            }
            out[2 * k] = re;
            out[2 * k + 1] = im;
        }
        return out;
    }

    static void check(OpenClKernels k, int n, int batch) {
        int bins = n / 2 + 1;
        float[] x = new float[n * batch];
        SplittableRandom rnd = new SplittableRandom(n);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        FftPlan p = k.fftPlan(n);
        float[] spec = new float[2 * bins * batch];
        p.forwardReal(x, spec, batch);
        for (int b = 0; b < batch; b++) {
            double err = FftLargeSizesTest.relativeRms(spec, 2 * bins * b, dft(x, n * b, n), 2 * bins);
            assertTrue(err <= FftLargeSizesTest.RMS, "forwardReal n=" + n + " item " + b + ": " + err);
            if (n % 2 == 0) {
                assertEquals(0f, spec[2 * bins * b + 1], "bin 0 is real, n=" + n);
                assertEquals(0f, spec[2 * bins * b + 2 * (bins - 1) + 1], "bin n/2 is real, n=" + n);
            }
        }
        float[] back = new float[n * batch];
        p.inverseReal(spec, back, batch);
        double[] ref = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            ref[i] = x[i];
        }
        double err = FftLargeSizesTest.relativeRms(back, 0, ref, x.length);
        assertTrue(err <= 2 * FftLargeSizesTest.RMS, "real round trip n=" + n + ": " + err);
    }

    static final int[] SIZES = {1, 2, 3, 4, 6, 8, 10, 12, 14, 16, 30, 32, 62, 96, 98, 256, 1002, 2048, 8192, 8194};

    @Test
    void localPaths() {
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device())) {
            for (int n : SIZES) {
                check(k, n, 3);
            }
        }
    }

    @Test
    void globalPaths() {
        String old = System.getProperty(FftKernels.LOCAL_PROPERTY);
        System.setProperty(FftKernels.LOCAL_PROPERTY, "false");
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device())) {
            for (int n : SIZES) {
                check(k, n, 3);
            }
        } finally {
            if (old == null) {
                System.clearProperty(FftKernels.LOCAL_PROPERTY);
            } else {
                System.setProperty(FftKernels.LOCAL_PROPERTY, old);
            }
        }
    }
}
