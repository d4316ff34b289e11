package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/** Seeded random inputs and error measures. */
public final class Data {
    private Data() {
    }

    public static float[] uniform(SplittableRandom rnd, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return a;
    }

    public static double[] widen(float[] a) {
        if (a == null) {
            return null;
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** sqrt(sum |got - ref|^2 / sum |ref|^2). */
    public static double relativeRms(float[] got, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < ref.length; i++) {
            num += (got[i] - ref[i]) * (got[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    /** Fails at the first element with {@code |got - ref| > rel * scale + abs}, naming it. */
    public static void assertClose(String what, float[] got, double[] ref, double[] scale, double rel, double abs) {
        for (int i = 0; i < ref.length; i++) {
            double s = scale == null ? Math.abs(ref[i]) : scale[i];
            double err = Math.abs(got[i] - ref[i]);
            if (!(err <= rel * s + abs)) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + ref[i] + " (error " + err
                        + ", allowed " + (rel * s + abs) + ")");
            }
        }
    }

    /** Max over elements of |got - ref| / max(|ref|, floor). */
    public static double maxRelative(float[] got, double[] ref, double floor) {
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - ref[i]) / Math.max(Math.abs(ref[i]), floor));
        }
        return worst;
    }

    /** Frobenius-norm relative error. */
    public static double relativeError(float[] got, double[] ref) {
        return relativeRms(got, ref);
    }
}
