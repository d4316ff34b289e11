package dev.seqmix.cli;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.reference.Golden;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the golden examples of docs/contract.md#golden (inputs and expected outputs from the reference module's
 * {@link Golden}, which the conformance suite uses too) on a backend for {@code seqmix tour}. Every backend must
 * reproduce them to {@link Golden#TOLERANCE}.
 */
public final class GoldenChecks {
    private static final TalkShape TALK_SHAPE =
            new TalkShape(1, Golden.TALK_TIME, 1, 1, Golden.TALK_MAX_LEFT, Golden.TALK_MAX_RIGHT);
    private static final TalkShape TALK_CAUSAL_SHAPE =
            new TalkShape(1, Golden.TALK_TIME, 1, 1, Golden.TALK_MAX_LEFT, 0);
    private static final TalkShape TALK_T2_SHAPE =
            new TalkShape(1, 2, 1, 1, Golden.TALK_MAX_LEFT, Golden.TALK_MAX_RIGHT);
    private static final TalkShape TALK_T1_SHAPE =
            new TalkShape(1, 1, 1, 1, Golden.TALK_MAX_LEFT, Golden.TALK_MAX_RIGHT);
    private static final AttentionShape RPE_SHAPE = new AttentionShape(1, Golden.RPE_LENGTH, 1, 2,
            Golden.RPE_VALUE_DIM, Golden.RPE_FEATURES, false);

    private GoldenChecks() {
    }

    /**
     * One golden comparison: what was computed, its largest error, and whether it is within tolerance.
     *
     * @param name     what was computed
     * @param maxError the largest {@code |got - expected| / max(1, |expected|)}
     * @param ok       whether it is within {@link Golden#TOLERANCE}
     * @param detail   the worst element where not ok, or the exception
     */
    public record Check(String name, double maxError, boolean ok, String detail) {
    }

    /** {@return the TaLK examples: forward, backward, causal forward, causal stream, T=2 and T=1} */
    public static List<Check> checkTalk(Kernels k) {
        int time = Golden.TALK_TIME;
        List<Check> checks = new ArrayList<>();
        checks.add(run("talkForward T=6", () -> {
            float[] out = new float[time];
            k.talkForward(TALK_SHAPE, Golden.talkX(), Golden.talkLeft(), Golden.talkRight(), out);
            return compare("talkForward T=6", out, Golden.talkOut());
        }));
        checks.add(run("talkBackward T=6", () -> {
            float[] gx = new float[time];
            float[] gl = new float[time];
            float[] gr = new float[time];
            k.talkBackward(TALK_SHAPE, Golden.talkX(), Golden.talkLeft(), Golden.talkRight(), Golden.talkGradOut(),
                    gx, gl, gr);
            return worst(compare("gradX", gx, Golden.talkGradX()), compare("gradLeft", gl, Golden.talkGradLeft()),
                    compare("gradRight", gr, Golden.talkGradRight()));
        }));
        checks.add(run("talkForward causal", () -> {
            float[] out = new float[time];
            k.talkForward(TALK_CAUSAL_SHAPE, Golden.talkX(), Golden.talkLeft(), null, out);
            return compare("talkForward causal", out, Golden.talkCausalOut());
        }));
        checks.add(run("talkStream causal", () -> {
            float[] x = Golden.talkX();
            float[] left = Golden.talkLeft();
            float[] out = new float[time];
            TalkStream stream = k.talkStream(TALK_CAUSAL_SHAPE);
            float[] xt = new float[1];
            float[] lt = new float[1];
            float[] ot = new float[1];
            for (int t = 0; t < time; t++) {
                xt[0] = x[t];
                lt[0] = left[t];
                stream.step(xt, lt, ot);
                out[t] = ot[0];
            }
            return compare("talkStream causal", out, Golden.talkCausalOut());
        }));
        checks.add(run("talkForward T=2", () -> {
            float[] out = new float[2];
            k.talkForward(TALK_T2_SHAPE, Golden.talkT2X(), Golden.talkT2Offsets(), Golden.talkT2Offsets(), out);
            return compare("talkForward T=2", out, Golden.talkT2Out());
        }));
        checks.add(run("talkForward T=1", () -> {
            float[] out = new float[1];
            k.talkForward(TALK_T1_SHAPE, Golden.talkT1X(), Golden.talkT1Offsets(), Golden.talkT1Offsets(), out);
            return compare("talkForward T=1", out, Golden.talkT1Out());
        }));
        return checks;
    }

    /** {@return the Toeplitz example, both right-hand sides in one call with cols = 2, and each alone} */
    public static List<Check> checkToeplitz(Kernels k) {
        List<Check> checks = new ArrayList<>();
        int n = Golden.TOEPLITZ_N;
        int cols = Golden.TOEPLITZ_COLUMNS;
        checks.add(run("toeplitzMatmul cols=" + cols, () -> {
            float[] x = new float[n * cols];
            double[] expected = new double[n * cols];
            for (int c = 0; c < cols; c++) {
                float[] xc = Golden.toeplitzX(c);
                double[] yc = Golden.toeplitzY(c);
                for (int i = 0; i < n; i++) {
                    x[i * cols + c] = xc[i];
                    expected[i * cols + c] = yc[i];
                }
            }
            float[] y = new float[n * cols];
            k.toeplitzMatmul(1, n, cols, Golden.toeplitzCoeffs(), x, y);
            return compare("toeplitzMatmul cols=" + cols, y, expected);
        }));
        for (int c = 0; c < cols; c++) {
            int col = c;
            checks.add(run("toeplitzMatmul x" + (c + 1), () -> {
                float[] y = new float[n];
                k.toeplitzMatmul(1, n, 1, Golden.toeplitzCoeffs(), Golden.toeplitzX(col), y);
                return compare("toeplitzMatmul x" + (col + 1), y, Golden.toeplitzY(col));
            }));
        }
        return checks;
    }

    /** {@return the RPE attention example, from the given feature maps} */
    public static List<Check> checkRpe(Kernels k) {
        return List.of(run("rpeAttention n=4", () -> {
            float[] out = new float[Golden.RPE_LENGTH * Golden.RPE_VALUE_DIM];
            k.rpeAttention(RPE_SHAPE, Golden.rpePhiQ(), Golden.rpePhiK(), Golden.rpeV(), Golden.rpeBias(), out);
            return compare("rpeAttention n=4", out, Golden.rpeOut());
        }));
    }

    /** {@return every golden example} */
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
        boolean ok = worst <= Golden.TOLERANCE;
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
