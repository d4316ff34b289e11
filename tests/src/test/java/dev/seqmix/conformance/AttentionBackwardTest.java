package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.reference.Attention;
import dev.seqmix.reference.AttentionGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backward passes of the attention operations (docs/contract.md#attention-backward): every backend against the
 * float64 oracles of {@link AttentionGradients} on odd shapes, the oracles against finite differences of the
 * float64 forwards, and each backend's gradients against finite differences of its own forward.
 */
class AttentionBackwardTest {
    /** docs/contract.md#attention-backward: relative error (Frobenius) below 1e-4, as for the forwards. */
    static final double REL = 1e-4;

    static List<AttentionShape> shapes() {
        List<AttentionShape> shapes = new ArrayList<>();
        for (boolean causal : new boolean[] {false, true}) {
            shapes.add(new AttentionShape(1, 1, 1, 1, 1, 1, causal));
            shapes.add(new AttentionShape(1, 5, 1, 3, 2, 4, causal));
            shapes.add(new AttentionShape(2, 13, 3, 8, 5, 7, causal));
            // past the scalar Toeplitz crossover (32): the FFT products and correlations
            shapes.add(new AttentionShape(1, 67, 2, 16, 4, 8, causal));
            shapes.add(new AttentionShape(3, 41, 2, 4, 2, 3, causal));
            shapes.add(new AttentionShape(1, 150, 1, 4, 1, 19, causal));
        }
        // a circulant of 2048 rows: past simd's L1 block on every lane count, so the lane FFT's walk over two blocks
        // (convolvePair) runs its passes over the whole buffers before and after the blocks; causal, it is the
        // shape whose first row's gradPhiQ missed 1e-4 by FFT alone (internal.CausalFirstRows)
        shapes.add(new AttentionShape(1, 521, 1, 2, 2, 3, false));
        shapes.add(new AttentionShape(1, 521, 1, 2, 2, 3, true));
        return shapes;
    }

    static Stream<Arguments> cases() {
        List<Arguments> args = new ArrayList<>();
        for (String backend : Backends.available()) {
            for (AttentionShape s : shapes()) {
                args.add(Arguments.of(backend, s));
            }
        }
        return args.stream();
    }

    /** Inputs of one shape: features positive as the forward makes them, unless told otherwise. */
    record Inputs(float[] q, float[] k, float[] v, float[] bias, float[] projection, float[] phiQ, float[] phiK,
                  float[] g) {
        static Inputs of(AttentionShape s, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            return new Inputs(Data.uniform(rnd, s.keyLength(), -1, 1), Data.uniform(rnd, s.keyLength(), -1, 1),
                    Data.uniform(rnd, s.valueLength(), -1, 1), Data.uniform(rnd, s.biasLength(), -2, 2),
                    Data.uniform(rnd, s.projectionLength(), -1, 1), Data.uniform(rnd, s.featureLength(), 0.05, 1),
                    Data.uniform(rnd, s.featureLength(), 0.05, 1), Data.uniform(rnd, s.valueLength(), -1, 1));
        }
    }

    private static float[] nans(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    /**
     * Frobenius-norm relative error below {@link #REL}, relative to the oracle's norm or, where the exact gradient
     * vanishes (length 1: the output does not depend on the features at all), to an RMS of 1e-3 (the gradients
     * here are of order 0.01 to 1, so the floor only matters there: an absolute error below 1e-7).
     */
    private static void close(String what, float[] got, double[] ref) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            diff += (got[i] - ref[i]) * (got[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        double floor = 1e-6 * ref.length;
        double err = Math.sqrt(diff / Math.max(norm, floor));
        assertTrue(err < REL, what + ": relative error " + err);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void randomFeaturesBackwardMatchesOracle(String backend, AttentionShape s) {
        Inputs in = Inputs.of(s, s.hashCode());
        float[] x = in.q().clone();
        float[] gPhi = Data.uniform(new SplittableRandom(s.hashCode() + 7), s.featureLength(), -1, 1);
        try (Kernels k = Backends.open(backend)) {
            for (boolean queries : new boolean[] {true, false}) {
                float[] gradX = nans(s.keyLength());
                k.randomFeaturesBackward(s, x, in.projection(), queries, gPhi, gradX);
                double[] ref = AttentionGradients.randomFeatures(s.batch(), s.length(), s.heads(), s.keyDim(),
                        s.features(), x, in.projection(), queries, gPhi);
                close("randomFeaturesBackward " + s + " queries=" + queries, gradX, ref);
            }
            assertArrayEquals(in.q(), x, 0f, "x modified");
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rpeAttentionBackwardMatchesOracle(String backend, AttentionShape s) {
        Inputs in = Inputs.of(s, s.hashCode() + 1);
        float[] phiQ = in.phiQ().clone();
        float[] bias = in.bias().clone();
        try (Kernels k = Backends.open(backend)) {
            float[] gb = rpeMatchesOracle(k, s, phiQ, in.phiK(), in.v(), bias, in.g())[3];
            if (s.causal()) {
                for (int h = 0; h < s.heads(); h++) {
                    for (int t = s.length(); t < 2 * s.length() - 1; t++) {
                        assertEquals(0f, gb[h * (2 * s.length() - 1) + t], "causal gradBias past the diagonal");
                    }
                }
            }
            assertArrayEquals(in.phiQ(), phiQ, 0f, "phiQ modified");
            assertArrayEquals(in.bias(), bias, 0f, "bias modified");
        }
    }

    /** Rows whose denominator is negative have output zero and pass no gradient: the contract's rule, exactly. */
    @ParameterizedTest
    @MethodSource("backends")
    void rpeAttentionBackwardRowsWithoutPositiveDenominator(String backend) {
        AttentionShape s = new AttentionShape(2, 37, 2, 3, 5, 6, false);
        Inputs in = Inputs.of(s, 99);
        float[] phiQ = in.phiQ().clone();
        for (int i = 0; i < s.length(); i += 3) { // every third query row negative: its denominator too
            for (int h = 0; h < s.heads(); h++) {
                int r = ((s.length() + i) * s.heads() + h) * s.features(); // batch entry 1
                for (int f = 0; f < s.features(); f++) {
                    phiQ[r + f] = -phiQ[r + f];
                }
            }
        }
        try (Kernels k = Backends.open(backend)) {
            float[] gq = rpeMatchesOracle(k, s, phiQ, in.phiK(), in.v(), in.bias(), in.g())[0];
            for (int i = 0; i < s.length(); i += 3) {
                for (int h = 0; h < s.heads(); h++) {
                    int r = ((s.length() + i) * s.heads() + h) * s.features();
                    for (int f = 0; f < s.features(); f++) {
                        assertEquals(0f, gq[r + f], "gradPhiQ of a row without a positive denominator");
                    }
                }
            }
        }
    }

    /** The backend's four gradients (outputs filled with NaN first: every element must be written) against the oracle's. */
    static float[][] rpeMatchesOracle(Kernels k, AttentionShape s, float[] phiQ, float[] phiK, float[] v,
                                      float[] bias, float[] g) {
        float[] gq = nans(s.featureLength());
        float[] gk = nans(s.featureLength());
        float[] gv = nans(s.valueLength());
        float[] gb = nans(s.biasLength());
        k.rpeAttentionBackward(s, phiQ, phiK, v, bias, g, gq, gk, gv, gb);
        AttentionGradients.RpeGradients ref = AttentionGradients.rpe(s.batch(), s.length(), s.heads(), s.features(),
                s.valueDim(), s.causal(), phiQ, phiK, v, bias, g);
        close("gradPhiQ " + s, gq, ref.phiQ());
        close("gradPhiK " + s, gk, ref.phiK());
        close("gradV " + s, gv, ref.v());
        close("gradBias " + s, gb, ref.bias());
        return new float[][] {gq, gk, gv, gb};
    }

    static Stream<String> backends() {
        return Backends.available().stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void softmaxRpeAttentionBackwardMatchesOracle(String backend, AttentionShape s) {
        Inputs in = Inputs.of(s, s.hashCode() + 2);
        float[] q = in.q().clone();
        float[] bias = in.bias().clone();
        try (Kernels k = Backends.open(backend)) {
            softmaxMatchesOracle(k, s, q, in.k(), in.v(), bias, in.g());
            assertArrayEquals(in.q(), q, 0f, "q modified");
            assertArrayEquals(in.bias(), bias, 0f, "bias modified");
        }
    }

    /** The backend's four gradients (outputs filled with NaN first: every element must be written) against the oracle's. */
    static void softmaxMatchesOracle(Kernels k, AttentionShape s, float[] q, float[] key, float[] v, float[] bias,
                                     float[] g) {
        float[] gq = nans(s.keyLength());
        float[] gk = nans(s.keyLength());
        float[] gv = nans(s.valueLength());
        float[] gb = nans(s.biasLength());
        k.softmaxRpeAttentionBackward(s, q, key, v, bias, g, gq, gk, gv, gb);
        AttentionGradients.SoftmaxGradients ref = AttentionGradients.softmax(s.batch(), s.length(), s.heads(),
                s.keyDim(), s.valueDim(), s.causal(), q, key, v, bias, g);
        close("gradQ " + s, gq, ref.q());
        close("gradK " + s, gk, ref.k());
        close("gradV " + s, gv, ref.v());
        close("gradBias " + s, gb, ref.bias());
    }

    // ---------------------------------------------------------------- finite differences

    /**
     * {@code sum g . f(a + eps u) - sum g . f(a - eps u)} against {@code grad . (a+ - a-)}, with {@code a+-} the
     * float arrays actually passed (so the rounding of the perturbation is not an error of the gradient).
     */
    private static void directional(String what, float[] a, double[] grad, float[] g, double eps, double tol,
                                    Function<float[], double[]> loss) {
        SplittableRandom rnd = new SplittableRandom(what.hashCode());
        float[] plus = new float[a.length];
        float[] minus = new float[a.length];
        double predicted = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            double u = rnd.nextDouble(-1, 1);
            plus[i] = (float) (a[i] + eps * u);
            minus[i] = (float) (a[i] - eps * u);
            predicted += grad[i] * ((double) plus[i] - minus[i]);
            scale += Math.abs(grad[i] * ((double) plus[i] - minus[i]));
        }
        double measured = dot(g, loss.apply(plus)) - dot(g, loss.apply(minus));
        assertTrue(Math.abs(measured - predicted) <= tol * scale,
                what + ": finite difference " + measured + ", gradient " + predicted + " (scale " + scale + ")");
    }

    private static double dot(float[] g, double[] out) {
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += g[i] * out[i];
        }
        return sum;
    }

    private static double[] widen(float[] a) {
        return Data.widen(a);
    }

    static Stream<AttentionShape> smallShapes() {
        return Stream.of(new AttentionShape(1, 1, 1, 2, 2, 3, false), new AttentionShape(2, 7, 2, 3, 2, 5, false),
                new AttentionShape(1, 9, 1, 4, 3, 2, true), new AttentionShape(1, 40, 1, 2, 2, 3, true));
    }

    /** The oracles are the derivatives of the float64 forwards (the stabilizer held fixed for the features). */
    @ParameterizedTest
    @MethodSource("smallShapes")
    void oraclesAreTheForwardsDerivatives(AttentionShape s) {
        Inputs in = Inputs.of(s, 5 + s.hashCode());
        double eps = 1e-3;
        double tol = 1e-5;
        float[] gPhi = Data.uniform(new SplittableRandom(3), s.featureLength(), -1, 1);
        for (boolean queries : new boolean[] {true, false}) {
            double[] stab = Attention.stabilizers(s.batch(), s.length(), s.heads(), s.keyDim(), s.features(),
                    in.q(), in.projection(), queries);
            directional("randomFeatures x queries=" + queries, in.q(), AttentionGradients.randomFeatures(s.batch(),
                    s.length(), s.heads(), s.keyDim(), s.features(), in.q(), in.projection(), queries, gPhi),
                    gPhi, eps, tol, x -> Attention.randomFeatures(s.batch(), s.length(), s.heads(), s.keyDim(),
                            s.features(), x, in.projection(), stab));
        }
        AttentionGradients.RpeGradients rpe = AttentionGradients.rpe(s.batch(), s.length(), s.heads(), s.features(),
                s.valueDim(), s.causal(), in.phiQ(), in.phiK(), in.v(), in.bias(), in.g());
        directional("rpe phiQ", in.phiQ(), rpe.phiQ(), in.g(), eps, tol, a -> rpeForward(s, a, in.phiK(), in.v(), in.bias()));
        directional("rpe phiK", in.phiK(), rpe.phiK(), in.g(), eps, tol, a -> rpeForward(s, in.phiQ(), a, in.v(), in.bias()));
        directional("rpe v", in.v(), rpe.v(), in.g(), eps, tol, a -> rpeForward(s, in.phiQ(), in.phiK(), a, in.bias()));
        directional("rpe bias", in.bias(), rpe.bias(), in.g(), eps, tol, a -> rpeForward(s, in.phiQ(), in.phiK(), in.v(), a));
        AttentionGradients.SoftmaxGradients sm = AttentionGradients.softmax(s.batch(), s.length(), s.heads(),
                s.keyDim(), s.valueDim(), s.causal(), in.q(), in.k(), in.v(), in.bias(), in.g());
        directional("softmax q", in.q(), sm.q(), in.g(), eps, tol, a -> softmaxForward(s, a, in.k(), in.v(), in.bias()));
        directional("softmax k", in.k(), sm.k(), in.g(), eps, tol, a -> softmaxForward(s, in.q(), a, in.v(), in.bias()));
        directional("softmax v", in.v(), sm.v(), in.g(), eps, tol, a -> softmaxForward(s, in.q(), in.k(), a, in.bias()));
        directional("softmax bias", in.bias(), sm.bias(), in.g(), eps, tol, a -> softmaxForward(s, in.q(), in.k(), in.v(), a));
    }

    private static double[] rpeForward(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias) {
        return Attention.rpe(s.batch(), s.length(), s.heads(), s.features(), s.valueDim(), s.causal(), phiQ, phiK, v,
                bias);
    }

    private static double[] softmaxForward(AttentionShape s, float[] q, float[] k, float[] v, float[] bias) {
        return Attention.softmax(s.batch(), s.length(), s.heads(), s.keyDim(), s.valueDim(), s.causal(), q, k, v,
                bias);
    }

    /** Each backend's gradients against finite differences of the same backend's float forward. */
    @ParameterizedTest
    @MethodSource("backends")
    void backendGradientsAreItsForwardsDerivatives(String backend) {
        AttentionShape s = new AttentionShape(2, 45, 2, 8, 4, 6, true);
        Inputs in = Inputs.of(s, 17);
        double eps = 2e-2;
        double tol = 2e-3;
        try (Kernels k = Backends.open(backend)) {
            float[] gq = new float[s.featureLength()];
            float[] gk = new float[s.featureLength()];
            float[] gv = new float[s.valueLength()];
            float[] gb = new float[s.biasLength()];
            k.rpeAttentionBackward(s, in.phiQ(), in.phiK(), in.v(), in.bias(), in.g(), gq, gk, gv, gb);
            Function<float[][], double[]> rpe = a -> {
                float[] out = new float[s.valueLength()];
                k.rpeAttention(s, a[0], a[1], a[2], a[3], out);
                return widen(out);
            };
            float[][] base = {in.phiQ(), in.phiK(), in.v(), in.bias()};
            float[][] grads = {gq, gk, gv, gb};
            String[] names = {"phiQ", "phiK", "v", "bias"};
            for (int p = 0; p < 4; p++) {
                int which = p;
                directional(backend + " rpeAttention " + names[p], base[p], widen(grads[p]), in.g(), eps, tol, a -> {
                    float[][] args = base.clone();
                    args[which] = a;
                    return rpe.apply(args);
                });
            }
            k.softmaxRpeAttentionBackward(s, in.q(), in.k(), in.v(), in.bias(), in.g(), gq = new float[s.keyLength()],
                    gk = new float[s.keyLength()], gv, gb);
            Function<float[][], double[]> softmax = a -> {
                float[] out = new float[s.valueLength()];
                k.softmaxRpeAttention(s, a[0], a[1], a[2], a[3], out);
                return widen(out);
            };
            float[][] sbase = {in.q(), in.k(), in.v(), in.bias()};
            float[][] sgrads = {gq, gk, gv, gb};
            String[] snames = {"q", "k", "v", "bias"};
            for (int p = 0; p < 4; p++) {
                int which = p;
                directional(backend + " softmaxRpeAttention " + snames[p], sbase[p], widen(sgrads[p]), in.g(), eps,
                        tol, a -> {
                            float[][] args = sbase.clone();
                            args[which] = a;
                            return softmax.apply(args);
                        });
            }
        }
    }

    /** The same inputs give the same bits on every backend's repeated calls, and the backends agree. */
    @Test
    void backendsAgree() {
        AttentionShape s = new AttentionShape(2, 100, 3, 8, 9, 10, false);
        Inputs in = Inputs.of(s, 23);
        float[][] first = null;
        for (String backend : Backends.available()) {
            try (Kernels k = Backends.open(backend)) {
                float[] gq = new float[s.featureLength()];
                float[] gk = new float[s.featureLength()];
                float[] gv = new float[s.valueLength()];
                float[] gb = new float[s.biasLength()];
                k.rpeAttentionBackward(s, in.phiQ(), in.phiK(), in.v(), in.bias(), in.g(), gq, gk, gv, gb);
                float[][] got = {gq, gk, gv, gb};
                if (first == null) {
                    first = got;
                    continue;
                }
                for (int p = 0; p < 4; p++) {
                    close(backend + " against " + Backends.available().get(0) + " output " + p, got[p],
                            widen(first[p]));
                }
            }
        }
    }
}
