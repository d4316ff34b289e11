package dev.seqmix.simd;

import dev.seqmix.TalkShape;
import dev.seqmix.spi.TalkPositions;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TaLK window sums of one (batch, head) slice on vectors across the head's channels.
 *
 * <p>Forward: the window of step t is an integer part and two fractional edges,
 * <pre>
 * out = ((P[fr+1] - P[cl]) + aR * x[cr] + aL * x[fl]) / K,   P[k] = x[0] + ... + x[k-1]
 * </pre>
 * which is DESIGN.md's interpolation ({@code S[cr] - S[fr] = x[cr]/K} at a fractional position, and the
 * weight is 0 otherwise). A window reads P only within {@code E} steps of t, E being the largest extent any
 * offset of the call reaches ({@code ceil(max|offset| * maxLeft)}, likewise right), so P lives in a ring of
 * at least {@code 2E + 2} rows, computed as time advances, and stays in L1.
 *
 * <p>P is a float Kahan sum: each row holds the running sum s and its compensation c (P = s - c). A plain
 * float prefix grows with t and loses the small windows of long sequences (DESIGN.md section 6); with the
 * compensation, {@code (s_f - s_c) - (c_f - c_c)} is exact to a few ulp of the window itself, because the
 * rounding errors that remain (in {@code x - c}) are those of the window's own terms. Float keeps the
 * vectors full: a double prefix costs conversions and half-width vectors.
 */
final class TalkRing {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    private static final VectorSpecies<Double> DS = SimdSupport.DOUBLES;

    private TalkRing() {
    }

    /** Ring rows for windows reaching {@code extent} steps either way: a power of two at least 2E + 2. */
    static int ringRows(long extent) {
        long need = 2 * extent + 2;
        return (int) Math.min(1L << 30, Long.highestOneBit(Math.max(1, need - 1)) << 1);
    }

    /** The largest number of steps any window reaches from its step: ceil(max |offset| * max extent). */
    static long extent(float[] offsets, int length, int max) {
        float m = 0f;
        for (int i = 0; i < length; i++) {
            m = Math.max(m, Math.abs(offsets[i]));
        }
        return (long) Math.ceil((double) m * max);
    }

    /** Floats of forward scratch: the ring of one lane chunk ({@code rows x [s | c]}) and the edge weights. */
    static int forwardScratchFloats(int rows, int time) {
        return rows * 2 * FS.length() + 2 * time;
    }

