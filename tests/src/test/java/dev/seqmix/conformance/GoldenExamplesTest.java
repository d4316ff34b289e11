package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.reference.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden examples of docs/contract.md#golden (inputs and outputs from {@link Golden}), on every backend. */
class GoldenExamplesTest {
    // float32 results of values given to 9 digits: 2e-6 absolute covers the rounding of both
    private static final float TOL = 2e-6f;

    static final float[] X = Golden.talkX();
    static final float[] LEFT = Golden.talkLeft();
    static final float[] RIGHT = Golden.talkRight();

    /** The expected values rounded to float, compared in float as before. */
    private static float[] f(double[] expected) {
        float[] e = new float[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) expected[i];
        }
        return e;
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void talkForwardAndBackward(String backend) {
        try (Kernels k = Backends.open(backend)) {
            TalkShape s = new TalkShape(1, Golden.TALK_TIME, 1, 1, Golden.TALK_MAX_LEFT, Golden.TALK_MAX_RIGHT);
            float[] out = new float[6];
            k.talkForward(s, X, LEFT, RIGHT, out);
            assertArrayEquals(f(Golden.talkOut()), out, TOL);
            float[] gradOut = Golden.talkGradOut();
            float[] gx = new float[6];
            float[] gl = new float[6];
            float[] gr = new float[6];
            k.talkBackward(s, X, LEFT, RIGHT, gradOut, gx, gl, gr);
            assertArrayEquals(f(Golden.talkGradX()), gx, TOL);
            assertArrayEquals(f(Golden.talkGradLeft()), gl, TOL);
            assertArrayEquals(f(Golden.talkGradRight()), gr, TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void talkCausalAndShortSequences(String backend) {
        try (Kernels k = Backends.open(backend)) {
            TalkShape causal = new TalkShape(1, Golden.TALK_TIME, 1, 1, Golden.TALK_MAX_LEFT, 0);
            float[] out = new float[6];
            k.talkForward(causal, X, LEFT, null, out);
            assertArrayEquals(f(Golden.talkCausalOut()), out, TOL);
            // a non-null right is ignored in the causal form
            k.talkForward(causal, X, LEFT, RIGHT, out);
            assertArrayEquals(f(Golden.talkCausalOut()), out, TOL);

            float[] two = new float[2];
            k.talkForward(new TalkShape(1, 2, 1, 1, Golden.TALK_MAX_LEFT, Golden.TALK_MAX_RIGHT), Golden.talkT2X(),
                    Golden.talkT2Offsets(), Golden.talkT2Offsets(), two);
            assertArrayEquals(f(Golden.talkT2Out()), two, TOL);

            float[] one = new float[1];
            k.talkForward(new TalkShape(1, 1, 1, 1, Golden.TALK_MAX_LEFT, Golden.TALK_MAX_RIGHT), Golden.talkT1X(),
                    Golden.talkT1Offsets(), Golden.talkT1Offsets(), one);
            assertArrayEquals(f(Golden.talkT1Out()), one, TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void toeplitz(String backend) {
        try (Kernels k = Backends.open(backend)) {
            int n = Golden.TOEPLITZ_N;
            float[] coeffs = Golden.toeplitzCoeffs();
            float[] y = new float[n];
            k.toeplitzMatmul(1, n, 1, coeffs, Golden.toeplitzX(0), y);
            assertArrayEquals(f(Golden.toeplitzY(0)), y, TOL);
            k.toeplitzMatmul(1, n, 1, coeffs, Golden.toeplitzX(1), y);
            assertArrayEquals(f(Golden.toeplitzY(1)), y, TOL);
            // both columns at once, and twice in a batch with the coefficients repeated
            float[] x2 = new float[2 * n];
            float[] expected = new float[2 * n];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 2; c++) {
                    x2[2 * i + c] = Golden.toeplitzX(c)[i];
                    expected[2 * i + c] = (float) Golden.toeplitzY(c)[i];
                }
            }
            float[] y2 = new float[16];
            float[] c2 = new float[14];
            System.arraycopy(coeffs, 0, c2, 0, 7);
            System.arraycopy(coeffs, 0, c2, 7, 7);
            float[] xx = new float[16];
            System.arraycopy(x2, 0, xx, 0, 8);
            System.arraycopy(x2, 0, xx, 8, 8);
            k.toeplitzMatmul(2, n, 2, c2, xx, y2);
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
            AttentionShape s = new AttentionShape(1, Golden.RPE_LENGTH, 1, 1, Golden.RPE_VALUE_DIM,
                    Golden.RPE_FEATURES, false);
            float[] out = new float[8];
            k.rpeAttention(s, Golden.rpePhiQ(), Golden.rpePhiK(), Golden.rpeV(), Golden.rpeBias(), out);
            assertArrayEquals(f(Golden.rpeOut()), out, TOL);
        }
    }
}
