package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.reference.Scan;
import dev.seqmix.reference.Talk;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** TaLK forward, backward and scan against the float64 oracles, on random inputs of many shapes. */
class TalkConformanceTest {
    /*
     * Tolerance: a float result carries rounding errors proportional to the sum of |x| over its window
     * (one rounding per term at most), so the bound is relative to that sum. 1e-5 leaves room for
     * float32 prefix sums kept block-locally (docs/contract.md#talk-accuracy) while catching any wrong weight,
     * which is off by at least 1e-3 of the window.
     */
    static final double REL = 1e-5;

    /** batch, time, channels, heads, maxLeft, maxRight: ones, primes, odd channels, heads > 1, long windows, wide heads. */
    static Stream<Arguments> shapes() {
        int[][] shapes = {
            {1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 3, 2}, {1, 2, 1, 1, 3, 2}, {1, 7, 3, 1, 2, 2}, {2, 13, 5, 1, 4, 3},
            {3, 31, 6, 2, 5, 1}, {1, 97, 17, 1, 7, 7}, {2, 61, 12, 4, 31, 31}, {1, 130, 33, 3, 16, 0},
            {1, 257, 8, 8, 1, 1}, {2, 5, 24, 3, 40, 40}, {1, 19, 35, 5, 0, 3},
            {2, 40, 260, 2, 3, 2}, // 130 channels per head: offset gradients summed over more than 64 parts
        };
        List<Arguments> args = new ArrayList<>();
        for (String backend : Backends.available()) {
            for (int[] s : shapes) {
                args.add(Arguments.of(backend, new TalkShape(s[0], s[1], s[2], s[3], s[4], s[5])));
            }
        }
        return args.stream();
    }

