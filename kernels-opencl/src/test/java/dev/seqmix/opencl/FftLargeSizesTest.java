package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.FftPlan;
import dev.seqmix.internal.fft.FftCore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Powers of two above the local-memory size (four-step: column and row transforms in local memory), batched,
 * forward, inverse and real, against a double FFT; and the global-pass fallback at the same sizes.
 */
class FftLargeSizesTest {
    /** The conformance suite's bound (FftConformanceTest.RMS). */
    static final double RMS = 6e-7;

    static double[] doubleFft(float[] x, int off, int n, boolean inverse) {
        double[] a = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            a[i] = x[off + i];
        }
        if (inverse) {
            for (int i = 1; i < 2 * n; i += 2) {
                a[i] = -a[i];
            }
        }
        FftCore.fftDouble(a, n);
        if (inverse) {
            for (int i = 0; i < 2 * n; i += 2) {
                a[i] /= n;
                a[i + 1] = -a[i + 1] / n;
            }
        }
        return a;
    }

    static double relativeRms(float[] got, int off, double[] ref, int len) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < len; i++) {
            double d = got[off + i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    static float[] uniform(long seed, int count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    static void checkComplexAndReal(OpenClKernels k, int n, int batch) {
        FftPlan p = k.fftPlan(n);
        float[] x = uniform(n + batch, 2 * n * batch);
        for (boolean inverse : new boolean[] {false, true}) {
            float[] data = x.clone();
            if (inverse) {
                p.inverse(data, batch);
            } else {
                p.forward(data, batch);
            }
            for (int b = 0; b < batch; b++) {
                double err = relativeRms(data, 2 * n * b, doubleFft(x, 2 * n * b, n, inverse), 2 * n);
                assertTrue(err <= RMS, (inverse ? "inverse" : "forward") + " n=" + n + " item " + b + ": " + err);
            }
        }
        int bins = n / 2 + 1;
        float[] real = java.util.Arrays.copyOf(x, n * batch);
        float[] spec = new float[2 * bins * batch];
        p.forwardReal(real, spec, batch);
        for (int b = 0; b < batch; b++) {
            float[] complex = new float[2 * n];
            for (int j = 0; j < n; j++) {
                complex[2 * j] = real[b * n + j];
            }
            double err = relativeRms(spec, 2 * bins * b, doubleFft(complex, 0, n, false), 2 * bins);
            assertTrue(err <= RMS, "forwardReal n=" + n + " item " + b + ": " + err);
        }
        float[] back = new float[n * batch];
        p.inverseReal(spec, back, batch);
        double num = 0;
        double den = 0;
        for (int i = 0; i < back.length; i++) {
            num += (double) (back[i] - real[i]) * (back[i] - real[i]);
            den += (double) real[i] * real[i];
        }
        assertTrue(Math.sqrt(num / den) <= 2 * RMS, "real round trip n=" + n + ": " + Math.sqrt(num / den));
    }

    @Test
    void fourStepSizes() {
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device())) {
            for (int n : new int[] {8192, 1 << 14, 1 << 15, 1 << 16, 1 << 17}) {
                checkComplexAndReal(k, n, 2);
            }
            checkComplexAndReal(k, 1 << 20, 1);
            checkComplexAndReal(k, 1 << 21, 1);
        }
    }

    @Test
    void globalPassesAtTheSameSizes() {
        String old = System.getProperty(FftKernels.LOCAL_PROPERTY);
        System.setProperty(FftKernels.LOCAL_PROPERTY, "false");
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device())) {
            for (int n : new int[] {2, 4, 8, 16, 32, 64, 8192, 1 << 16}) {
                checkComplexAndReal(k, n, 3);
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
