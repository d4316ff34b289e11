package dev.seqmix.opencl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The host memory an operation reads or writes: the caller's {@code float[]} or {@code MemorySegment}. The array
 * and segment forms of every operation share one path through the kernel classes and {@link OpenClContext},
 * which tell the two apart by this type.
 */
sealed interface HostData {
    /** {@code a} as host data; null for null (an absent optional argument). */
    static HostData of(float[] a) {
        return a == null ? null : new Floats(a);
    }

    /** {@code s} as host data; null for null (an absent optional argument). */
    static HostData of(MemorySegment s) {
        return s == null ? null : new Segment(s);
    }

    /**
     * The largest magnitude among the first {@code n} floats (finite: the operations validate them first).
     *
     * @param n how many floats to read
     * @return {@code max |v[i]|}, 0 when {@code n} is 0
     */
    default double maxAbs(long n) {
        float max = 0f;
        switch (this) {
            case Floats f -> {
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, Math.abs(f.array()[i]));
                }
            }
            case Segment s -> {
                for (long i = 0; i < n; i++) {
                    max = Math.max(max, Math.abs(s.segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i)));
                }
            }
        }
        return max;
    }

    /**
     * Floats in a Java array.
     *
     * @param array the array
     */
    record Floats(float[] array) implements HostData {
    }

    /**
     * Floats in a memory segment, native or on the heap.
     *
     * @param segment the segment
     */
    record Segment(MemorySegment segment) implements HostData {
    }
}