    /**
     * Forward pass of slice (b, h). First the window of every step is computed once (ring slots, input
     * rows and edge weights, in a table); then each chunk of {@code lanes} channels runs through time with
     * its own small ring, so the inner loop is table reads and vector arithmetic only.
     *
     * @param scratch {@link #forwardScratchFloats} floats
     * @param slots   {@code 4 * time} ints: ring slots and input rows of every window
     */
    static void forward(TalkShape s, float[] x, float[] left, float[] right, float[] out, int b, int h,
                        float[] scratch, int[] slots, int rows) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        int lanes = FS.length();
        int row = 2 * lanes;
        int mask = rows - 1;
        int table = rows * row;
        float invK = (float) (1.0 / s.windowSize());
        int xBase = b * time * channels + h * hc;
        int oBase = b * time * heads + h;
        for (int t = 0; t < time; t++) {
            double lo = TalkPositions.low(t, left[oBase + t * heads], s.maxLeft(), time);
            double hi = right == null ? t : TalkPositions.high(t, right[oBase + t * heads], s.maxRight(), time);
            int fl = (int) Math.floor(lo);
            int cl = (int) Math.ceil(lo);
            int fr = (int) Math.floor(hi);
            int cr = (int) Math.ceil(hi);
            slots[4 * t] = ((fr + 1) & mask) * row;
            slots[4 * t + 1] = (cl & mask) * row;
            slots[4 * t + 2] = cr * channels;
            slots[4 * t + 3] = fl * channels;
            scratch[table + 2 * t] = (float) (hi - fr);
            scratch[table + 2 * t + 1] = (float) (cl - lo);
        }
        int ahead = rows / 2 - 1; // E: P[t + E + 1] is the farthest a window of step t reads
        for (int c = 0; c < hc; c += lanes) {
            VectorMask<Float> m = FS.indexInRange(c, hc);
            boolean full = c + lanes <= hc;
            int xChunk = xBase + c;
            // the running sum and compensation stay in registers; the ring keeps them for the windows
            FloatVector sum = FloatVector.zero(FS);
            FloatVector comp = sum;
            sum.intoArray(scratch, 0);
            comp.intoArray(scratch, lanes);
            for (int t = -ahead; t < time; t++) {
                int k = t + ahead;
                if (k < time) {
                    FloatVector xk = full ? FloatVector.fromArray(FS, x, xChunk + k * channels)
                            : FloatVector.fromArray(FS, x, xChunk + k * channels, m);
                    FloatVector y = xk.sub(comp);
                    FloatVector next = sum.add(y);
                    comp = next.sub(sum).sub(y);
                    sum = next;
                    int at = ((k + 1) & mask) * row;
                    sum.intoArray(scratch, at);
                    comp.intoArray(scratch, at + lanes);
                }
                if (t < 0) {
                    continue;
                }
                int pHi = slots[4 * t];
                int pLo = slots[4 * t + 1];
                int xCr = xChunk + slots[4 * t + 2];
                int xFl = xChunk + slots[4 * t + 3];
                FloatVector aR = FloatVector.broadcast(FS, scratch[table + 2 * t]);
                FloatVector aL = FloatVector.broadcast(FS, scratch[table + 2 * t + 1]);
                int o = xChunk + t * channels;
                if (full) {
                    windowSum(scratch, pHi, pLo, lanes, FloatVector.fromArray(FS, x, xCr),
                            FloatVector.fromArray(FS, x, xFl), aR, aL, invK).intoArray(out, o);
                } else {
                    windowSum(scratch, pHi, pLo, lanes, FloatVector.fromArray(FS, x, xCr, m),
                            FloatVector.fromArray(FS, x, xFl, m), aR, aL, invK).intoArray(out, o, m);
                }
            }
        }
    }

    /** {@code P[k+1] = P[k] + x[k]} for one row, as a Kahan step: {@code y = x - c; t = s + y; c = (t - s) - y}. */
    static void advance(float[] ring, int from, int to, int stride, float[] x, int xRow, int hc) {
        int lanes = FS.length();
        int c = 0;
        for (; c + lanes <= hc; c += lanes) {
            kahan(ring, from + c, to + c, stride, FloatVector.fromArray(FS, x, xRow + c));
        }
        if (c < hc) {
            kahan(ring, from + c, to + c, stride, FloatVector.fromArray(FS, x, xRow + c, FS.indexInRange(c, hc)));
        }
    }

    private static void kahan(float[] ring, int from, int to, int stride, FloatVector x) {
        FloatVector s = FloatVector.fromArray(FS, ring, from);
        FloatVector y = x.sub(FloatVector.fromArray(FS, ring, from + stride));
        FloatVector sum = s.add(y);
        sum.intoArray(ring, to);
        sum.sub(s).sub(y).intoArray(ring, to + stride);
    }

    /** One output row: {@code ((s_f - s_c) - (c_f - c_c) + aR x[cr] + aL x[fl]) / K}. */
    static void window(float[] ring, int pHi, int pLo, int stride, float[] x, int xCr, int xFl, float aR, float aL,
                       float invK, float[] out, int oRow, int hc) {
        int lanes = FS.length();
        FloatVector vaR = FloatVector.broadcast(FS, aR);
        FloatVector vaL = FloatVector.broadcast(FS, aL);
        int c = 0;
        for (; c + lanes <= hc; c += lanes) {
            windowSum(ring, pHi + c, pLo + c, stride, FloatVector.fromArray(FS, x, xCr + c),
                    FloatVector.fromArray(FS, x, xFl + c), vaR, vaL, invK).intoArray(out, oRow + c);
        }
        if (c < hc) {
            VectorMask<Float> m = FS.indexInRange(c, hc);
            windowSum(ring, pHi + c, pLo + c, stride, FloatVector.fromArray(FS, x, xCr + c, m),
                    FloatVector.fromArray(FS, x, xFl + c, m), vaR, vaL, invK).intoArray(out, oRow + c, m);
        }
    }

    private static FloatVector windowSum(float[] ring, int hi, int lo, int stride, FloatVector xCr, FloatVector xFl,
                                         FloatVector aR, FloatVector aL, float invK) {
        FloatVector s = FloatVector.fromArray(FS, ring, hi).sub(FloatVector.fromArray(FS, ring, lo));
        FloatVector c = FloatVector.fromArray(FS, ring, hi + stride).sub(FloatVector.fromArray(FS, ring, lo + stride));
        return xFl.fma(aL, xCr.fma(aR, s.sub(c))).mul(invK);
    }

    /**
     * Backward pass of slice (b, h), by time descending. The edge gradients dS of DESIGN.md section 4.3 go
     * into a ring of double rows in a fixed order (no atomics, the same bits every run); a row is final once
     * no earlier step can reach it, and {@code gradX} is then the running suffix sum of the final rows, / K.
     * The offset gradients need no prefix: {@code S[cl-1] - S[fl-1] = x[fl] / K} at a fractional position.
     *
     * @param ring   {@code rows * stride} doubles for dS, plus {@code stride} more for the suffix sum
     */
    static void backward(TalkShape s, float[] x, float[] left,
                         float[] right, float[] gradOut, float[] gradX, float[] gradLeft, float[] gradRight, int b,
                         int h, double[] ring, int rows) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        int lanes = FS.length();
        int half = DS.length();
        int stride = roundUp(hc, lanes);
        int mask = rows - 1;
        int reach = rows / 2 - 1; // E: a step touches dS rows in [t - E - 1, t + E]
        double invK = 1.0 / s.windowSize();
        int xBase = b * time * channels + h * hc;
        int oBase = b * time * heads + h;
        int suffix = rows * stride;
        java.util.Arrays.fill(ring, 0, suffix + stride, 0.0);
        float kl = (float) (s.maxLeft() * invK);
        float kr = (float) (s.maxRight() * invK);
        for (int t = time - 1; t >= 0; t--) {
            double lo = TalkPositions.low(t, left[oBase + t * heads], s.maxLeft(), time);
            double hi = right == null ? t : TalkPositions.high(t, right[oBase + t * heads], s.maxRight(), time);
            int fl = (int) Math.floor(lo);
            int cl = (int) Math.ceil(lo);
            int fr = (int) Math.floor(hi);
            int cr = (int) Math.ceil(hi);
            double aL = cl - lo;
            double aR = hi - fr;
            int gRow = xBase + t * channels;
            FloatVector dotL = FloatVector.zero(FS);
            FloatVector dotR = FloatVector.zero(FS);
            for (int c = 0; c < hc; c += lanes) {
                VectorMask<Float> m = FS.indexInRange(c, hc);
                FloatVector g = FloatVector.fromArray(FS, gradOut, gRow + c, m);
                dotL = FloatVector.fromArray(FS, x, xBase + fl * channels + c, m).fma(g, dotL);
                dotR = FloatVector.fromArray(FS, x, xBase + cr * channels + c, m).fma(g, dotR);
                DoubleVector g0 = (DoubleVector) g.convertShape(VectorOperators.F2D, DS, 0);
                DoubleVector g1 = (DoubleVector) g.convertShape(VectorOperators.F2D, DS, 1);
                if (fl >= 1) {
                    scatter(DS, ring, ((fl - 1) & mask) * stride + c, half, g0, g1, -aL);
                }
                if (cl >= 1) {
                    scatter(DS, ring, ((cl - 1) & mask) * stride + c, half, g0, g1, -(1 - aL));
                }
                scatter(DS, ring, (fr & mask) * stride + c, half, g0, g1, 1 - aR);
                scatter(DS, ring, (cr & mask) * stride + c, half, g0, g1, aR);
            }
            gradLeft[oBase + t * heads] = cl > fl ? kl * VectorMath.sum(dotL) : 0f;
            if (gradRight != null) {
                gradRight[oBase + t * heads] = right != null && cr > fr ? kr * VectorMath.sum(dotR) : 0f;
            }
            int done = t + reach;
            if (done < time) {
                finish(ring, (done & mask) * stride, suffix, gradX, xBase + done * channels, invK, hc);
            }
        }
        for (int k = Math.min(time, reach) - 1; k >= 0; k--) {
            finish(ring, (k & mask) * stride, suffix, gradX, xBase + k * channels, invK, hc);
        }
    }

    private static void scatter(VectorSpecies<Double> DS, double[] ring, int at, int half, DoubleVector g0,
                                DoubleVector g1, double w) {
        DoubleVector.fromArray(DS, ring, at).add(g0.mul(w)).intoArray(ring, at);
        DoubleVector.fromArray(DS, ring, at + half).add(g1.mul(w)).intoArray(ring, at + half);
    }

    /** Adds a final dS row to the suffix sum, writes {@code gradX = suffix / K}, and clears the row. */
    private static void finish(double[] ring, int row, int suffix,
                               float[] gradX, int gRow, double invK, int hc) {
        int lanes = FS.length();
        int half = DS.length();
        DoubleVector zero = DoubleVector.zero(DS);
        for (int c = 0; c < hc; c += lanes) {
            DoubleVector s0 = DoubleVector.fromArray(DS, ring, suffix + c).add(DoubleVector.fromArray(DS, ring, row + c));
            DoubleVector s1 = DoubleVector.fromArray(DS, ring, suffix + c + half)
                    .add(DoubleVector.fromArray(DS, ring, row + c + half));
            s0.intoArray(ring, suffix + c);
            s1.intoArray(ring, suffix + c + half);
            zero.intoArray(ring, row + c);
            zero.intoArray(ring, row + c + half);
            FloatVector r = ((FloatVector) s0.mul(invK).convertShape(VectorOperators.D2F, FS, 0))
                    .add((FloatVector) s1.mul(invK).convertShape(VectorOperators.D2F, FS, -1));
            r.intoArray(gradX, gRow + c, FS.indexInRange(c, hc));
        }
    }

    static int roundUp(int n, int lanes) {
        return (n + lanes - 1) / lanes * lanes;
    }
}
