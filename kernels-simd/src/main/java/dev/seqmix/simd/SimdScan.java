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
    private final VectorShuffle<Float> broadcastLast;
    private final VectorShuffle<Float> reverse;

    SimdScan() {
        int[] last = new int[FS.length()];
        int[] backwards = new int[FS.length()];
        for (int i = 0; i < last.length; i++) {
            last[i] = FS.length() - 1;
            backwards[i] = FS.length() - 1 - i;
        }
        this.broadcastLast = VectorShuffle.fromValues(FS, last);
        this.reverse = VectorShuffle.fromValues(FS, backwards);
    }

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
            // the in-lane prefix written out here, not in a helper: a vector returned from a call C2 did not
            // inline is boxed (a fresh JVM compiled the helper on its own first and then refused to inline it)
            v = v.add(v.unslice(1));
            v = v.add(v.unslice(2));
            if (LANES >= 8) {
                v = v.add(v.unslice(4));
            }
            if (LANES >= 16) {
                v = v.add(v.unslice(8));
            }
            v = v.add(carry);
            v.intoArray(out, base + i);
            carry = v.rearrange(broadcastLast);
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
            FloatVector v = FloatVector.fromArray(FS, x, at).rearrange(reverse);
            v = v.add(v.unslice(1)); // the prefix again, as in scanSequence
            v = v.add(v.unslice(2));
            if (LANES >= 8) {
                v = v.add(v.unslice(4));
            }
            if (LANES >= 16) {
                v = v.add(v.unslice(8));
            }
            v = v.add(carry);
            v.rearrange(reverse).intoArray(out, at);
            carry = v.rearrange(broadcastLast);
        }
        float running = end < n ? out[base + end] : 0f;
        for (int i = end - 1; i >= 0; i--) {
            running += x[base + i];
            out[base + i] = running;
        }
    }
}
