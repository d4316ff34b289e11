package dev.seqmix.opencl;

/**
 * Host mirror of talk.cl's {@code talk_window}, {@code acc_add} and {@code talk_value}, operation for
 * operation, for {@link OpenClTalkStream}: with plain IEEE operations on both sides (FP_CONTRACT off in
 * the kernels) a stream step gives the bits of the device's causal forward pass. Two variants, as on the
 * device: double (fp64 devices) and float with float-float sums.
 */
final class TalkMath {
    private TalkMath() {
    }

    /** The window of step t: {fl, cl} and aL (causal: the right end is t itself). */
    record Left(long fl, long cl, double aL) {
    }

    /** talk_window's left half in double (T = t + 1: a stream does not know the length). */
    static Left leftDouble(long t, float left, int maxLeft) {
        double d = (double) left * (double) maxLeft;
        if (d >= (double) t) {
            return new Left(0, 0, 0);
        } else if (d <= 0.0) { // (t - (T - 1)) with T = t + 1
            return new Left(t, t, 0);
        }
        double f = Math.floor(d);
        double c = Math.ceil(d);
        return new Left(t - (long) c, t - (long) f, d - f);
    }

    /** talk_window's left half in float. */
    static Left leftFloat(long t, float left, int maxLeft) {
        float d = left * (float) maxLeft;
        if (d >= (float) t) {
            return new Left(0, 0, 0);
        } else if (d <= 0.0f) {
            return new Left(t, t, 0);
        }
        float f = (float) Math.floor(d);
        float c = (float) Math.ceil(d);
        return new Left(t - (long) c, t - (long) f, d - f);
    }

    /** talk_value in double, causal (fr = cr = t, aR = 0). */
    static float valueDouble(double pt, double pflm, double pclm, double aL, double invK) {
        double d1 = pt - pclm;
        double d2 = pt - pt;
        double d3 = pclm - pflm;
        double s = d1 + 0.0 * d2 + aL * d3;
        return (float) (s * invK);
    }

    /** talk_value in float-float, causal; each sum is {hi, lo}. */
    static float valueFloat(float ptHi, float ptLo, float flmHi, float flmLo, float clmHi, float clmLo, float aL,
                            float invK) {
        float d1 = (ptHi - clmHi) + (ptLo - clmLo);
        float d2 = (ptHi - ptHi) + (ptLo - ptLo);
        float d3 = (clmHi - flmHi) + (clmLo - flmLo);
        float s = d1 + 0.0f * d2 + aL * d3;
        return s * invK;
    }

    /** acc_add of the float-float path: returns {hi, lo} of (hi, lo) + x into out. */
    static void addFloat(float hi0, float lo0, float x, float[] out, int at) {
        float s = hi0 + x;
        float bb = s - hi0;
        float err = (hi0 - (s - bb)) + (x - bb);
        float lo = lo0 + err;
        float hi = s + lo;
        out[at] = hi;
        out[at + 1] = lo - (hi - s);
    }

    /** acc_sum of the float-float path: {hi, lo} of (aHi, aLo) + (bHi, bLo) into out, as acc_add twice. */
    static void sumFloat(float aHi, float aLo, float bHi, float bLo, float[] out, int at) {
        addFloat(aHi, aLo, bHi, out, at);
        addFloat(out[at], out[at + 1], bLo, out, at);
    }
}
