package dev.seqmix.cli;

import java.util.Arrays;

/** Error measures of the tour. */
final class Errors {
    private Errors() {
    }

    /**
     * {@code max_i |got[i] - ref[i]| / max_i |ref[i]|} (the absolute error where {@code ref} is all zeros);
     * infinite when a length differs or {@code got} holds a NaN or infinity that {@code ref} does not.
     */
    static double maxRelative(float[] got, float[] ref) {
        if (got.length != ref.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 0;
        for (float r : ref) {
            scale = Math.max(scale, Math.abs(r));
        }
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs((double) got[i] - ref[i]);
            if (Double.isNaN(d)) {
                if (Float.isNaN(got[i]) && Float.isNaN(ref[i])) {
                    continue;
                }
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, d);
        }
        return scale > 0 ? worst / scale : worst;
    }

    /** The largest {@link #maxRelative} over matching arrays. */
    static double maxRelative(float[][] got, float[][] ref) {
        if (got.length != ref.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, maxRelative(got[i], ref[i]));
        }
        return worst;
    }

    /** A hash of the exact bits of all outputs, to tell whether repeated runs agree. */
    static long bits(float[][] outputs) {
        long h = 1;
        for (float[] a : outputs) {
            h = 31 * h + Arrays.hashCode(a);
            h = 31 * h + a.length;
        }
        return h;
    }

    /** A deep copy. */
    static float[][] copy(float[][] outputs) {
        float[][] c = new float[outputs.length][];
        for (int i = 0; i < outputs.length; i++) {
            c[i] = outputs[i].clone();
        }
        return c;
    }
}
