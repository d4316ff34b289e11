package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden examples of docs/contract.md#golden, on every backend. */
class GoldenExamplesTest {
    // float32 results of values given to 9 digits: 2e-6 absolute covers the rounding of both
    private static final float TOL = 2e-6f;

    static final float[] X = {1, 2, -1, 3, 0.5f, 4};
    static final float[] LEFT = {0.5f, 1.0f, 0.25f, 0.0f, 0.875f, 0.625f};
    static final float[] RIGHT = {0.5f, 0.75f, 1.0f, 0.25f, 0.125f, 0.375f};

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void talkForwardAndBackward(String backend) {
        try (Kernels k = Backends.open(backend)) {
            TalkShape s = new TalkShape(1, 6, 1, 1, 3, 2);
            float[] out = new float[6];
            k.talkForward(s, X, LEFT, RIGHT, out);
            assertArrayEquals(new float[] {0.5f, 0.583333333f, 0.666666667f, 0.541666667f, 0.791666667f, 1.1875f},
                    out, TOL);
            float[] gradOut = {1, -2, 0.5f, 1.5f, -1, 2};
            float[] gx = new float[6];
            float[] gl = new float[6];
            float[] gr = new float[6];
            k.talkBackward(s, X, LEFT, RIGHT, gradOut, gx, gl, gr);
            assertArrayEquals(new float[] {-0.166666667f, -0.208333333f, -0.416666667f, 0.291666667f, 0.375f,
                0.291666667f}, gx, TOL);
            assertArrayEquals(new float[] {0, 0, 0.5f, 0, -1.0f, 3.0f}, gl, TOL);
            assertArrayEquals(new float[] {0, -2.0f, 0, 0.25f, -1.333333333f, 0}, gr, TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void talkCausalAndShortSequences(String backend) {
        try (Kernels k = Backends.open(backend)) {
            float[] out = new float[6];
            k.talkForward(new TalkShape(1, 6, 1, 1, 3, 0), X, LEFT, null, out);
            assertArrayEquals(new float[] {0.25f, 0.75f, 0.125f, 0.75f, 0.9375f, 1.78125f}, out, TOL);
            // a non-null right is ignored in the causal form
            k.talkForward(new TalkShape(1, 6, 1, 1, 3, 0), X, LEFT, RIGHT, out);
            assertArrayEquals(new float[] {0.25f, 0.75f, 0.125f, 0.75f, 0.9375f, 1.78125f}, out, TOL);

            float[] two = new float[2];
            k.talkForward(new TalkShape(1, 2, 1, 1, 3, 2), new float[] {2, 4}, new float[] {1, 0.5f},
                    new float[] {1, 0.5f}, two);
            assertArrayEquals(new float[] {1.0f, 1.0f}, two, TOL);

            float[] one = new float[1];
            k.talkForward(new TalkShape(1, 1, 1, 1, 3, 2), new float[] {5}, new float[] {0.5f}, new float[] {0.5f},
                    one);
            assertArrayEquals(new float[] {0.833333f}, one, TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void toeplitz(String backend) {
        try (Kernels k = Backends.open(backend)) {
            float[] coeffs = {0.5f, 1.5f, 2.0f, 3.0f, -1.0f, 0.25f, 4.0f};
            float[] y = new float[4];
            k.toeplitzMatmul(1, 4, 1, coeffs, new float[] {1, 2, -1, 0.5f}, y);
            assertArrayEquals(new float[] {2.75f, 9.125f, 2.0f, 3.0f}, y, TOL);
            k.toeplitzMatmul(1, 4, 1, coeffs, new float[] {0.5f, -1, 3, 2}, y);
            assertArrayEquals(new float[] {11.25f, -4.5f, 5.75f, 10.75f}, y, TOL);
            // both columns at once, and twice in a batch with the coefficients repeated
            float[] x2 = {1, 0.5f, 2, -1, -1, 3, 0.5f, 2};
            float[] y2 = new float[16];
            float[] c2 = new float[14];
            System.arraycopy(coeffs, 0, c2, 0, 7);
            System.arraycopy(coeffs, 0, c2, 7, 7);
            float[] xx = new float[16];
            System.arraycopy(x2, 0, xx, 0, 8);
            System.arraycopy(x2, 0, xx, 8, 8);
            k.toeplitzMatmul(2, 4, 2, c2, xx, y2);
            float[] expected = {2.75f, 11.25f, 9.125f, -4.5f, 2.0f, 5.75f, 3.0f, 10.75f};
            for (int b = 0; b < 2; b++) {
                float[] part = java.util.Arrays.copyOfRange(y2, 8 * b, 8 * b + 8);
                assertArrayEquals(expected, part, TOL);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void rpeAttention(String backend) {
        try (Kernels k = Backends.open(backend)) {
            AttentionShape s = new AttentionShape(1, 4, 1, 1, 2, 2, false);
            float[] phiQ = {0.9f, 0.2f, 0.4f, 0.7f, 0.3f, 0.3f, 1.1f, 0.5f};
            float[] phiK = {0.5f, 0.8f, 1.0f, 0.1f, 0.2f, 0.6f, 0.7f, 0.7f};
            float[] v = {1, -2, 0.5f, 0, -1, 1, 2, 3};
            float[] bias = {-0.3f, 0.1f, 0.4f, 0.9f, 0.2f, -0.5f, 0.0f};
            float[] out = new float[8];
            k.rpeAttention(s, phiQ, phiK, v, bias, out);
            assertArrayEquals(new float[] {0.956442021227f, -0.142269438401f, 0.604344788479f, -0.075956656875f,
                0.549113945645f, 0.625299001381f, 1.103135510678f, 1.386402236165f}, out, TOL);
        }
    }
}
