package dev.seqmix.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.TalkShape;
import org.junit.jupiter.api.Test;

/** The benchmarks' direct baselines compute what the kernels compute (else the ratios mean nothing). */
class BaselinesTest {
    private static double maxRelative(float[] got, float[] ref) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            worst = Math.max(worst, Math.abs(got[i] - ref[i]));
        }
        return worst / scale;
    }

    @Test
    void directTalkLoopMatchesTalkForward() {
        for (TalkShape s : new TalkShape[] {new TalkShape(2, 100, 16, 4, 7, 5), new TalkShape(1, 40, 8, 2, 6, 0),
            new TalkShape(1, 3, 4, 1, 31, 31)}) {
            float[] x = BenchData.uniform(1, s.sequenceLength(), -1, 1);
            float[] left = BenchData.uniform(2, s.offsetLength(), 0, 1.3);
            float[] right = s.causal() ? null : BenchData.uniform(3, s.offsetLength(), 0, 1.3);
            float[] direct = new float[s.sequenceLength()];
            float[] kernel = new float[s.sequenceLength()];
            BenchData.talkForwardDirect(s, x, left, right, direct);
            try (Kernels k = Seqmix.kernels("scalar")) {
                k.talkForward(s, x, left, right, kernel);
            }
            double err = maxRelative(direct, kernel);
            assertTrue(err < 1e-5, s + ": " + err);
        }
    }

    @Test
    void directToeplitzMatchesToeplitzMatmul() {
        for (int n : new int[] {1, 5, 64, 65, 130}) {
            int cols = 7;
            float[] coeffs = BenchData.uniform(1, 2 * (2 * n - 1), -1, 1);
            float[] x = BenchData.uniform(2, 2 * n * cols, -1, 1);
            float[] direct = new float[2 * n * cols];
            float[] kernel = new float[2 * n * cols];
            BenchData.toeplitzDirect(2, n, cols, coeffs, x, direct);
            try (Kernels k = Seqmix.kernels("scalar")) {
                k.toeplitzMatmul(2, n, cols, coeffs, x, kernel);
            }
            double err = maxRelative(direct, kernel);
            assertTrue(err < 1e-5, "n=" + n + ": " + err);
        }
    }
}
