package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Devices without fp64 get float-float prefix sums. PoCL has fp64, so the path is forced here: golden
 * example, the long-sequence bound (against the fp64 path) and the stream's bit equality.
 */
class FloatFloatPathTest {

    static OpenClDevice withoutFp64() {
        OpenClDevice d = OpenClFaultsTest.device();
        return new OpenClDevice(d.index(), d.platform(), d.device(), d.platformName(), d.name(), d.version(), d.type(),
                d.maxAlloc(), d.globalMemory(), d.maxWorkGroup(), false, d.hostUnified(),
                d.baseAlign());
    }

    @Test
    void goldenExample() {
        try (OpenClKernels k = new OpenClKernels(withoutFp64())) {
            float[] x = {1, 2, -1, 3, 0.5f, 4};
            float[] left = {0.5f, 1.0f, 0.25f, 0.0f, 0.875f, 0.625f};
            float[] right = {0.5f, 0.75f, 1.0f, 0.25f, 0.125f, 0.375f};
            float[] out = new float[6];
            k.talkForward(new TalkShape(1, 6, 1, 1, 3, 2), x, left, right, out);
            assertArrayEquals(new float[] {0.5f, 0.583333333f, 0.666666667f, 0.541666667f, 0.791666667f, 1.1875f},
                    out, 1e-6f);
        }
    }

    @Test
    void longSequenceMatchesTheFp64Path() {
        int t = 1 << 20;
        SplittableRandom rnd = new SplittableRandom(20);
        float[] x = new float[t];
        float[] left = new float[t];
        float[] right = new float[t];
        for (int i = 0; i < t; i++) {
            x[i] = (float) (1000 + rnd.nextDouble(-1, 1));
            left[i] = (float) rnd.nextDouble();
            right[i] = (float) rnd.nextDouble();
        }
        TalkShape s = new TalkShape(1, t, 1, 1, 31, 31);
        float[] ff = new float[t];
        float[] dd = new float[t];
        try (OpenClKernels k = new OpenClKernels(withoutFp64())) {
            k.talkForward(s, x, left, right, ff);
        }
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device())) {
            k.talkForward(s, x, left, right, dd);
        }
        double worst = 0;
        for (int i = 0; i < t; i++) {
            worst = Math.max(worst, Math.abs(ff[i] - dd[i]) / Math.abs(dd[i]));
        }
        assertTrue(worst <= 1e-5, "float-float TaLK: max relative difference " + worst);
    }

    @Test
    void streamGivesTheForwardBits() {
        int time = 200;
        int channels = 4;
        TalkShape s = new TalkShape(2, time, channels, 2, 17, 0);
        SplittableRandom rnd = new SplittableRandom(7);
        float[] x = new float[s.sequenceLength()];
        float[] left = new float[s.offsetLength()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < left.length; i++) {
            left[i] = i % 7 == 0 ? 1f : (float) rnd.nextDouble();
        }
        try (OpenClKernels k = new OpenClKernels(withoutFp64())) {
            float[] full = new float[x.length];
            k.talkForward(s, x, left, null, full);
            TalkStream stream = k.talkStream(s);
            for (int t = 0; t < time; t++) {
                float[] xt = new float[2 * channels];
                float[] lt = new float[2 * 2];
                float[] want = new float[2 * channels];
                for (int b = 0; b < 2; b++) {
                    System.arraycopy(x, (b * time + t) * channels, xt, b * channels, channels);
                    System.arraycopy(left, (b * time + t) * 2, lt, b * 2, 2);
                    System.arraycopy(full, (b * time + t) * channels, want, b * channels, channels);
                }
                float[] out = new float[2 * channels];
                stream.step(xt, lt, out);
                assertArrayEquals(want, out, 0f, "step " + t);
            }
        }
    }
}
