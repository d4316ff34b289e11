package dev.seqmix.spi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies between segments and pooled arrays, for backends whose kernels work on arrays. The copies run
 * on the calling thread, so segments of confined arenas work; the arrays may then be shared with
 * worker threads.
 */
public final class Segments {
    private Segments() {
    }

    /**
     * A pooled array holding the first {@code n} floats of {@code s}, or null when {@code s} is null.
     *
     * @param s the segment, or null
     * @param n the number of floats to copy
     * @return the array (give it back with {@link #release(float[])}), or null
     */
    public static float[] load(MemorySegment s, int n) {
        if (s == null) {
            return null;
        }
        float[] a = ScratchPool.floats(n);
        MemorySegment.copy(s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, a, 0, n);
        return a;
    }

    /**
     * A pooled array for an output, or null when {@code s} is null.
     *
     * @param s the output segment, or null
     * @param n the number of floats needed
     * @return the array (give it back with {@link #release(float[])}), or null
     */
    public static float[] scratch(MemorySegment s, int n) {
        return s == null ? null : ScratchPool.floats(n);
    }

    /**
     * Writes {@code a[0..n)} to {@code s} (nothing when either is null).
     *
     * @param a the array, or null
     * @param s the segment, or null
     * @param n the number of floats to copy
     */
    public static void store(float[] a, MemorySegment s, int n) {
        if (a != null && s != null) {
            MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, n);
        }
    }

    /**
     * Returns a pooled array (null ignored).
     *
     * @param a the array from {@link #load} or {@link #scratch}, or null
     */
    public static void release(float[] a) {
        if (a != null) {
            ScratchPool.release(a);
        }
    }
}
