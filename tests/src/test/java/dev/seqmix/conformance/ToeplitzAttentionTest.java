package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.reference.Attention;
import dev.seqmix.reference.Toeplitz;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Toeplitz products, random features and both attentions against the O(n^2) float64 oracles. */
class ToeplitzAttentionTest {
    /** docs/contract.md#toeplitz-accuracy: relative error below 1e-4 on well-conditioned inputs. */
    static final double REL = 1e-4;

    static Stream<Arguments> toeplitzShapes() {
        int[][] shapes = {{1, 1, 1}, {1, 2, 1}, {2, 3, 2}, {1, 7, 3}, {3, 31, 5}, {1, 63, 4}, {1, 64, 1},
            {2, 65, 3}, {1, 127, 17}, {1, 200, 2}, {2, 257, 9}, {1, 1000, 3}};
        List<Arguments> args = new ArrayList<>();
        for (String backend : Backends.available()) {
            for (int[] s : shapes) {
                args.add(Arguments.of(backend, s[0], s[1], s[2]));
            }
        }
        return args.stream();
    }

    @ParameterizedTest
    @MethodSource("toeplitzShapes")
    void toeplitzMatchesDirectProduct(String backend, int batch, int n, int cols) {
        SplittableRandom rnd = new SplittableRandom(n * 131L + cols);
        float[] coeffs = Data.uniform(rnd, batch * (2 * n - 1), -1, 1);
        float[] x = Data.uniform(rnd, batch * n * cols, -1, 1);
        float[] xCopy = x.clone();
        double[] ref = Toeplitz.multiply(batch, n, cols, coeffs, x);
        try (Kernels k = Backends.open(backend)) {
            float[] y = new float[x.length];
            k.toeplitzMatmul(batch, n, cols, coeffs, x, y);
            double err = Data.relativeError(y, ref);
            assertTrue(err < REL, "toeplitz batch=" + batch + " n=" + n + " cols=" + cols + ": relative error " + err);
            assertArrayEquals(xCopy, x, 0f, "input modified");
        }
    }

    static Stream<Arguments> attentionShapes() {
        List<Arguments> args = new ArrayList<>();
        for (String backend : Backends.available()) {
            for (boolean causal : new boolean[] {false, true}) {
                args.add(Arguments.of(backend, new AttentionShape(1, 1, 1, 1, 1, 1, causal)));
                args.add(Arguments.of(backend, new AttentionShape(1, 5, 1, 3, 2, 4, causal)));
                args.add(Arguments.of(backend, new AttentionShape(2, 13, 3, 8, 5, 7, causal)));
                args.add(Arguments.of(backend, new AttentionShape(1, 64, 2, 16, 3, 9, causal)));
                args.add(Arguments.of(backend, new AttentionShape(1, 67, 2, 16, 4, 8, causal)));
                args.add(Arguments.of(backend, new AttentionShape(1, 150, 1, 4, 1, 3, causal)));
                // an odd number of columns features * (valueDim + 1): a lone last column where they go in pairs
                args.add(Arguments.of(backend, new AttentionShape(2, 41, 2, 4, 2, 3, causal)));
                // more features than two vectors of 16 lanes: simd's denominators take the features as lanes, in blocks
                args.add(Arguments.of(backend, new AttentionShape(1, 70, 2, 5, 3, 37, causal)));
                // a circulant of 2048 rows: past simd's L1 block on every lane count, so the lane FFT's passes over
                // the whole buffer run before and after the blocks
                args.add(Arguments.of(backend, new AttentionShape(1, 521, 1, 2, 2, 3, causal)));
            }
        }
        return args.stream();
    }

