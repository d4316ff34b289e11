package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The stream gives exactly the rows of the causal forward pass, step by step. */
class TalkStreamTest {

    static float[] row(float[] a, int time, int width, int t, int batch) {
        float[] r = new float[batch * width];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(a, (b * time + t) * width, r, b * width, width);
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void streamEqualsCausalForward(String backend) {
        // the last two run 300 steps: past several restarts of a blocked prefix (opencl: every 64 steps); the
        // last with spikes of 1e12 among values of 1, so that the order of the prefix's additions shows in the
        // float results even when the sums are kept in double
        // 26 and 32 channels in 2 heads: 13 and 16 a head, whole vectors with and without a tail
        int[][] shapes = {{1, 1, 1, 0}, {1, 3, 1, 1}, {2, 6, 2, 5}, {3, 7, 7, 31}, {1, 16, 4, 64}, {1, 26, 2, 7},
            {2, 32, 2, 9}, {2, 5, 5, 3, 300}, {2, 5, 5, 3, 300, 1}};
        for (int[] d : shapes) {
            int batch = d[0];
            int channels = d[1];
            int heads = d[2];
            int maxLeft = d[3];
            int time = d.length > 4 ? d[4] : 3 * maxLeft + 11;
            TalkShape s = new TalkShape(batch, time, channels, heads, maxLeft, 0);
            SplittableRandom rnd = new SplittableRandom(time);
            float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
            for (int i = 0; d.length > 5 && i < x.length; i += 37) {
                x[i] = i % 2 == 0 ? 1e12f : -1e12f;
            }
            float[] left = Data.uniform(rnd, s.offsetLength(), 0, 1);
            for (int i = 0; i < left.length; i += 5) {
                left[i] = (i / 5) % 2 == 0 ? 0f : 1f; // the ends of [0, 1], and integer positions
            }
            try (Kernels k = Backends.open(backend)) {
                float[] full = new float[x.length];
                k.talkForward(s, x, left, null, full);
                TalkStream stream = k.talkStream(new TalkShape(batch, 1, channels, heads, maxLeft, 0));
                for (int pass = 0; pass < 2; pass++) {
                    for (int t = 0; t < time; t++) {
                        float[] out = new float[batch * channels];
                        stream.step(row(x, time, channels, t, batch), row(left, time, heads, t, batch), out);
                        assertArrayEquals(row(full, time, channels, t, batch), out, 0f,
                                "step " + t + " of " + s + " (pass " + pass + ")");
                    }
                    stream.reset();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void segmentStepsEqualArraySteps(String backend) {
        TalkShape s = new TalkShape(2, 1, 6, 3, 4, 0);
        SplittableRandom rnd = new SplittableRandom(11);
        try (Kernels k = Backends.open(backend); Arena arena = Arena.ofConfined()) {
            TalkStream a = k.talkStream(s);
            TalkStream b = k.talkStream(s);
            MemorySegment xs = arena.allocate(4L * 12);
            MemorySegment ls = arena.allocate(4L * 6);
            MemorySegment os = arena.allocate(4L * 12);
            for (int t = 0; t < 20; t++) {
                float[] x = Data.uniform(rnd, 12, -1, 1);
                float[] l = Data.uniform(rnd, 6, 0, 1);
                float[] out = new float[12];
                a.step(x, l, out);
                MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_FLOAT, 0, 12);
                MemorySegment.copy(l, 0, ls, ValueLayout.JAVA_FLOAT, 0, 6);
                b.step(xs, ls, os);
                assertArrayEquals(out, os.toArray(ValueLayout.JAVA_FLOAT), 0f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void streamRejectsOffsetsOutsideUnitInterval(String backend) {
        try (Kernels k = Backends.open(backend)) {
            TalkStream stream = k.talkStream(new TalkShape(1, 1, 2, 1, 3, 0));
            for (float bad : new float[] {1.0001f, -0.01f, Float.NaN, Float.POSITIVE_INFINITY}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> stream.step(new float[2], new float[] {bad}, new float[2]));
                assertTrue(e.getMessage().contains("leftT"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> k.talkStream(new TalkShape(1, 1, 2, 1, 3, 1)));
        }
    }
}
