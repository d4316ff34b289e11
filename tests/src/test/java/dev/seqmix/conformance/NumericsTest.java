package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.reference.Talk;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/contract.md#talk-accuracy, long sequences: T = 2^20, x = 1000 + u (u uniform in [-1, 1]), offsets uniform in
 * [0, 1], maxLeft = maxRight = 31; every element within 1e-5 relative of the float64 oracle, forward and
 * stream. A float32 summed-area table misses this by about 100x.
 */
class NumericsTest {
    static final int T = 1 << 20;

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void longSequenceWindowSums(String backend) {
        SplittableRandom rnd = new SplittableRandom(20);
        float[] x = Data.uniform(rnd, T, 999, 1001);
        float[] left = Data.uniform(rnd, T, 0, 1);
        float[] right = Data.uniform(rnd, T, 0, 1);
        try (Kernels k = Backends.open(backend)) {
            TalkShape s = new TalkShape(1, T, 1, 1, 31, 31);
            float[] out = new float[T];
            k.talkForward(s, x, left, right, out);
            double[] ref = Talk.forward(1, T, 1, 1, 31, 31, x, Data.widen(left), Data.widen(right), null);
            double worst = Data.maxRelative(out, ref, 0);
            assertTrue(worst <= 1e-5, "long-sequence TaLK: max relative error " + worst);

            TalkShape causal = new TalkShape(1, T, 1, 1, 31, 0);
            k.talkForward(causal, x, left, null, out);
            double[] causalRef = Talk.forward(1, T, 1, 1, 31, 0, x, Data.widen(left), null, null);
            worst = Data.maxRelative(out, causalRef, 0);
            assertTrue(worst <= 1e-5, "long-sequence causal TaLK: max relative error " + worst);

            TalkStream stream = k.talkStream(causal);
            float[] xt = new float[1];
            float[] lt = new float[1];
            float[] ot = new float[1];
            double streamWorst = 0;
            for (int t = 0; t < T; t++) {
                xt[0] = x[t];
                lt[0] = left[t];
                stream.step(xt, lt, ot);
                streamWorst = Math.max(streamWorst, Math.abs(ot[0] - causalRef[t]) / Math.abs(causalRef[t]));
            }
            assertTrue(streamWorst <= 1e-5, "long-sequence TalkStream: max relative error " + streamWorst);
        }
    }
}
