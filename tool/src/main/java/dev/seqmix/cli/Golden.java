package dev.seqmix.cli;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden examples of docs/contract.md#golden, in one place for the command-line tool (the tests module
 * keeps its own copy for the conformance suite). Every backend must reproduce them.
 */
public final class Golden {
    /**
     * Allowed {@code |got - expected| / max(1, |expected|)}: the expected values are printed to 9-12 digits and
     * are of order 1, so a float32 result is a few ulps (~1e-7) away; 2e-6 leaves room for other summation orders
     * (the conformance suite uses the same bound).
     */
    public static final double TOLERANCE = 2e-6;

    private Golden() {
    }

    // ---------------------------------------------------------------- TaLK, T=6, B=C=H=1, maxLeft=3, maxRight=2

    public static final TalkShape TALK_SHAPE = new TalkShape(1, 6, 1, 1, 3, 2);
    public static final float[] TALK_X = {1, 2, -1, 3, 0.5f, 4};
    public static final float[] TALK_LEFT = {0.5f, 1.0f, 0.25f, 0.0f, 0.875f, 0.625f};
    public static final float[] TALK_RIGHT = {0.5f, 0.75f, 1.0f, 0.25f, 0.125f, 0.375f};
    public static final double[] TALK_OUT = {0.5, 0.583333333, 0.666666667, 0.541666667, 0.791666667, 1.1875};
    public static final float[] TALK_GRAD_OUT = {1, -2, 0.5f, 1.5f, -1, 2};
    public static final double[] TALK_GRAD_X =
            {-0.166666667, -0.208333333, -0.416666667, 0.291666667, 0.375, 0.291666667};
    public static final double[] TALK_GRAD_LEFT = {0, 0, 0.5, 0, -1.0, 3.0};
    public static final double[] TALK_GRAD_RIGHT = {0, -2.0, 0, 0.25, -1.333333333, 0};

    /** Causal form: maxRight = 0 (K = 4), same x and left. */
    public static final TalkShape TALK_CAUSAL_SHAPE = new TalkShape(1, 6, 1, 1, 3, 0);
    public static final double[] TALK_CAUSAL_OUT = {0.25, 0.75, 0.125, 0.75, 0.9375, 1.78125};

    /** T=2, x=[2,4], left=right=[1,0.5], maxLeft=3, maxRight=2. */
    public static final TalkShape TALK_T2_SHAPE = new TalkShape(1, 2, 1, 1, 3, 2);
    public static final float[] TALK_T2_X = {2, 4};
    public static final float[] TALK_T2_OFFSETS = {1, 0.5f};
    public static final double[] TALK_T2_OUT = {1.0, 1.0};

    /** T=1, x=[5]: the window is clamped to the one element whatever the offsets; 5 / K = 5/6. */
    public static final TalkShape TALK_T1_SHAPE = new TalkShape(1, 1, 1, 1, 3, 2);
    public static final float[] TALK_T1_X = {5};
    public static final float[] TALK_T1_OFFSETS = {0.5f};
    public static final double[] TALK_T1_OUT = {0.833333333};

    // ---------------------------------------------------------------- Toeplitz, n=4, offsets -3..3

    public static final int TOEPLITZ_N = 4;
    public static final float[] TOEPLITZ_COEFFS = {0.5f, 1.5f, 2.0f, 3.0f, -1.0f, 0.25f, 4.0f};
    /** Two independent right-hand sides, as columns 0 and 1 of one n x 2 matrix. */
    public static final float[][] TOEPLITZ_X = {{1, 2, -1, 0.5f}, {0.5f, -1, 3, 2}};
    public static final double[][] TOEPLITZ_Y = {{2.75, 9.125, 2.0, 3.0}, {11.25, -4.5, 5.75, 10.75}};

    // ---------------------------------------------------------------- RPE attention, n=4, one head

    public static final AttentionShape RPE_SHAPE = new AttentionShape(1, 4, 1, 2, 2, 2, false);
    public static final float[] RPE_BIAS = {-0.3f, 0.1f, 0.4f, 0.9f, 0.2f, -0.5f, 0.0f};
    public static final float[] RPE_PHI_Q = {0.9f, 0.2f, 0.4f, 0.7f, 0.3f, 0.3f, 1.1f, 0.5f};
    public static final float[] RPE_PHI_K = {0.5f, 0.8f, 1.0f, 0.1f, 0.2f, 0.6f, 0.7f, 0.7f};
    public static final float[] RPE_V = {1, -2, 0.5f, 0, -1, 1, 2, 3};
    public static final double[] RPE_OUT = {
        0.956442021227, -0.142269438401, 0.604344788479, -0.075956656875,
        0.549113945645, 0.625299001381, 1.103135510678, 1.386402236165};

    /** One golden comparison: what was computed, its largest error, and whether it is within tolerance. */
    public record Check(String name, double maxError, boolean ok, String detail) {
    }

