package dev.seqmix.simd;

import dev.seqmix.TalkShape;
import dev.seqmix.internal.TalkPositions;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * TaLK window sums on vectors across channels, forward and backward a time step at a time over a batch row's
 * heads.
 *
 * <p>Forward: the window of step t is an integer part and two fractional edges,
 * <pre>
 * out = ((P[fr+1] - P[cl]) + aR * x[cr] + aL * x[fl]) / K,   P[k] = x[0] + ... + x[k-1]
 * </pre>
 * which is docs/contract.md#talk-forward ({@code S[cr] - S[fr] = x[cr]/K} at a fractional position, and the
 * weight is 0 otherwise). A window reads P only within {@code E} steps of t, E being the largest extent any
 * offset of the call reaches ({@code ceil(max|offset| * maxLeft)}, likewise right), so P lives in a ring of
 * at least {@code 2E + 2} rows, computed as time advances, and stays in cache.
 *
 * <p>P is a float Kahan sum: each row holds the running sum s and its compensation c (P = s - c). A plain
 * float prefix grows with t and loses the small windows of long sequences (docs/contract.md#talk-accuracy); with the
 * compensation, {@code (s_f - s_c) - (c_f - c_c)} is exact to a few ulp of the window itself, because the
 * rounding errors that remain (in {@code x - c}) are those of the window's own terms. Float keeps the
 * vectors full: a double prefix costs conversions and half-width vectors.
 */
final class TalkRing {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    /** Lanes (4, 8 or 16), a constant, so the lane sum's steps fold to straight-line code. */
    private static final int LANES = FS.length();

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

    /**
     * Floats of one forward ring row: the running sums s of the channels (rounded up to whole vectors) and then
     * their compensations c, plus 16 so that rows do not lie a multiple of 4 KiB apart (a load from one row would
     * wait on a store to another).
     */
    static int forwardRowFloats(TalkShape s) {
        return 2 * forwardStride(s) + 16;
    }

    /** Floats from a ring row's sums to its compensations: the channels rounded up to whole vectors. */
    private static int forwardStride(TalkShape s) {
        return SimdSupport.roundUp(s.channels(), FS.length());
    }

    /** Floats of forward scratch: the ring. */
    static int forwardScratchFloats(TalkShape s, int rows) {
        return rows * forwardRowFloats(s);
    }

    /**
     * Forward pass of heads {@code [h0, h1)} of batch row b, a time step at a time over their channels: rows of
     * x and out are read and written whole, in order. (Walking each chunk of lanes down time instead, 2 KiB
     * apart per step for 512 channels, cost 2.7x: a cache and TLB miss a step.) Per step, one Kahan step of the
     * prefix for every channel ({@link #advance}) into ring row k + 1, then each head's window
     * ({@link #window}) from the ring rows its offsets give: the stream's own code, so the stream gives this
     * pass's bits.
     *
     * @param ring {@link #forwardScratchFloats} floats
     * @param rows ring rows: a power of two at least {@code 2E + 2}, E the farthest any window reaches
     */
    static void forward(TalkShape s, float[] x, float[] left, float[] right, float[] out, int b, int h0, int h1,
                        float[] ring, int rows) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        int row = forwardRowFloats(s);
        int stride = forwardStride(s); // s, then c at + stride
        int mask = rows - 1;
        int width = (h1 - h0) * hc;
        float invK = (float) (1.0 / s.windowSize());
        int xBase = b * time * channels + h0 * hc;
        int oBase = b * time * heads;
        java.util.Arrays.fill(ring, 0, row, 0f); // P[0] = 0
        int ahead = rows / 2 - 1; // E: P[t + E + 1] is the farthest a window of step t reads
        for (int t = -ahead; t < time; t++) {
            int k = t + ahead;
            if (k < time) {
                advance(ring, (k & mask) * row, ((k + 1) & mask) * row, stride, x, xBase + k * channels, width);
            }
            if (t < 0) {
                continue;
            }
            for (int h = h0; h < h1; h++) {
                double lo = TalkPositions.low(t, left[oBase + t * heads + h], s.maxLeft(), time);
                double hi = right == null ? t : TalkPositions.high(t, right[oBase + t * heads + h], s.maxRight(), time);
                int fl = (int) Math.floor(lo);
                int cl = (int) Math.ceil(lo);
                int fr = (int) Math.floor(hi);
                int cr = (int) Math.ceil(hi);
                int head = (h - h0) * hc;
                window(ring, ((fr + 1) & mask) * row + head, (cl & mask) * row + head, stride, x,
                        xBase + cr * channels + head, xBase + fl * channels + head, (float) (hi - fr),
                        (float) (cl - lo), invK, out, xBase + t * channels + head, hc);
            }
        }
    }

    /**
     * {@code P[k+1] = P[k] + x[k]} for one row, as a Kahan step: {@code y = x - c; t = s + y; c = (t - s) - y}.
     * The step is written out in both loops rather than in a helper taking a vector: where C2 did not inline
     * such a helper (it depends on what it compiled first), every vector passed was boxed (about 17 KB a
     * stream step).
     */
    static void advance(float[] ring, int from, int to, int stride, float[] x, int xRow, int hc) {
        int lanes = FS.length();
        int c = 0;
        for (; c + lanes <= hc; c += lanes) {
            FloatVector s = FloatVector.fromArray(FS, ring, from + c);
            FloatVector y = FloatVector.fromArray(FS, x, xRow + c).sub(FloatVector.fromArray(FS, ring, from + c + stride));
            FloatVector sum = s.add(y);
            sum.intoArray(ring, to + c);
            sum.sub(s).sub(y).intoArray(ring, to + c + stride);
        }
        if (c < hc) { // the ring's rows are padded to whole vectors: only the input needs the mask
            FloatVector s = FloatVector.fromArray(FS, ring, from + c);
            FloatVector y = FloatVector.fromArray(FS, x, xRow + c, FS.indexInRange(c, hc))
                    .sub(FloatVector.fromArray(FS, ring, from + c + stride));
            FloatVector sum = s.add(y);
            sum.intoArray(ring, to + c);
            sum.sub(s).sub(y).intoArray(ring, to + c + stride);
        }
    }

    /** One output row: {@code ((s_f - s_c) - (c_f - c_c) + aR x[cr] + aL x[fl]) / K}. */
    static void window(float[] ring, int pHi, int pLo, int stride, float[] x, int xCr, int xFl, float aR, float aL,
                       float invK, float[] out, int oRow, int hc) {
        int lanes = FS.length();
        FloatVector vaR = FloatVector.broadcast(FS, aR);
        FloatVector vaL = FloatVector.broadcast(FS, aL);
        int c = 0;
        // the window sum written out in both loops, as in advance: no vectors passed to or returned by a helper
        for (; c + lanes <= hc; c += lanes) {
            FloatVector s = FloatVector.fromArray(FS, ring, pHi + c).sub(FloatVector.fromArray(FS, ring, pLo + c));
            FloatVector k = FloatVector.fromArray(FS, ring, pHi + c + stride)
                    .sub(FloatVector.fromArray(FS, ring, pLo + c + stride));
            FloatVector.fromArray(FS, x, xFl + c).fma(vaL, FloatVector.fromArray(FS, x, xCr + c).fma(vaR, s.sub(k)))
                    .mul(invK).intoArray(out, oRow + c);
        }
        if (c < hc) {
            VectorMask<Float> m = FS.indexInRange(c, hc);
            FloatVector s = FloatVector.fromArray(FS, ring, pHi + c).sub(FloatVector.fromArray(FS, ring, pLo + c));
            FloatVector k = FloatVector.fromArray(FS, ring, pHi + c + stride)
                    .sub(FloatVector.fromArray(FS, ring, pLo + c + stride));
            FloatVector.fromArray(FS, x, xFl + c, m).fma(vaL, FloatVector.fromArray(FS, x, xCr + c, m).fma(vaR, s.sub(k)))
                    .mul(invK).intoArray(out, oRow + c, m);
        }
    }

    /**
     * One causal stream step of one head, {@link #advance} and {@link #window} fused: the input row goes into
     * the input ring ({@code inNow}), the Kahan step from ring row {@code from} into row {@code to}, and the
     * window {@code ((s_to - s_lo) - (c_to - c_lo) + 0 * x + aL * x[fl]) / K} from the new row's sum and
     * compensation still in registers and the input just read ({@code cr = t}, {@code aR = 0}). The same
     * operations on the same values as advance, then window: the same bits as the causal forward, with two
     * loads, the input copy and two calls fewer a vector (566-638 -> 422-434 ns a step of [1][512], 8 heads).
     * Ring and input rows are padded to whole vectors; only the caller's x and out rows need the tail's mask
     * (masking every vector cost 15 %).
     */
    static void streamStep(float[] ring, int from, int to, int pLo, int stride, float[] x, int xRow, float[] inputs,
                           int inNow, int inFl, float aL, float invK, float[] out, int hc) {
        int lanes = FS.length();
        FloatVector vaR = FloatVector.zero(FS);
        FloatVector vaL = FloatVector.broadcast(FS, aL);
        int c = 0;
        // written out for whole vectors and for the masked tail, as advance and window (no vector passes a call)
        for (; c + lanes <= hc; c += lanes) {
            FloatVector xv = FloatVector.fromArray(FS, x, xRow + c);
            xv.intoArray(inputs, inNow + c);
            FloatVector s = FloatVector.fromArray(FS, ring, from + c);
            FloatVector y = xv.sub(FloatVector.fromArray(FS, ring, from + c + stride));
            FloatVector sum = s.add(y);
            FloatVector comp = sum.sub(s).sub(y);
            sum.intoArray(ring, to + c);
            comp.intoArray(ring, to + c + stride);
            FloatVector d = sum.sub(FloatVector.fromArray(FS, ring, pLo + c));
            FloatVector k = comp.sub(FloatVector.fromArray(FS, ring, pLo + c + stride));
            FloatVector.fromArray(FS, inputs, inFl + c).fma(vaL, xv.fma(vaR, d.sub(k))).mul(invK)
                    .intoArray(out, xRow + c);
        }
        if (c < hc) {
            VectorMask<Float> m = FS.indexInRange(c, hc);
            FloatVector xv = FloatVector.fromArray(FS, x, xRow + c, m);
            xv.intoArray(inputs, inNow + c);
            FloatVector s = FloatVector.fromArray(FS, ring, from + c);
            FloatVector y = xv.sub(FloatVector.fromArray(FS, ring, from + c + stride));
            FloatVector sum = s.add(y);
            FloatVector comp = sum.sub(s).sub(y);
            sum.intoArray(ring, to + c);
            comp.intoArray(ring, to + c + stride);
            FloatVector d = sum.sub(FloatVector.fromArray(FS, ring, pLo + c));
            FloatVector k = comp.sub(FloatVector.fromArray(FS, ring, pLo + c + stride));
            FloatVector.fromArray(FS, inputs, inFl + c).fma(vaL, xv.fma(vaR, d.sub(k))).mul(invK)
                    .intoArray(out, xRow + c, m);
        }
    }

    /** Floats of one backward ring row: each head's channels rounded up to whole vectors, plus 16 (as forward). */
    static int backwardRowFloats(TalkShape s) {
        return s.heads() * SimdSupport.roundUp(s.headChannels(), FS.length()) + 16;
    }

    /** Floats of row-major backward scratch: the dS ring, a sink row, and the suffix sum and its compensation. */
    static int backwardRowsScratchFloats(TalkShape s, int rows) {
        return (rows + 3) * backwardRowFloats(s);
    }

    /**
     * Backward pass of heads {@code [h0, h1)} of batch row b, a time step at a time over their channels, time
     * descending: rows of gradOut and gradX are read and written whole, in order. (Walking each (batch, head)
     * slice's chunks of lanes down time instead, as this pass did before, stepped a whole row of channels a
     * step and cost 1.6-1.9x: a cache and TLB miss a step.) Per step and head: the edge gradients dS of
     * docs/contract.md#talk-backward added into a ring of rows in the contract's order (no atomics, the same
     * bits every run), and the offset gradients {@code maxLeft/K * x[fl].g} and {@code maxRight/K * x[cr].g}
     * ({@code S[cl-1] - S[fl-1] = x[fl] / K} at a fractional position, and 0 at an integer one), each a dot
     * product over the head's channels in lane accumulators summed by VectorMath's pairwise tree. Then the row
     * that no earlier step can reach, t + reach, joins the suffix sum and becomes gradX: a TwoSum compensation
     * kept in two scratch rows, since the sum runs over the whole sequence. No vector crosses a branch or
     * passes a call: C2 boxed such vectors in some JVMs, depending on what it had compiled before (the TwoSum's
     * sum and compensation carried across a branch cost 1.8 MB a call); so an edge before the start (fl or
     * cl = 0) adds into a sink row, and the lane sums are written out.
     *
     * @param scratch {@link #backwardRowsScratchFloats} floats
     * @param rows    ring rows: a power of two at least {@code 2E + 2}
     */
    static void backwardRows(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut, float[] gradX,
                             float[] gradLeft, float[] gradRight, int b, int h0, int h1, float[] scratch, int rows) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        int lanes = FS.length();
        int hs = SimdSupport.roundUp(hc, lanes);
        int row = backwardRowFloats(s);
        int mask = rows - 1;
        int reach = rows / 2 - 1; // E: step t touches dS rows in [t - E - 1, t + E]
        int sink = rows * row;
        int sumAt = sink + row;
        int compAt = sumAt + row;
        float invK = (float) (1.0 / s.windowSize());
        float kl = (float) (s.maxLeft() * (double) invK);
        float kr = (float) (s.maxRight() * (double) invK);
        int xBase = b * time * channels;
        int oBase = b * time * heads;
        java.util.Arrays.fill(scratch, 0, compAt + row, 0f);
        for (int t = time - 1; t >= 0; t--) {
            for (int h = h0; h < h1; h++) {
                int o = oBase + t * heads + h;
                double lo = TalkPositions.low(t, left[o], s.maxLeft(), time);
                double hi = right == null ? t : TalkPositions.high(t, right[o], s.maxRight(), time);
                int fl = (int) Math.floor(lo);
                int cl = (int) Math.ceil(lo);
                int fr = (int) Math.floor(hi);
                int cr = (int) Math.ceil(hi);
                float aR = (float) (hi - fr);
                float aL = (float) (cl - lo);
                int head = (h - h0) * hs;
                int atFl = (fl >= 1 ? ((fl - 1) & mask) * row : sink) + head;
                int atCl = (cl >= 1 ? ((cl - 1) & mask) * row : sink) + head;
                int atFr = (fr & mask) * row + head;
                int atCr = (cr & mask) * row + head;
                int xh = xBase + h * hc;
                FloatVector accL = FloatVector.zero(FS);
                FloatVector accR = accL;
                for (int c = 0; c < hc; c += lanes) {
                    VectorMask<Float> m = FS.indexInRange(c, hc);
                    FloatVector g = FloatVector.fromArray(FS, gradOut, xh + t * channels + c, m);
                    accL = FloatVector.fromArray(FS, x, xh + fl * channels + c, m).fma(g, accL);
                    accR = FloatVector.fromArray(FS, x, xh + cr * channels + c, m).fma(g, accR);
                    FloatVector.fromArray(FS, scratch, atFl + c).add(g.mul(-aL)).intoArray(scratch, atFl + c);
                    FloatVector.fromArray(FS, scratch, atCl + c).add(g.mul(-(1 - aL))).intoArray(scratch, atCl + c);
                    FloatVector.fromArray(FS, scratch, atFr + c).add(g.mul(1 - aR)).intoArray(scratch, atFr + c);
                    FloatVector.fromArray(FS, scratch, atCr + c).add(g.mul(aR)).intoArray(scratch, atCr + c);
                }
                // the lane sums in VectorMath's tree with its constant shuffles, written out (no vector passes a call)
                if (LANES >= 16) {
                    accL = accL.add(accL.rearrange(VectorMath.XOR_8));
                    accR = accR.add(accR.rearrange(VectorMath.XOR_8));
                }
                if (LANES >= 8) {
                    accL = accL.add(accL.rearrange(VectorMath.XOR_4));
                    accR = accR.add(accR.rearrange(VectorMath.XOR_4));
                }
                accL = accL.add(accL.rearrange(VectorMath.XOR_2));
                accR = accR.add(accR.rearrange(VectorMath.XOR_2));
                accL = accL.add(accL.rearrange(VectorMath.XOR_1));
                accR = accR.add(accR.rearrange(VectorMath.XOR_1));
                float dotL = accL.lane(0);
                float dotR = accR.lane(0);
                gradLeft[o] = aL > 0f ? kl * dotL : 0f;
                if (gradRight != null) {
                    gradRight[o] = right != null && aR > 0f ? kr * dotR : 0f;
                }
            }
            if (t + reach < time) {
                finishRow(gradX, scratch, t + reach, (t + reach) & mask, row, sumAt, compAt, xBase, h0, h1, hc, hs,
                        channels, invK);
            }
        }
        for (int k = Math.min(time, reach) - 1; k >= 0; k--) {
            finishRow(gradX, scratch, k, k & mask, row, sumAt, compAt, xBase, h0, h1, hc, hs, channels, invK);
        }
    }

    /** Ring row {@code slot} (dS of step k) into the suffix sum, cleared, and gradX row k = that sum / K. */
    private static void finishRow(float[] gradX, float[] scratch, int k, int slot, int row, int sumAt, int compAt,
                                  int xBase, int h0, int h1, int hc, int hs, int channels, float invK) {
        int lanes = FS.length();
        for (int h = h0; h < h1; h++) {
            int head = (h - h0) * hs;
            int at = slot * row + head;
            int to = xBase + k * channels + h * hc;
            for (int c = 0; c < hc; c += lanes) {
                FloatVector d = FloatVector.fromArray(FS, scratch, at + c);
                FloatVector.zero(FS).intoArray(scratch, at + c);
                FloatVector sum = FloatVector.fromArray(FS, scratch, sumAt + head + c);
                FloatVector comp = FloatVector.fromArray(FS, scratch, compAt + head + c);
                // TwoSum: next + e == sum + d exactly
                FloatVector next = sum.add(d);
                FloatVector bp = next.sub(sum);
                comp = comp.add(sum.sub(next.sub(bp)).add(d.sub(bp)));
                next.intoArray(scratch, sumAt + head + c);
                comp.intoArray(scratch, compAt + head + c);
                next.add(comp).mul(invK).intoArray(gradX, to + c, FS.indexInRange(c, hc));
            }
        }
    }
}
