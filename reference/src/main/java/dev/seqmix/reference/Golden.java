package dev.seqmix.reference;

/**
 * The golden examples of docs/contract.md#golden: small inputs and the outputs every backend must reproduce,
 * exactly as the contract prints them. Each method returns a fresh array, which the caller may change.
 *
 * <p>Shapes are given as plain numbers (this module depends on no other): TaLK with batch = channels = heads = 1,
 * Toeplitz with batch = 1, RPE attention with batch = 1 and one head.
 */
public final class Golden {
    /**
     * Allowed {@code |got - expected| / max(1, |expected|)}, as the contract states it: the expected values are
     * printed to 6-12 digits and are of order 1, so a float32 result is a few ulps (about 1e-7) away; 2e-6 leaves
     * room for other summation orders.
     */
    public static final double TOLERANCE = 2e-6;

    private Golden() {
    }

    // ---------------------------------------------------------------- TaLK (docs/contract.md#golden-talk)

    /** TaLK: steps T of the main example. */
    public static final int TALK_TIME = 6;
    /** TaLK: maxLeft of every example. */
    public static final int TALK_MAX_LEFT = 3;
    /** TaLK: maxRight of the main example, the T=2 and the T=1 examples (the causal one has 0). */
    public static final int TALK_MAX_RIGHT = 2;

    /** {@return x of the main and the causal example, T = 6} */
    public static float[] talkX() {
        return new float[] {1, 2, -1, 3, 0.5f, 4};
    }

    /** {@return left offsets of the main and the causal example} */
    public static float[] talkLeft() {
        return new float[] {0.5f, 1.0f, 0.25f, 0.0f, 0.875f, 0.625f};
    }

    /** {@return right offsets of the main example} */
    public static float[] talkRight() {
        return new float[] {0.5f, 0.75f, 1.0f, 0.25f, 0.125f, 0.375f};
    }

    /** {@return forward output of the main example (maxLeft = 3, maxRight = 2, K = 6)} */
    public static double[] talkOut() {
        return new double[] {0.5, 0.583333333, 0.666666667, 0.541666667, 0.791666667, 1.1875};
    }

    /** {@return gradOut of the main example's backward pass} */
    public static float[] talkGradOut() {
        return new float[] {1, -2, 0.5f, 1.5f, -1, 2};
    }

    /** {@return gradX of the main example} */
    public static double[] talkGradX() {
        return new double[] {-0.166666667, -0.208333333, -0.416666667, 0.291666667, 0.375, 0.291666667};
    }

    /** {@return gradLeft of the main example} */
    public static double[] talkGradLeft() {
        return new double[] {0, 0, 0.5, 0, -1.0, 3.0};
    }

    /** {@return gradRight of the main example} */
    public static double[] talkGradRight() {
        return new double[] {0, -2.0, 0, 0.25, -1.333333333, 0};
    }

    /** {@return forward output of the causal example: maxRight = 0 (K = 4), same x and left} */
    public static double[] talkCausalOut() {
        return new double[] {0.25, 0.75, 0.125, 0.75, 0.9375, 1.78125};
    }

    /** {@return x of the T = 2 example} */
    public static float[] talkT2X() {
        return new float[] {2, 4};
    }

    /** {@return left and right offsets of the T = 2 example (the same values for both)} */
    public static float[] talkT2Offsets() {
        return new float[] {1, 0.5f};
    }

    /** {@return forward output of the T = 2 example} */
    public static double[] talkT2Out() {
        return new double[] {1.0, 1.0};
    }

    /** {@return x of the T = 1 example} */
    public static float[] talkT1X() {
        return new float[] {5};
    }

    /** {@return left and right offsets of the T = 1 example (any value gives the same output)} */
    public static float[] talkT1Offsets() {
        return new float[] {0.5f};
    }

    /** {@return forward output of the T = 1 example: the window clamps to the one element, 5 / K} */
    public static double[] talkT1Out() {
        return new double[] {0.833333};
    }

    // ---------------------------------------------------------------- Toeplitz (docs/contract.md#golden-toeplitz)

    /** Toeplitz: the matrix is n x n with n = 4. */
    public static final int TOEPLITZ_N = 4;
    /** Toeplitz: the number of right-hand sides given. */
    public static final int TOEPLITZ_COLUMNS = 2;

    /** {@return the coefficients, offsets -3..3} */
    public static float[] toeplitzCoeffs() {
        return new float[] {0.5f, 1.5f, 2.0f, 3.0f, -1.0f, 0.25f, 4.0f};
    }

    /**
     * {@return right-hand side {@code column} (0 or 1) as a vector of n}
     *
     * @param column 0 or 1
     */
    public static float[] toeplitzX(int column) {
        return switch (column) {
            case 0 -> new float[] {1, 2, -1, 0.5f};
            case 1 -> new float[] {0.5f, -1, 3, 2};
            default -> throw new IllegalArgumentException("column: expected 0 or 1, got " + column);
        };
    }

    /**
     * {@return the product for right-hand side {@code column} (0 or 1)}
     *
     * @param column 0 or 1
     */
    public static double[] toeplitzY(int column) {
        return switch (column) {
            case 0 -> new double[] {2.75, 9.125, 2.0, 3.0};
            case 1 -> new double[] {11.25, -4.5, 5.75, 10.75};
            default -> throw new IllegalArgumentException("column: expected 0 or 1, got " + column);
        };
    }

    // ---------------------------------------------------------------- RPE attention (docs/contract.md#golden-rpe)

    /** RPE attention: positions n. */
    public static final int RPE_LENGTH = 4;
    /** RPE attention: features per head (phi is given, not computed). */
    public static final int RPE_FEATURES = 2;
    /** RPE attention: size of a value vector. */
    public static final int RPE_VALUE_DIM = 2;

    /** {@return the relative position bias, offsets -3..3} */
    public static float[] rpeBias() {
        return new float[] {-0.3f, 0.1f, 0.4f, 0.9f, 0.2f, -0.5f, 0.0f};
    }

    /** {@return phiQ, {@code [n][features]}} */
    public static float[] rpePhiQ() {
        return new float[] {0.9f, 0.2f, 0.4f, 0.7f, 0.3f, 0.3f, 1.1f, 0.5f};
    }

    /** {@return phiK, {@code [n][features]}} */
    public static float[] rpePhiK() {
        return new float[] {0.5f, 0.8f, 1.0f, 0.1f, 0.2f, 0.6f, 0.7f, 0.7f};
    }

    /** {@return v, {@code [n][valueDim]}} */
    public static float[] rpeV() {
        return new float[] {1, -2, 0.5f, 0, -1, 1, 2, 3};
    }

    /** {@return the output, {@code [n][valueDim]} (non-causal)} */
    public static double[] rpeOut() {
        return new double[] {
            0.956442021227, -0.142269438401, 0.604344788479, -0.075956656875,
            0.549113945645, 0.625299001381, 1.103135510678, 1.386402236165};
    }
}
