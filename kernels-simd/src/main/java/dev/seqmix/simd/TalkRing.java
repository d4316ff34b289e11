package dev.seqmix.simd;

import dev.seqmix.TalkShape;
import dev.seqmix.internal.TalkPositions;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * TaLK window sums on vectors across channels: the forward a time step at a time over a batch row's heads, the
 * backward per (batch, head) slice and chunk of lanes.
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
     * The backward pass of one chunk of lanes ({@code width} channels from {@code chunk}, the rest masked off):
     * dS rows into the ring by time descending, gradX as the compensated suffix sum of the final rows, and the
     * partial offset gradients added to {@code scratch[dots ..]}. No vector is carried across a branch or from
     * one loop into another: C2 boxed such vectors in some JVMs, depending on what it had compiled before
     * (the TwoSum's sum and compensation: 1.8 MB a call). So every step finishes a row, the first
     * {@code reach} steps a row of zeros at {@code scratch[spare ..]} into a spare row there (sum and
     * compensation are still +0 then, and adding +0 leaves them so), and the sum and compensation reach the
     * rows left at the start ({@link #firstRows}) through {@code scratch[carry ..]}.
     */
    private static void backwardChunk(float[] x, float[] gradOut, float[] gradX, float[] scratch, int[] slots,
                                      int chunk, int width, int channels, int time, int mask, int reach,
                                      int weights, int dots, float invK) {
        int lanes = FS.length();
        int carry = dots + 2 * time;
        int spare = carry + 2 * lanes; // a row of zeros, then a row that takes the first steps' results
        VectorMask<Float> m = FS.indexInRange(0, width);
        java.util.Arrays.fill(scratch, 0, weights, 0f);
        java.util.Arrays.fill(scratch, spare, spare + lanes, 0f);
        FloatVector sum = FloatVector.zero(FS);
        FloatVector comp = sum;
        for (int t = time - 1; t >= 0; t--) {
            int cr = slots[4 * t + 2] / channels;
            int fl = slots[4 * t + 3] / channels;
            float aR = scratch[weights + 2 * t];
            float aL = scratch[weights + 2 * t + 1];
            int fr = aR > 0f ? cr - 1 : cr;
            int cl = aL > 0f ? fl + 1 : fl;
            FloatVector g = FloatVector.fromArray(FS, gradOut, chunk + t * channels, m);
            FloatVector xl = FloatVector.fromArray(FS, x, chunk + fl * channels, m);
            FloatVector xr = FloatVector.fromArray(FS, x, chunk + cr * channels, m);
            // Nothing vector-typed crosses a call in this loop: a vector passed to a helper C2 leaves out of
            // line is boxed (in some JVMs 600 KB a call here), so the lane sums are VectorMath's pairwise
            // tree written out with its constant shuffles (the same bits; through memory it cost 25 % of the
            // pass), and the ring updates are written out too.
            FloatVector pl = xl.mul(g);
            FloatVector pr = xr.mul(g);
            if (LANES >= 16) {
                pl = pl.add(pl.rearrange(VectorMath.XOR_8));
                pr = pr.add(pr.rearrange(VectorMath.XOR_8));
            }
            if (LANES >= 8) {
                pl = pl.add(pl.rearrange(VectorMath.XOR_4));
                pr = pr.add(pr.rearrange(VectorMath.XOR_4));
            }
            pl = pl.add(pl.rearrange(VectorMath.XOR_2));
            pr = pr.add(pr.rearrange(VectorMath.XOR_2));
            pl = pl.add(pl.rearrange(VectorMath.XOR_1));
            pr = pr.add(pr.rearrange(VectorMath.XOR_1));
            scratch[dots + 2 * t] += pl.lane(0);
            scratch[dots + 2 * t + 1] += pr.lane(0);
            if (fl >= 1) {
                int at = ((fl - 1) & mask) * lanes;
                FloatVector.fromArray(FS, scratch, at).add(g.mul(-aL)).intoArray(scratch, at);
            }
            if (cl >= 1) {
                int at = ((cl - 1) & mask) * lanes;
                FloatVector.fromArray(FS, scratch, at).add(g.mul(-(1 - aL))).intoArray(scratch, at);
            }
            int atR = (fr & mask) * lanes;
            FloatVector.fromArray(FS, scratch, atR).add(g.mul(1 - aR)).intoArray(scratch, atR);
            int atC = (cr & mask) * lanes;
            FloatVector.fromArray(FS, scratch, atC).add(g.mul(aR)).intoArray(scratch, atC);
            // the row step t finishes, t + reach, or the row of zeros while there is none
            int done = t + reach;
            boolean real = done < time;
            int at = real ? (done & mask) * lanes : spare;
            float[] into = real ? gradX : scratch;
            int to = real ? chunk + done * channels : spare + lanes;
            FloatVector d = FloatVector.fromArray(FS, scratch, at);
            FloatVector.zero(FS).intoArray(scratch, at);
            // TwoSum: next + e == sum + d exactly
            FloatVector next = sum.add(d);
            FloatVector bp = next.sub(sum);
            comp = comp.add(sum.sub(next.sub(bp)).add(d.sub(bp)));
            sum = next;
            sum.add(comp).mul(invK).intoArray(into, to, m);
        }
        sum.intoArray(scratch, carry);
        comp.intoArray(scratch, carry + lanes);
        firstRows(gradX, scratch, chunk, width, channels, Math.min(time, reach), mask, carry, invK);
    }

    /** The rows no step finished, {@code count - 1 .. 0}, into the suffix sum as in {@link #backwardChunk}. */
    private static void firstRows(float[] gradX, float[] scratch, int chunk, int width, int channels, int count,
                                  int mask, int carry, float invK) {
        int lanes = FS.length();
        VectorMask<Float> m = FS.indexInRange(0, width);
        FloatVector sum = FloatVector.fromArray(FS, scratch, carry);
        FloatVector comp = FloatVector.fromArray(FS, scratch, carry + lanes);
        for (int k = count - 1; k >= 0; k--) {
            FloatVector d = FloatVector.fromArray(FS, scratch, (k & mask) * lanes);
            FloatVector next = sum.add(d);
            FloatVector bp = next.sub(sum);
            comp = comp.add(sum.sub(next.sub(bp)).add(d.sub(bp)));
            sum = next;
            sum.add(comp).mul(invK).intoArray(gradX, chunk + k * channels, m);
        }
    }

    /**
     * The window of every step of a slice: ring slots of {@code P[fr+1]} and {@code P[cl]} (rows of
     * {@code row} floats), the input rows {@code cr} and {@code fl} (times channels), and the edge weights
     * {@code aR}, {@code aL} (at {@code weights[at + 2t]}, {@code [at + 2t + 1]}).
     */
    static void windowTable(TalkShape s, float[] left, float[] right, int oBase, int rows, int row, int[] slots,
                            float[] weights, int at) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int mask = rows - 1;
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
            weights[at + 2 * t] = (float) (hi - fr);
            weights[at + 2 * t + 1] = (float) (cl - lo);
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

    /** Floats of backward scratch: the dS ring of one lane chunk, edge weights, partial offset gradients, the carry. */
    static int backwardScratchFloats(int rows, int time) {
        return rows * FS.length() + 4 * time + 4 * FS.length();
    }

    /**
     * Backward pass of slice (b, h), one chunk of lanes at a time, by time descending. The edge gradients
     * dS of docs/contract.md#talk-backward go into a ring of rows in a fixed order (no atomics, the same bits every
     * run); a row is final once no earlier step can reach it, and {@code gradX} is then the running suffix
     * sum of the final rows, / K, kept exact with a TwoSum compensation (it runs over the whole sequence).
     * The offset gradients need no prefix: {@code S[cl-1] - S[fl-1] = x[fl] / K} at a fractional position;
     * their sums over the head's channels are accumulated chunk by chunk in a fixed order.
     *
     * @param scratch {@link #backwardScratchFloats} floats
     * @param slots   {@code 4 * time} ints
     */
    static void backward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut, float[] gradX,
                         float[] gradLeft, float[] gradRight, int b, int h, float[] scratch, int[] slots, int rows) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        int lanes = FS.length();
        int mask = rows - 1;
        int reach = rows / 2 - 1; // E: step t touches dS rows in [t - E - 1, t + E]
        float invK = (float) (1.0 / s.windowSize());
        int xBase = b * time * channels + h * hc;
        int oBase = b * time * heads + h;
        int weights = rows * lanes;
        int dots = weights + 2 * time; // partial sums of x[fl].g and x[cr].g per step
        // slots of the forward table are reused for the input rows cr and fl; dS rows are computed below
        windowTable(s, left, right, oBase, rows, lanes, slots, scratch, weights);
        java.util.Arrays.fill(scratch, dots, dots + 2 * time, 0f);
        for (int c = 0; c < hc; c += lanes) {
            // one chunk of lanes in a method of its own: the whole pass in one method grew past what C2
            // compiles with every vector op intrinsified (in some JVMs 600 KB a call boxed)
            backwardChunk(x, gradOut, gradX, scratch, slots, xBase + c, hc - c, channels, time, mask, reach,
                    weights, dots, invK);
        }
        float kl = (float) (s.maxLeft() * (double) invK);
        float kr = (float) (s.maxRight() * (double) invK);
        for (int t = 0; t < time; t++) {
            boolean fracL = scratch[weights + 2 * t + 1] > 0f;
            boolean fracR = scratch[weights + 2 * t] > 0f;
            gradLeft[oBase + t * heads] = fracL ? kl * scratch[dots + 2 * t] : 0f;
            if (gradRight != null) {
                gradRight[oBase + t * heads] = right != null && fracR ? kr * scratch[dots + 2 * t + 1] : 0f;
            }
        }
    }
}
