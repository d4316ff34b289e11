package dev.seqmix.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.bench.BenchData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FFM binding of FFTW computes what seqmix's scalar FFT computes (else the FFTW peer's numbers mean nothing).
 * In CI ({@code CI=true}) a missing {@code libfftw3f.so.3} fails this test ({@code .ci/run} installs it);
 * elsewhere the test is skipped with the reason.
 */
class FftwTest {
    private static final double TOLERANCE = 1e-6;
    private static final int[] SIZES = {16, 256, 1000, 4096, 65536};

    @BeforeEach
    void requireFftw() {
        if (Fftw.available()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but " + Fftw.unavailableReason());
        }
        Assumptions.abort("FFTW tests skipped: " + Fftw.unavailableReason());
    }

    /** sqrt(sum |got - ref|^2 / sum |ref|^2). */
    private static double relativeRms(float[] got, float[] ref) {
        assertEquals(ref.length, got.length);
        double err = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = (double) got[i] - ref[i];
            err += d * d;
            norm += (double) ref[i] * ref[i];
        }
        return Math.sqrt(err / norm);
    }

    @Test
    void reportsVersion() {
        String version = Fftw.version();
        assertTrue(version != null && version.startsWith("fftw-3"), String.valueOf(version));
        System.out.println("FFTW " + version + " loaded as " + Fftw.libraryName());
    }

    @Test
    void complexForwardMatchesScalar() {
        try (Kernels scalar = Seqmix.kernels("scalar")) {
            for (int n : SIZES) {
                float[] x = BenchData.uniform(n, 2 * n, -1, 1);
                float[] ref = x.clone();
                scalar.fftPlan(n).forward(ref, 1);
                for (boolean inPlace : new boolean[] {true, false}) {
                    float[] got = new float[2 * n];
                    try (Fftw.Plan plan = Fftw.complexForward(n, inPlace, Fftw.MEASURE);
                         Fftw.Buffer in = Fftw.allocate(2L * n);
                         Fftw.Buffer out = inPlace ? in : Fftw.allocate(2L * n)) {
                        in.copyFrom(x, 0, x.length);
                        plan.execute(in, out);
                        out.copyTo(got);
                    }
                    double err = relativeRms(got, ref);
                    assertTrue(err < TOLERANCE, "n=" + n + " inPlace=" + inPlace + ": relative RMS " + err);
                }
            }
        }
    }

    @Test
    void realForwardMatchesScalar() {
        try (Kernels scalar = Seqmix.kernels("scalar")) {
            for (int n : SIZES) {
                float[] x = BenchData.uniform(n + 1, n, -1, 1);
                float[] ref = new float[2 * (n / 2 + 1)];
                scalar.fftPlan(n).forwardReal(x, ref, 1);
                float[] got = new float[ref.length];
                try (Fftw.Plan plan = Fftw.realForward(n, Fftw.MEASURE);
                     Fftw.Buffer in = Fftw.allocate(n);
                     Fftw.Buffer out = Fftw.allocate(ref.length)) {
                    in.copyFrom(x, 0, n);
                    plan.execute(in, out);
                    out.copyTo(got);
                    float[] after = new float[n];
                    in.copyTo(after);
                    assertTrue(java.util.Arrays.equals(x, after), "out-of-place r2c must keep its input");
                }
                double err = relativeRms(got, ref);
                assertTrue(err < TOLERANCE, "n=" + n + ": relative RMS " + err);
            }
        }
    }

    @Test
    void manyMatchesScalarBatch() {
        int n = 512;
        int howmany = 7;
        float[] x = BenchData.uniform(3, 2 * n * howmany, -1, 1);
        float[] ref = x.clone();
        try (Kernels scalar = Seqmix.kernels("scalar")) {
            FftPlan p = scalar.fftPlan(n);
            p.forward(ref, howmany);
        }
        float[] got = new float[ref.length];
        try (Fftw.Plan plan = Fftw.complexForwardMany(n, howmany, true, Fftw.MEASURE);
             Fftw.Buffer data = Fftw.allocate(ref.length)) {
            data.copyFrom(x, 0, x.length);
            plan.execute(data, data);
            data.copyTo(got);
        }
        double err = relativeRms(got, ref);
        assertTrue(err < TOLERANCE, "relative RMS " + err);
    }

    @Test
    void planReusedOnFreshBuffersAndMisuseRejected() {
        int n = 64;
        float[] x = BenchData.uniform(9, 2 * n, -1, 1);
        float[] first = new float[2 * n];
        float[] second = new float[2 * n];
        Fftw.Plan plan = Fftw.complexForward(n, true, Fftw.MEASURE);
        try (plan) {
            try (Fftw.Buffer a = Fftw.allocate(2L * n)) {
                a.copyFrom(x, 0, x.length);
                plan.execute(a, a);
                a.copyTo(first);
            }
            Fftw.Buffer b = Fftw.allocate(2L * n);
            b.copyFrom(x, 0, x.length);
            plan.execute(b, b);
            b.copyTo(second);
            assertTrue(java.util.Arrays.equals(first, second), "same plan, new buffer, same result");
            Fftw.Buffer c = Fftw.allocate(2L * n);
            assertThrows(IllegalArgumentException.class, () -> plan.execute(b, c));
            c.close();
            b.close();
            b.close();                                        // idempotent
            assertThrows(IllegalStateException.class, () -> plan.execute(b, b)); // freed: no native access
            try (Fftw.Buffer small = Fftw.allocate(n)) {
                assertThrows(IllegalArgumentException.class, () -> plan.execute(small, small));
            }
        }
        plan.close();                                         // idempotent
        try (Fftw.Buffer d = Fftw.allocate(2L * n)) {
            assertThrows(IllegalStateException.class, () -> plan.execute(d, d));
        }
    }
}