    /** The TaLK examples: forward, backward, causal forward, causal stream, T=2 and T=1. */
    public static List<Check> checkTalk(Kernels k) {
        List<Check> checks = new ArrayList<>();
        checks.add(run("talkForward T=6", () -> {
            float[] out = new float[6];
            k.talkForward(TALK_SHAPE, TALK_X.clone(), TALK_LEFT.clone(), TALK_RIGHT.clone(), out);
            return compare("talkForward T=6", out, TALK_OUT);
        }));
        checks.add(run("talkBackward T=6", () -> {
            float[] gx = new float[6];
            float[] gl = new float[6];
            float[] gr = new float[6];
            k.talkBackward(TALK_SHAPE, TALK_X.clone(), TALK_LEFT.clone(), TALK_RIGHT.clone(),
                    TALK_GRAD_OUT.clone(), gx, gl, gr);
            return worst(compare("gradX", gx, TALK_GRAD_X), compare("gradLeft", gl, TALK_GRAD_LEFT),
                    compare("gradRight", gr, TALK_GRAD_RIGHT));
        }));
        checks.add(run("talkForward causal", () -> {
            float[] out = new float[6];
            k.talkForward(TALK_CAUSAL_SHAPE, TALK_X.clone(), TALK_LEFT.clone(), null, out);
            return compare("talkForward causal", out, TALK_CAUSAL_OUT);
        }));
        checks.add(run("talkStream causal", () -> {
            float[] out = new float[6];
            TalkStream stream = k.talkStream(TALK_CAUSAL_SHAPE);
            float[] xt = new float[1];
            float[] lt = new float[1];
            float[] ot = new float[1];
            for (int t = 0; t < 6; t++) {
                xt[0] = TALK_X[t];
                lt[0] = TALK_LEFT[t];
                stream.step(xt, lt, ot);
                out[t] = ot[0];
            }
            return compare("talkStream causal", out, TALK_CAUSAL_OUT);
        }));
        checks.add(run("talkForward T=2", () -> {
            float[] out = new float[2];
            k.talkForward(TALK_T2_SHAPE, TALK_T2_X.clone(), TALK_T2_OFFSETS.clone(), TALK_T2_OFFSETS.clone(), out);
            return compare("talkForward T=2", out, TALK_T2_OUT);
        }));
        checks.add(run("talkForward T=1", () -> {
            float[] out = new float[1];
            k.talkForward(TALK_T1_SHAPE, TALK_T1_X.clone(), TALK_T1_OFFSETS.clone(), TALK_T1_OFFSETS.clone(), out);
            return compare("talkForward T=1", out, TALK_T1_OUT);
        }));
        return checks;
    }

    /** The Toeplitz example, both right-hand sides in one call with cols = 2, and each alone. */
    public static List<Check> checkToeplitz(Kernels k) {
        List<Check> checks = new ArrayList<>();
        int n = TOEPLITZ_N;
        checks.add(run("toeplitzMatmul cols=2", () -> {
            float[] x = new float[n * 2];
            double[] expected = new double[n * 2];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 2; c++) {
                    x[i * 2 + c] = TOEPLITZ_X[c][i];
                    expected[i * 2 + c] = TOEPLITZ_Y[c][i];
                }
            }
            float[] y = new float[n * 2];
            k.toeplitzMatmul(1, n, 2, TOEPLITZ_COEFFS.clone(), x, y);
            return compare("toeplitzMatmul cols=2", y, expected);
        }));
        for (int c = 0; c < 2; c++) {
            int col = c;
            checks.add(run("toeplitzMatmul x" + (c + 1), () -> {
                float[] y = new float[n];
                k.toeplitzMatmul(1, n, 1, TOEPLITZ_COEFFS.clone(), TOEPLITZ_X[col].clone(), y);
                return compare("toeplitzMatmul x" + (col + 1), y, TOEPLITZ_Y[col]);
            }));
        }
        return checks;
    }

    /** The RPE attention example, from the given feature maps. */
    public static List<Check> checkRpe(Kernels k) {
        return List.of(run("rpeAttention n=4", () -> {
            float[] out = new float[8];
            k.rpeAttention(RPE_SHAPE, RPE_PHI_Q.clone(), RPE_PHI_K.clone(), RPE_V.clone(), RPE_BIAS.clone(), out);
            return compare("rpeAttention n=4", out, RPE_OUT);
        }));
    }

    /** Every golden example. */
    public static List<Check> checkAll(Kernels k) {
        List<Check> all = new ArrayList<>(checkTalk(k));
        all.addAll(checkToeplitz(k));
        all.addAll(checkRpe(k));
        return all;
    }

    private interface Body {
        Check get();
    }

    private static Check run(String name, Body body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return new Check(name, Double.NaN, false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static Check compare(String name, float[] got, double[] expected) {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(got[i] - expected[i]) / Math.max(1.0, Math.abs(expected[i]));
            if (!(err <= worst)) { // NaN counts as worst
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                worstAt = i;
            }
        }
        boolean ok = worst <= TOLERANCE;
        String detail = ok ? "" : name + "[" + worstAt + "] = " + got[worstAt] + ", expected " + expected[worstAt];
        return new Check(name, worst, ok, detail);
    }

    private static Check worst(Check... checks) {
        Check w = checks[0];
        for (Check c : checks) {
            if (!c.ok() && w.ok() || c.maxError() > w.maxError()) {
                w = c;
            }
        }
        return w;
    }
}
