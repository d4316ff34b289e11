package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.reference.Talk;
import dev.seqmix.reference.Toeplitz;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Property-based sweeps (jqwik) over shapes and seeds, on every available backend. */
class PropertySweepsTest {

    @Property(tries = 60)
    void talkForwardMatchesOracle(@ForAll @IntRange(min = 1, max = 3) int batch,
                                  @ForAll @IntRange(min = 1, max = 90) int time,
                                  @ForAll @IntRange(min = 1, max = 4) int heads,
                                  @ForAll @IntRange(min = 1, max = 5) int perHead,
                                  @ForAll @IntRange(min = 0, max = 40) int maxLeft,
                                  @ForAll @IntRange(min = 0, max = 40) int maxRight,
                                  @ForAll long seed) {
        TalkShape s = new TalkShape(batch, time, heads * perHead, heads, maxLeft, maxRight);
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = Data.uniform(rnd, s.sequenceLength(), -3, 3);
        float[] left = Data.uniform(rnd, s.offsetLength(), 0, 3);
        float[] right = s.causal() ? null : Data.uniform(rnd, s.offsetLength(), 0, 3);
        double[] scale = new double[x.length];
        double[] ref = Talk.forward(batch, time, s.channels(), heads, maxLeft, maxRight, x, Data.widen(left),
                Data.widen(right), scale);
        for (String backend : Backends.available()) {
            try (Kernels k = Backends.open(backend)) {
                float[] out = new float[x.length];
                k.talkForward(s, x, left, right, out);
                Data.assertClose(backend + " talkForward " + s, out, ref, scale, TalkConformanceTest.REL, 1e-7);
            }
        }
    }

    @Property(tries = 60)
    void fftRoundTripAndParseval(@ForAll @IntRange(min = 1, max = 3000) int n,
                                 @ForAll @IntRange(min = 1, max = 3) int batch,
                                 @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = Data.uniform(rnd, 2 * n * batch, -1, 1);
        for (String backend : Backends.available()) {
            try (Kernels k = Backends.open(backend)) {
                FftPlan p = k.fftPlan(n);
                float[] d = x.clone();
                p.forward(d, batch);
                // Parseval: sum |X|^2 = n sum |x|^2
                double ex = 0;
                double eX = 0;
                for (int i = 0; i < x.length; i++) {
                    ex += (double) x[i] * x[i];
                    eX += (double) d[i] * d[i];
                }
                assertTrue(Math.abs(eX / n - ex) <= 1e-5 * ex, backend + " Parseval n=" + n);
                p.inverse(d, batch);
                double err = Data.relativeRms(d, Data.widen(x));
                assertTrue(err <= 2 * FftConformanceTest.RMS, backend + " round trip n=" + n + ": " + err);
            }
        }
    }

    @Property(tries = 40)
    void toeplitzMatchesOracle(@ForAll @IntRange(min = 1, max = 300) int n,
                               @ForAll @IntRange(min = 1, max = 6) int cols,
                               @ForAll @IntRange(min = 1, max = 2) int batch,
                               @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] coeffs = Data.uniform(rnd, batch * (2 * n - 1), -1, 1);
        float[] x = Data.uniform(rnd, batch * n * cols, -1, 1);
        double[] ref = Toeplitz.multiply(batch, n, cols, coeffs, x);
        for (String backend : Backends.available()) {
            try (Kernels k = Backends.open(backend)) {
                float[] y = new float[x.length];
                k.toeplitzMatmul(batch, n, cols, coeffs, x, y);
                double err = Data.relativeError(y, ref);
                assertTrue(err < ToeplitzAttentionTest.REL, backend + " toeplitz n=" + n + ": " + err);
            }
        }
    }
}