    /**
     * Offsets: uniform in [0, 2.5) (training offsets exceed 1), with every fifth one snapped so that its
     * position lands exactly on an integer, and a few exactly 0 or 1.
     */
    static float[] offsets(SplittableRandom rnd, int n, int max) {
        float[] a = Data.uniform(rnd, n, 0, 2.5);
        for (int i = 0; i < n; i++) {
            switch (i % 7) {
                case 2 -> a[i] = max == 0 ? a[i] : (float) rnd.nextInt(0, 2 * max + 1) / max;
                case 4 -> a[i] = 0f;
                case 6 -> a[i] = 1f;
                default -> {
                }
            }
        }
        return a;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardMatchesDirectWindowSums(String backend, TalkShape s) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode());
        float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
        float[] left = offsets(rnd, s.offsetLength(), s.maxLeft());
        float[] right = s.causal() ? null : offsets(rnd, s.offsetLength(), s.maxRight());
        double[] scale = new double[x.length];
        double[] ref = Talk.forward(s.batch(), s.time(), s.channels(), s.heads(), s.maxLeft(), s.maxRight(), x,
                Data.widen(left), Data.widen(right), scale);
        try (Kernels k = Backends.open(backend)) {
            float[] out = new float[x.length];
            k.talkForward(s, x, left, right, out);
            Data.assertClose("talkForward " + s, out, ref, scale, REL, 1e-7);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void backwardMatchesAdjointAndFiniteDifferences(String backend, TalkShape s) {
        SplittableRandom rnd = new SplittableRandom(31L * s.hashCode() + 7);
        float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
        // offsets away from integer positions, so that the finite differences are well defined
        float[] left = Data.uniform(rnd, s.offsetLength(), 0.05, 1.9);
        float[] right = s.causal() ? null : Data.uniform(rnd, s.offsetLength(), 0.05, 1.9);
        float[] gradOut = Data.uniform(rnd, s.sequenceLength(), -1, 1);
        float[] gx = new float[x.length];
        float[] gl = new float[s.offsetLength()];
        float[] gr = new float[s.offsetLength()];
        java.util.Arrays.fill(gr, 42f); // must be overwritten (zeros when causal)
        try (Kernels k = Backends.open(backend)) {
            k.talkBackward(s, x, left, right, gradOut, gx, gl, gr);
        }
        double[] dl = Data.widen(left);
        double[] dr = Data.widen(right);
        assertGradX("gradX " + s, s, dl, dr, gradOut, gx);

        // offset gradients: central differences of sum(gradOut * out) in double
        checkOffsetGradient(s, x, dl, dr, gradOut, gl, true);
        if (s.causal()) {
            for (float g : gr) {
                assertEquals(0f, g, "gradRight of a causal shape must be zero");
            }
        } else {
            checkOffsetGradient(s, x, dl, dr, gradOut, gr, false);
        }
    }

    /** gradX against the float64 adjoint, each element within REL of the same sum over |gradOut|. */
    private static void assertGradX(String what, TalkShape s, double[] left, double[] right, float[] gradOut,
                                    float[] gx) {
        double[] ref = Talk.gradX(s.batch(), s.time(), s.channels(), s.heads(), s.maxLeft(), s.maxRight(), left,
                right, gradOut);
        float[] absGrad = new float[gradOut.length];
        for (int i = 0; i < absGrad.length; i++) {
            absGrad[i] = Math.abs(gradOut[i]);
        }
        double[] scale = Talk.gradX(s.batch(), s.time(), s.channels(), s.heads(), s.maxLeft(), s.maxRight(), left,
                right, absGrad);
        Data.assertClose(what, gx, ref, scale, REL, 1e-7);
    }

    private static void checkOffsetGradient(TalkShape s, float[] x, double[] left, double[] right, float[] gradOut,
                                            float[] got, boolean isLeft) {
        double h = 1e-6;
        int hc = s.headChannels();
        for (int i = 0; i < got.length; i++) {
            double[] plus = (isLeft ? left : right).clone();
            double[] minus = (isLeft ? left : right).clone();
            plus[i] += h;
            minus[i] -= h;
            double lp = Talk.loss(s.batch(), s.time(), s.channels(), s.heads(), s.maxLeft(), s.maxRight(), x,
                    isLeft ? plus : left, isLeft ? right : plus, gradOut);
            double lm = Talk.loss(s.batch(), s.time(), s.channels(), s.heads(), s.maxLeft(), s.maxRight(), x,
                    isLeft ? minus : left, isLeft ? right : minus, gradOut);
            double fd = (lp - lm) / (2 * h);
            // the derivative is a sum over a head's channels of max * x * g / K; float rounding of each term
            double scale = (double) (isLeft ? s.maxLeft() : s.maxRight()) * hc / s.windowSize();
            double err = Math.abs(got[i] - fd);
            assertTrue(err <= 1e-5 * scale + 1e-6,
                    (isLeft ? "gradLeft" : "gradRight") + "[" + i + "] of " + s + " is " + got[i]
                            + ", finite differences give " + fd);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void scanMatchesOracle(String backend, TalkShape s) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode() + 3);
        int b = s.batch();
        int t = s.time();
        int c = s.channels();
        float[] x = Data.uniform(rnd, b * t * c, -1, 1);
        float[] copy = x.clone();
        try (Kernels k = Backends.open(backend)) {
            for (boolean reverse : new boolean[] {false, true}) {
                double[] ref = Scan.cumsum(b, t, c, x, reverse);
                double[] scale = Scan.cumsum(b, t, c, abs(x), reverse);
                float[] out = new float[x.length];
                if (reverse) {
                    k.cumsumReverse(b, t, c, x, out);
                } else {
                    k.cumsum(b, t, c, x, out);
                }
                assertArrayEquals(copy, x, "input modified");
                // float sums of up to t terms: error grows like t * eps * sum|x| in the worst case
                Data.assertClose("cumsum " + s, out, ref, scale, 1e-7 * Math.max(8, t), 0);
                // in place
                float[] inPlace = x.clone();
                if (reverse) {
                    k.cumsumReverse(b, t, c, inPlace, inPlace);
                } else {
                    k.cumsum(b, t, c, inPlace, inPlace);
                }
                assertArrayEquals(out, inPlace, 0f, "in-place result differs");
            }
        }
    }

    private static float[] abs(float[] x) {
        float[] a = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = Math.abs(x[i]);
        }
        return a;
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void windowsReachingTheirFullExtent(String backend) {
        // every offset at its largest: each window reaches exactly maxLeft back and maxRight ahead, or a
        // whole offset of 2 twice as far (backends that keep only the reachable prefix must keep enough)
        for (float offset : new float[] {1f, 2f}) {
            TalkShape s = new TalkShape(2, 150, 6, 2, 15, 7); // 2 * 15 + 2 = 32: a full ring
            SplittableRandom rnd = new SplittableRandom(17);
            float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
            float[] left = new float[s.offsetLength()];
            float[] right = new float[s.offsetLength()];
            java.util.Arrays.fill(left, offset);
            java.util.Arrays.fill(right, offset);
            double[] scale = new double[x.length];
            double[] ref = Talk.forward(2, 150, 6, 2, 15, 7, x, Data.widen(left), Data.widen(right), scale);
            try (Kernels k = Backends.open(backend)) {
                float[] out = new float[x.length];
                k.talkForward(s, x, left, right, out);
                Data.assertClose("talkForward with offsets " + offset, out, ref, scale, REL, 1e-7);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void negativeOffsetsFollowTheFormula(String backend) {
        // offsets are not clamped: a negative left offset moves lo to the right of t; positions are still clamped
        TalkShape s = new TalkShape(1, 9, 2, 1, 3, 3);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
        float[] left = Data.uniform(rnd, s.offsetLength(), -0.3, 0);
        float[] right = Data.uniform(rnd, s.offsetLength(), 0.5, 4);
        double[] scale = new double[x.length];
        double[] ref = Talk.forward(1, 9, 2, 1, 3, 3, x, Data.widen(left), Data.widen(right), scale);
        try (Kernels k = Backends.open(backend)) {
            float[] out = new float[x.length];
            k.talkForward(s, x, left, right, out);
            Data.assertClose("talkForward with negative left offsets", out, ref, scale, REL, 1e-7);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void windowsLongerThanABlockAndReversedWindows(String backend) {
        // over a length far past a restarted prefix's block (simd restarts every 64 steps here), with 13 channels
        // (a tail shorter than a vector): offsets in [0, 3] give windows of up to 93 steps, which cross several
        // block boundaries; constant offsets of -0.8 / maxLeft and -0.1 / maxRight put lo 0.9 steps after hi at
        // every step, a reversed window (P[fr+1] - P[cl] with fr + 1 <= cl) that still overlaps [lo - 1, hi]
        // (where the contract's two forms of the formula agree), and make it straddle every block boundary
        TalkShape s = new TalkShape(2, 997, 13, 1, 20, 11);
        SplittableRandom rnd = new SplittableRandom(23);
        float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
        float[][][] offsets = {
            {Data.uniform(rnd, s.offsetLength(), 0, 3), Data.uniform(rnd, s.offsetLength(), 0, 3)},
            {new float[s.offsetLength()], new float[s.offsetLength()]}};
        java.util.Arrays.fill(offsets[1][0], -0.8f / 20);
        java.util.Arrays.fill(offsets[1][1], -0.1f / 11);
        for (float[][] o : offsets) {
            double[] scale = new double[x.length];
            double[] ref = Talk.forward(2, 997, 13, 1, 20, 11, x, Data.widen(o[0]), Data.widen(o[1]), scale);
            try (Kernels k = Backends.open(backend)) {
                float[] out = new float[x.length];
                k.talkForward(s, x, o[0], o[1], out);
                Data.assertClose("talkForward, left offsets from " + o[0][0], out, ref, scale, REL, 1e-7);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void gradXOverManyBlocksWithFarReachingOffsets(String backend) {
        // backends that cut gradX into time blocks must find every window with an edge in a block: offsets in
        // [-1, 3] put edges up to 3 * maxLeft steps before or maxLeft after their step, and one offset of 1e4
        // (clamped to the sequence's start) reaches from the end to the start
        TalkShape s = new TalkShape(2, 997, 13, 1, 20, 11);
        SplittableRandom rnd = new SplittableRandom(29);
        float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
        float[] gradOut = Data.uniform(rnd, s.sequenceLength(), -1, 1);
        float[] left = Data.uniform(rnd, s.offsetLength(), -1, 3);
        float[] right = Data.uniform(rnd, s.offsetLength(), -1, 3);
        for (float far : new float[] {0f, 1e4f}) {
            left[s.offsetLength() - 1] = far == 0f ? left[0] : far;
            try (Kernels k = Backends.open(backend)) {
                float[] gx = new float[x.length];
                k.talkBackward(s, x, left, right, gradOut, gx, new float[s.offsetLength()],
                        new float[s.offsetLength()]);
                assertGradX("gradX, the last left offset " + left[s.offsetLength() - 1], s, Data.widen(left),
                        Data.widen(right), gradOut, gx);
            }
        }
    }
}
