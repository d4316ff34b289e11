package dev.seqmix.scalar;

import dev.seqmix.TalkShape;
import dev.seqmix.internal.TalkPositions;

/**
 * TaLK window sums (docs/contract.md#talk), one (batch, head) slice at a time, in double.
 *
 * <p>Prefix sums are kept in double, {@code P[k] = S[k-1]} with {@code P[0] = 0}, so that the difference
 * of two prefix values stays exact to about 1e-16 relative even when {@code S} grows to millions (a
 * float summed-area table loses about 1e-3 relative at T = 2^20). Positions are computed in double from
 * the float offsets; with a 53-bit mantissa the fraction of a position near 2^27 is still exact to
 * about 1e-8.
 */
final class TalkWindowSums {
    private TalkWindowSums() {
    }

    /**
     * The interpolated window sum from prefix values: {@code pfr = S[floor(hi)]}, {@code pcr = S[ceil(hi)]},
     * {@code pfl = S[floor(lo)-1]}, {@code pcl = S[ceil(lo)-1]}. Shared by the forward pass and the stream
     * so that both give the same bits.
     */
    static double interpolate(double pfr, double pcr, double pfl, double pcl, double aL, double aR) {
        return (1 - aR) * pfr + aR * pcr - (aL * pfl + (1 - aL) * pcl);
    }

    /** Floats of double scratch {@link #forward} needs. */
    static int forwardScratch(TalkShape s) {
        return (s.time() + 1) * s.headChannels();
    }

    /** Doubles of scratch {@link #backward} needs. */
    static int backwardScratch(TalkShape s) {
        return (2 * s.time() + 1) * s.headChannels();
    }

    /** Fills {@code P[(k) * hc + r]} for k in 0..T with the head's prefix sums of x / K. */
    private static void prefix(TalkShape s, float[] x, int b, int h, double[] p) {
        int time = s.time();
        int channels = s.channels();
        int hc = s.headChannels();
        double k = s.windowSize();
        int xBase = b * time * channels + h * hc;
        for (int r = 0; r < hc; r++) {
            p[r] = 0.0;
        }
        for (int t = 0; t < time; t++) {
            int row = xBase + t * channels;
            int prev = t * hc;
            int next = prev + hc;
            for (int r = 0; r < hc; r++) {
                p[next + r] = p[prev + r] + x[row + r] / k;
            }
        }
    }

    /** Forward pass of one (batch, head) slice; {@code p} holds {@link #forwardScratch} doubles. */
    static void forward(TalkShape s, float[] x, float[] left, float[] right, float[] out, int b, int h, double[] p) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        prefix(s, x, b, h, p);
        int oBase = b * time * heads + h;
        int xBase = b * time * channels + h * hc;
        for (int t = 0; t < time; t++) {
            double lo = TalkPositions.low(t, left[oBase + t * heads], s.maxLeft(), time);
            double hi = right == null ? t : TalkPositions.high(t, right[oBase + t * heads], s.maxRight(), time);
            int fl = (int) Math.floor(lo);
            int cl = (int) Math.ceil(lo);
            int fr = (int) Math.floor(hi);
            int cr = (int) Math.ceil(hi);
            double aL = cl - lo;
            double aR = hi - fr;
            // P index of S[k] is k + 1
            int pfl = fl * hc;
            int pcl = cl * hc;
            int pfr = (fr + 1) * hc;
            int pcr = (cr + 1) * hc;
            int row = xBase + t * channels;
            for (int r = 0; r < hc; r++) {
                out[row + r] = (float) interpolate(p[pfr + r], p[pcr + r], p[pfl + r], p[pcl + r], aL, aR);
            }
        }
    }

    /**
     * Backward pass of one (batch, head) slice; {@code scratch} holds {@link #backwardScratch} doubles.
     * The edge gradients {@code dS} are accumulated into this slice's own buffer in time order, and
     * {@code gradX} is its suffix sum: no shared accumulators, so the result is the same bits every run.
     */
    static void backward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut, float[] gradX,
                         float[] gradLeft, float[] gradRight, int b, int h, double[] scratch) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        double k = s.windowSize();
        prefix(s, x, b, h, scratch);
        int ds = (time + 1) * hc; // dS[j] for j in 0..T-1 at ds + j*hc
        java.util.Arrays.fill(scratch, ds, ds + time * hc, 0.0);
        int oBase = b * time * heads + h;
        int xBase = b * time * channels + h * hc;
        for (int t = 0; t < time; t++) {
            double lo = TalkPositions.low(t, left[oBase + t * heads], s.maxLeft(), time);
            double hi = right == null ? t : TalkPositions.high(t, right[oBase + t * heads], s.maxRight(), time);
            int fl = (int) Math.floor(lo);
            int cl = (int) Math.ceil(lo);
            int fr = (int) Math.floor(hi);
            int cr = (int) Math.ceil(hi);
            double aL = cl - lo;
            double aR = hi - fr;
            int row = xBase + t * channels;
            double gl = 0.0;
            double gr = 0.0;
            for (int r = 0; r < hc; r++) {
                double g = gradOut[row + r];
                gl += (scratch[cl * hc + r] - scratch[fl * hc + r]) * g;
                gr += (scratch[(cr + 1) * hc + r] - scratch[(fr + 1) * hc + r]) * g;
                if (fl >= 1) {
                    scratch[ds + (fl - 1) * hc + r] -= aL * g;
                }
                if (cl >= 1) {
                    scratch[ds + (cl - 1) * hc + r] -= (1 - aL) * g;
                }
                scratch[ds + fr * hc + r] += (1 - aR) * g;
                scratch[ds + cr * hc + r] += aR * g;
            }
            gradLeft[oBase + t * heads] = (float) (s.maxLeft() * gl);
            if (gradRight != null) {
                gradRight[oBase + t * heads] = right == null ? 0f : (float) (s.maxRight() * gr);
            }
        }
        // gradX = cumsumReverse(dS) / K, reusing the prefix area as the running suffix sum
        for (int r = 0; r < hc; r++) {
            scratch[r] = 0.0;
        }
        for (int t = time - 1; t >= 0; t--) {
            int row = xBase + t * channels;
            int d = ds + t * hc;
            for (int r = 0; r < hc; r++) {
                double acc = scratch[r] + scratch[d + r];
                scratch[r] = acc;
                gradX[row + r] = (float) (acc / k);
            }
        }
    }
}