    @ParameterizedTest
    @MethodSource("attentionShapes")
    void randomFeaturesMatchOracle(String backend, AttentionShape s) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode());
        float[] x = Data.uniform(rnd, s.keyLength(), -1.5, 1.5);
        float[] w = Data.uniform(rnd, s.projectionLength(), -1.5, 1.5);
        try (Kernels k = Backends.open(backend)) {
            for (boolean queries : new boolean[] {true, false}) {
                double[] ref = Attention.randomFeatures(s.batch(), s.length(), s.heads(), s.keyDim(), s.features(), x, w,
                        queries);
                float[] phi = new float[s.featureLength()];
                k.randomFeatures(s, x, w, queries, phi);
                double err = Data.maxRelative(phi, ref, 1e-6);
                assertTrue(err < 1e-5, "randomFeatures queries=" + queries + " " + s + ": max relative error " + err);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("attentionShapes")
    void rpeAttentionMatchesQuadraticOracle(String backend, AttentionShape s) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode() + 1);
        float[] phiQ = Data.uniform(rnd, s.featureLength(), 0.05, 1);
        float[] phiK = Data.uniform(rnd, s.featureLength(), 0.05, 1);
        float[] v = Data.uniform(rnd, s.valueLength(), -1, 1);
        float[] bias = Data.uniform(rnd, s.biasLength(), -2, 2);
        double[] ref = Attention.rpe(s.batch(), s.length(), s.heads(), s.features(), s.valueDim(), s.causal(),
                phiQ, phiK, v, bias);
        try (Kernels k = Backends.open(backend)) {
            float[] out = new float[s.valueLength()];
            k.rpeAttention(s, phiQ, phiK, v, bias, out);
            double err = Data.relativeError(out, ref);
            assertTrue(err < REL, "rpeAttention " + s + ": relative error " + err);
        }
    }

    @ParameterizedTest
    @MethodSource("attentionShapes")
    void softmaxAttentionMatchesOracle(String backend, AttentionShape s) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode() + 2);
        float[] q = Data.uniform(rnd, s.keyLength(), -2, 2);
        float[] kk = Data.uniform(rnd, s.keyLength(), -2, 2);
        float[] v = Data.uniform(rnd, s.valueLength(), -1, 1);
        float[] bias = Data.uniform(rnd, s.biasLength(), -2, 2);
        double[] ref = Attention.softmax(s.batch(), s.length(), s.heads(), s.keyDim(), s.valueDim(), s.causal(),
                q, kk, v, bias);
        try (Kernels k = Backends.open(backend)) {
            float[] out = new float[s.valueLength()];
            k.softmaxRpeAttention(s, q, kk, v, bias, out);
            double err = Data.relativeError(out, ref);
            assertTrue(err < REL, "softmaxRpeAttention " + s + ": relative error " + err);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void softmaxAcrossManyKeyBlocksWithAGrowingMaximum(String backend) {
        // 601 keys span several of simd's 256-key blocks and end its 4-row query tiles with a lone row; the bias
        // climbs with the key (0.03 per step, about 18 over a row), so a row's maximum grows from block to block and
        // the sums and outputs kept so far must be rescaled each time (an online softmax that skipped it would weigh
        // early blocks up to e^7 too much)
        for (boolean causal : new boolean[] {false, true}) {
            AttentionShape s = new AttentionShape(1, 601, 2, 9, 11, 1, causal);
            SplittableRandom rnd = new SplittableRandom(causal ? 7 : 8);
            float[] q = Data.uniform(rnd, s.keyLength(), -1, 1);
            float[] kk = Data.uniform(rnd, s.keyLength(), -1, 1);
            float[] v = Data.uniform(rnd, s.valueLength(), -1, 1);
            float[] bias = new float[s.biasLength()];
            for (int t = 0; t < bias.length; t++) {
                bias[t] = (float) (0.03 * (t % (2 * s.length() - 1)) + 0.1 * rnd.nextDouble());
            }
            double[] ref = Attention.softmax(s.batch(), s.length(), s.heads(), s.keyDim(), s.valueDim(), s.causal(),
                    q, kk, v, bias);
            try (Kernels k = Backends.open(backend)) {
                float[] out = new float[s.valueLength()];
                k.softmaxRpeAttention(s, q, kk, v, bias, out);
                // every output is a weighted mean of values in [-1, 1]: float rounding over 601 terms stays near 1e-6,
                // so each element, not just the RMS, is held to 1e-5
                for (int i = 0; i < out.length; i++) {
                    assertTrue(Math.abs(out[i] - ref[i]) < 1e-5,
                            "causal=" + causal + " element " + i + ": " + out[i] + " against " + ref[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void softmaxIsStableForLargeScores(String backend) {
        AttentionShape s = new AttentionShape(1, 6, 1, 2, 2, 1, false);
        float[] q = {90, 90, 80, 80, 70, 70, 60, 60, 50, 50, 40, 40};
        float[] kk = q.clone();
        float[] v = Data.uniform(new SplittableRandom(3), s.valueLength(), -1, 1);
        float[] bias = new float[s.biasLength()];
        double[] ref = Attention.softmax(1, 6, 1, 2, 2, false, q, kk, v, bias);
        try (Kernels k = Backends.open(backend)) {
            float[] out = new float[s.valueLength()];
            k.softmaxRpeAttention(s, q, kk, v, bias, out);
            assertTrue(Data.relativeError(out, ref) < REL, "scores near 8000 must not overflow");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void nonPositiveDenominatorGivesZeroRows(String backend) {
        // phiQ . phiK < 0 everywhere: every denominator is negative, so every row must be zeros, never NaN
        for (int n : new int[] {4, 100}) {
            AttentionShape s = new AttentionShape(1, n, 1, 1, 3, 2, false);
            SplittableRandom rnd = new SplittableRandom(n);
            float[] phiQ = Data.uniform(rnd, s.featureLength(), -1, -0.1);
            float[] phiK = Data.uniform(rnd, s.featureLength(), 0.1, 1);
            float[] v = Data.uniform(rnd, s.valueLength(), -1, 1);
            float[] bias = Data.uniform(rnd, s.biasLength(), -1, 1);
            try (Kernels k = Backends.open(backend)) {
                float[] out = new float[s.valueLength()];
                java.util.Arrays.fill(out, Float.NaN);
                k.rpeAttention(s, phiQ, phiK, v, bias, out);
                assertArrayEquals(new float[out.length], out, 0f, "n=" + n);
            }
        }
    }
}
