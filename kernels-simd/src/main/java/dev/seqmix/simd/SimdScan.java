package dev.seqmix.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scans along time of {@code [batch][time][channels]}.
 *
 * <p>With several channels the lanes run across channels: each step adds a row to the previous output
 * row, with no shuffles (the previous row is still in L1). With one channel the sequence itself is
 * scanned in registers: a log-step scan inside each vector (shift by 1, 2, 4, ... lanes and add), plus a
 * carry vector holding the running total broadcast to every lane.
 */
final class SimdScan {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    /** Lanes (4, 8 or 16), a constant, so the in-lane prefix's steps fold to straight-line code. */
    private static final int LANES = FS.length();
    /** Every lane takes the last lane: the carry. Static final, so a constant to C2. */
    private static final VectorShuffle<Float> BROADCAST_LAST = VectorShuffle.fromOp(FS, i -> LANES - 1);
    /** Lanes in reverse order. */
    private static final VectorShuffle<Float> REVERSE = VectorShuffle.fromOp(FS, i -> LANES - 1 - i);
    /** Shifts up by 1, 2, 4, 8 lanes (the lanes below the shift are then zeroed with {@link #BELOW_1} etc.). */
    private static final VectorShuffle<Float> UP_1 = VectorShuffle.fromOp(FS, i -> Math.max(i - 1, 0));
    private static final VectorShuffle<Float> UP_2 = VectorShuffle.fromOp(FS, i -> Math.max(i - 2, 0));
    private static final VectorShuffle<Float> UP_4 = VectorShuffle.fromOp(FS, i -> Math.max(i - 4, 0));
    private static final VectorShuffle<Float> UP_8 = VectorShuffle.fromOp(FS, i -> Math.max(i - 8, 0));
    /** The lanes below 1, 2, 4, 8. */
    private static final VectorMask<Float> BELOW_1 = FS.indexInRange(0, 1);
    private static final VectorMask<Float> BELOW_2 = FS.indexInRange(0, 2);
    private static final VectorMask<Float> BELOW_4 = FS.indexInRange(0, 4);
    private static final VectorMask<Float> BELOW_8 = FS.indexInRange(0, 8);

    SimdScan() {
    }

    // The in-lane inclusive prefix sum, v + (v shifted up by 1) + ... with zeros shifted in, is written out in
    // both loops below with the plainest vector operations (a rearrange by a constant shuffle, a blend with a
    // constant mask), not in a helper (a vector passed to or returned from a call C2 did not inline is boxed)
    // and not with the library's unslice, which does the same through a deeper call chain that C2 in some
    // JVMs compiled out of line: the 1-D scan then ran 30x slower and allocated 1 MB a call.

    /** Scans batch rows {@code [from, to)}. {@code out} may be {@code x}. */
    void scan(int time, int channels, float[] x, float[] out, boolean reverse, int from, int to) {
        for (int b = from; b < to; b++) {
            int base = b * time * channels;
            if (channels == 1) {
                if (reverse) {
                    scanSequenceReverse(x, out, base, time);
                } else {
                    scanSequence(x, out, base, time);
                }
            } else {
                scanRows(x, out, base, time, channels, reverse);
            }
        }
    }

    private void scanRows(float[] x, float[] out, int base, int time, int channels, boolean reverse) {
        int lanes = FS.length();
        int step = reverse ? -channels : channels;
        int row = base + (reverse ? time - 1 : 0) * channels;
        System.arraycopy(x, row, out, row, channels);
        int full = channels - channels % lanes;
        for (int t = 1; t < time; t++) {
            int prev = row;
            row += step;
            int c = 0;
            for (; c < full; c += lanes) {
                FloatVector.fromArray(FS, out, prev + c).add(FloatVector.fromArray(FS, x, row + c)).intoArray(out, row + c);
            }
            if (c < channels) {
                VectorMask<Float> m = FS.indexInRange(c, channels);
                FloatVector.fromArray(FS, out, prev + c, m).add(FloatVector.fromArray(FS, x, row + c, m))
                        .intoArray(out, row + c, m);
            }
        }
    }

    /** In-register scan of one contiguous sequence; the carry stays a vector (no lane extraction). */
    private void scanSequence(float[] x, float[] out, int base, int n) {
        int lanes = FS.length();
        FloatVector carry = FloatVector.zero(FS);
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector v = FloatVector.fromArray(FS, x, base + i);
            v = v.add(v.rearrange(UP_1).blend(0f, BELOW_1)); // the in-lane prefix (see above)
            v = v.add(v.rearrange(UP_2).blend(0f, BELOW_2));
            if (LANES >= 8) {
                v = v.add(v.rearrange(UP_4).blend(0f, BELOW_4));
            }
            if (LANES >= 16) {
                v = v.add(v.rearrange(UP_8).blend(0f, BELOW_8));
            }
            v = v.add(carry);
            v.intoArray(out, base + i);
            carry = v.rearrange(BROADCAST_LAST);
        }
        float running = i > 0 ? out[base + i - 1] : 0f;
        for (; i < n; i++) {
            running += x[base + i];
            out[base + i] = running;
        }
    }

    /** The suffix sum: the same scan run from the end, on reversed vectors. */
    private void scanSequenceReverse(float[] x, float[] out, int base, int n) {
        int lanes = FS.length();
        FloatVector carry = FloatVector.zero(FS);
        int end = n;
        for (; end - lanes >= 0; end -= lanes) {
            int at = base + end - lanes;
            FloatVector v = FloatVector.fromArray(FS, x, at).rearrange(REVERSE);
            v = v.add(v.rearrange(UP_1).blend(0f, BELOW_1)); // the in-lane prefix again
            v = v.add(v.rearrange(UP_2).blend(0f, BELOW_2));
            if (LANES >= 8) {
                v = v.add(v.rearrange(UP_4).blend(0f, BELOW_4));
            }
            if (LANES >= 16) {
                v = v.add(v.rearrange(UP_8).blend(0f, BELOW_8));
            }
            v = v.add(carry);
            v.rearrange(REVERSE).intoArray(out, at);
            carry = v.rearrange(BROADCAST_LAST);
        }
        float running = end < n ? out[base + end] : 0f;
        for (int i = end - 1; i >= 0; i--) {
            running += x[base + i];
            out[base + i] = running;
        }
    }
}
