package dev.seqmix.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reference's own operations reproduce the contract's golden examples. */
class GoldenTest {

    private static void assertGolden(String what, double[] expected, double[] got) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(got[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
            assertTrue(err <= Golden.TOLERANCE, what + "[" + i + "] = " + got[i] + ", expected " + expected[i]);
        }
    }

    private static double[] plain(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    @Test
    void talk() {
        int t = Golden.TALK_TIME;
        int ml = Golden.TALK_MAX_LEFT;
        int mr = Golden.TALK_MAX_RIGHT;
        double[] left = plain(Golden.talkLeft());
        double[] right = plain(Golden.talkRight());
        assertGolden("forward", Golden.talkOut(), Talk.forward(1, t, 1, 1, ml, mr, Golden.talkX(), left, right, null));
        assertGolden("gradX", Golden.talkGradX(),
                Talk.gradX(1, t, 1, 1, ml, mr, left, right, Golden.talkGradOut()));
        assertGolden("causal", Golden.talkCausalOut(),
                Talk.forward(1, t, 1, 1, ml, 0, Golden.talkX(), left, null, null));
        double[] two = plain(Golden.talkT2Offsets());
        assertGolden("T=2", Golden.talkT2Out(), Talk.forward(1, 2, 1, 1, ml, mr, Golden.talkT2X(), two, two, null));
        double[] one = plain(Golden.talkT1Offsets());
        assertGolden("T=1", Golden.talkT1Out(), Talk.forward(1, 1, 1, 1, ml, mr, Golden.talkT1X(), one, one, null));
    }

    @Test
    void toeplitz() {
        for (int c = 0; c < Golden.TOEPLITZ_COLUMNS; c++) {
            assertGolden("column " + c, Golden.toeplitzY(c),
                    Toeplitz.multiply(1, Golden.TOEPLITZ_N, 1, Golden.toeplitzCoeffs(), Golden.toeplitzX(c)));
        }
    }

    @Test
    void rpeAttention() {
        assertGolden("rpe", Golden.rpeOut(), Attention.rpe(1, Golden.RPE_LENGTH, 1, Golden.RPE_FEATURES,
                Golden.RPE_VALUE_DIM, false, Golden.rpePhiQ(), Golden.rpePhiK(), Golden.rpeV(), Golden.rpeBias()));
    }
}
