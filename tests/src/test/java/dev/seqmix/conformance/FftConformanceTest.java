package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.reference.Fourier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Complex and real FFTs against the float64 DFT, every size class: 1, primes, 2^k, 2-3-5-7 products, Bluestein. */
class FftConformanceTest {
    /*
     * docs/contract.md#fft-accuracy: relative RMS error at most 2x FFTW's single precision error at the same n,
     * which is about 1e-7 to 3e-7 up to 2^20. 6e-7 is that bound for every size.
     */
    static final double RMS = 6e-7;

    static Stream<Arguments> sizes() {
        List<Integer> sizes = new ArrayList<>();
        IntStream.rangeClosed(1, 40).forEach(sizes::add);
        sizes.addAll(List.of(49, 60, 64, 97, 100, 101, 127, 128, 210, 243, 256, 343, 360, 509, 512, 625, 1000,
                1009, 1024, 2048, 2310, 4096, 4099));
        // the simd four-step with fewer used lanes than V (C = 4, 8) and rows padded to a multiple of V
        sizes.addAll(List.of(48, 72, 80, 96, 120, 160, 192, 200, 240, 320, 500, 1500, 3000));
        List<Arguments> args = new ArrayList<>();
        for (String backend : Backends.available()) {
            for (int n : sizes) {
                args.add(Arguments.of(backend, n));
            }
        }
        return args.stream();
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void complexForwardAndInverse(String backend, int n) {
        int batch = n < 64 ? 3 : 1;
        SplittableRandom rnd = new SplittableRandom(n);
        float[] x = Data.uniform(rnd, 2 * n * batch, -1, 1);
        try (Kernels k = Backends.open(backend)) {
            FftPlan plan = k.fftPlan(n);
            assertSame(plan, k.fftPlan(n), "plans are cached per size");
            float[] data = x.clone();
            plan.forward(data, batch);
            for (int b = 0; b < batch; b++) {
                double[] ref = Fourier.dft(x, 2 * n * b, n, false);
                float[] got = java.util.Arrays.copyOfRange(data, 2 * n * b, 2 * n * (b + 1));
                double err = Data.relativeRms(got, ref);
                assertTrue(err <= RMS, "forward n=" + n + " batch item " + b + ": relative RMS " + err);
            }
            float[] inv = x.clone();
            plan.inverse(inv, batch);
            for (int b = 0; b < batch; b++) {
                double[] ref = Fourier.dft(x, 2 * n * b, n, true);
                for (int i = 0; i < ref.length; i++) {
                    ref[i] /= n;
                }
                float[] got = java.util.Arrays.copyOfRange(inv, 2 * n * b, 2 * n * (b + 1));
                double err = Data.relativeRms(got, ref);
                assertTrue(err <= RMS, "inverse n=" + n + ": relative RMS " + err);
            }
            plan.inverse(data, batch);
            double[] wide = Data.widen(x);
            assertTrue(Data.relativeRms(data, wide) <= 2 * RMS, "round trip n=" + n);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void realForwardAndInverse(String backend, int n) {
        int batch = n < 64 ? 2 : 1;
        int bins = n / 2 + 1;
        SplittableRandom rnd = new SplittableRandom(7L * n);
        float[] x = Data.uniform(rnd, n * batch, -1, 1);
        try (Kernels k = Backends.open(backend)) {
            FftPlan plan = k.fftPlan(n);
            float[] spec = new float[2 * bins * batch];
            plan.forwardReal(x, spec, batch);
            for (int b = 0; b < batch; b++) {
                float[] complex = new float[2 * n];
                for (int j = 0; j < n; j++) {
                    complex[2 * j] = x[b * n + j];
                }
                double[] full = Fourier.dft(complex, 0, n, false);
                double[] ref = java.util.Arrays.copyOf(full, 2 * bins);
                float[] got = java.util.Arrays.copyOfRange(spec, 2 * bins * b, 2 * bins * (b + 1));
                double err = Data.relativeRms(got, ref);
                assertTrue(err <= RMS, "forwardReal n=" + n + ": relative RMS " + err);
            }
            // the inverse ignores the imaginary parts of bin 0 and (n even) bin n/2, and keeps its input
            float[] noisy = spec.clone();
            for (int b = 0; b < batch; b++) {
                noisy[2 * bins * b + 1] = 123f;
                if (n % 2 == 0) {
                    noisy[2 * bins * b + 2 * (bins - 1) + 1] = -77f;
                }
            }
            float[] noisyCopy = noisy.clone();
            float[] back = new float[n * batch];
            plan.inverseReal(noisy, back, batch);
            assertArrayEquals(noisyCopy, noisy, 0f, "inverseReal modified its input");
            double err = Data.relativeRms(back, Data.widen(x));
            assertTrue(err <= 2 * RMS, "real round trip n=" + n + ": relative RMS " + err);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void largePowersOfTwoAgainstDoubleFft(String backend) {
        try (Kernels k = Backends.open(backend)) {
            for (int n : new int[] {1 << 14, 1 << 16, 1 << 20}) {
                SplittableRandom rnd = new SplittableRandom(n);
                float[] x = Data.uniform(rnd, 2 * n, -1, 1);
                float[] data = x.clone();
                k.fftPlan(n).forward(data, 1);
                double err = Data.relativeRms(data, Fourier.fft(x, 0, n, false));
                assertTrue(err <= RMS, "n=" + n + ": relative RMS " + err);
                float[] real = java.util.Arrays.copyOf(x, n);
                float[] spec = new float[2 * (n / 2 + 1)];
                k.fftPlan(n).forwardReal(real, spec, 1);
                float[] complex = new float[2 * n];
                for (int j = 0; j < n; j++) {
                    complex[2 * j] = real[j];
                }
                double[] ref = java.util.Arrays.copyOf(Fourier.fft(complex, 0, n, false), spec.length);
                double realErr = Data.relativeRms(spec, ref);
                assertTrue(realErr <= RMS, "real n=" + n + ": relative RMS " + realErr);
            }
        }
    }
}
