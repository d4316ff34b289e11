package dev.seqmix.spi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Argument validation shared by every backend, so that all of them reject the same inputs with the
 * same messages (docs/contract.md#error-rules). Messages name the parameter, then what was expected and what came.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Requires {@code value >= 1}.
     *
     * @param name  the parameter's name, for the message
     * @param value the dimension
     */
    public static void dimension(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": expected at least 1, got " + value);
        }
    }

    /**
     * {@code a * b} as an element count, or an exception naming {@code name} on int overflow.
     *
     * @param name the product's name, for the message
     * @param a    a dimension, below {@code 2^31}
     * @param b    a dimension, below {@code 2^31}
     * @return {@code a * b}
     */
    public static int elements(String name, long a, long b) {
        return elements(name, a, b, 1);
    }

    /**
     * {@code a * b * c} as an element count, or an exception naming {@code name} on int overflow.
     *
     * @param name the product's name, for the message
     * @param a    a dimension, below {@code 2^31}
     * @param b    a dimension, below {@code 2^31}
     * @param c    a dimension, below {@code 2^31}
     * @return {@code a * b * c}
     */
    public static int elements(String name, long a, long b, long c) {
        long ab = a * b; // each factor is below 2^31, so a * b cannot overflow a long
        if (ab > Integer.MAX_VALUE || ab * c > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected at most " + Integer.MAX_VALUE
                    + " elements, got more (" + (ab > Integer.MAX_VALUE ? ab + " x " + c : ab * c) + ")");
        }
        return (int) (ab * c);
    }

    /**
     * Requires a non-null array of exactly {@code expected} floats.
     *
     * @param name     the parameter's name, for the message
     * @param array    the array
     * @param expected the length it must have
     * @param shape    how that length is made, for the message (e.g. {@code "batch*time*channels"})
     */
    public static void array(String name, float[] array, int expected, String shape) {
        if (array == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(name + ": expected length " + expected + " (" + shape
                    + "), got " + array.length);
        }
    }

    /**
     * Requires a non-null segment of exactly {@code expected} floats that the calling thread may access now:
     * its arena open ({@link IllegalStateException} otherwise) and, for a confined arena, owned by this thread
     * ({@link WrongThreadException}). Checked here, before any backend starts, because a backend that hands
     * the memory to a driver (opencl) bypasses the segment's own access checks.
     *
     * @param name     the parameter's name, for the message
     * @param segment  the segment
     * @param expected the number of floats it must hold
     * @param shape    how that number is made, for the message
     */
    public static void segment(String name, MemorySegment segment, int expected, String shape) {
        if (segment == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (segment.byteSize() != 4L * expected) {
            throw new IllegalArgumentException(name + ": expected " + 4L * expected + " bytes ("
                    + expected + " floats, " + shape + "), got " + segment.byteSize());
        }
        accessible(name, segment);
    }

    /** A read of one byte runs the segment's liveness and confinement checks (and nothing else). */
    private static void accessible(String name, MemorySegment segment) {
        if (!segment.isNative()) {
            return; // heap segments are always alive and never confined
        }
        try {
            segment.get(ValueLayout.JAVA_BYTE, 0);
        } catch (WrongThreadException e) {
            throw new WrongThreadException(name + ": the segment's arena is confined to another thread", e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(name + ": the segment's arena is closed", e);
        }
    }

    /**
     * Requires a writable output segment of exactly {@code expected} floats.
     *
     * @param name     the parameter's name, for the message
     * @param segment  the segment
     * @param expected the number of floats it must hold
     * @param shape    how that number is made, for the message
     */
    public static void output(String name, MemorySegment segment, int expected, String shape) {
        segment(name, segment, expected, shape);
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException(name + ": expected a writable segment, got a read-only one");
        }
    }

    /**
     * Rejects an output that is the same array as an input.
     *
     * @param outName the output's name, for the message
     * @param out     the output (null passes)
     * @param inName  the input's name, for the message
     * @param in      the input
     */
    public static void distinct(String outName, float[] out, String inName, float[] in) {
        if (out != null && out == in) {
            throw new IllegalArgumentException(outName + ": must not be the same array as " + inName);
        }
    }

    /**
     * Rejects an output segment that overlaps an input segment.
     *
     * @param outName the output's name, for the message
     * @param out     the output (null passes)
     * @param inName  the input's name, for the message
     * @param in      the input (null passes)
     */
    public static void disjoint(String outName, MemorySegment out, String inName, MemorySegment in) {
        if (out != null && in != null && out.asOverlappingSlice(in).isPresent()) {
            throw new IllegalArgumentException(outName + ": must not overlap " + inName);
        }
    }

    /**
     * Rejects a partial overlap; the same region exactly is allowed (in-place operations).
     *
     * @param outName the output's name, for the message
     * @param out     the output, not null
     * @param inName  the input's name, for the message
     * @param in      the input, not null
     */
    public static void identicalOrDisjoint(String outName, MemorySegment out, String inName, MemorySegment in) {
        if (out.asOverlappingSlice(in).isPresent()
                && !(out.address() == in.address() && out.byteSize() == in.byteSize()
                && out.heapBase().equals(in.heapBase()))) {
            throw new IllegalArgumentException(outName + ": must be exactly " + inName + " or not overlap it");
        }
    }

    /**
     * Requires every offset in {@code values[0..length)} to be finite.
     *
     * @param name   the parameter's name, for the message
     * @param values the offsets
     * @param length how many to check, from the start
     */
    public static void finite(String name, float[] values, int length) {
        for (int i = 0; i < length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + "[" + i + "]: expected a finite offset, got " + v);
            }
        }
    }

    /**
     * Requires every float of the segment to be finite.
     *
     * @param name   the parameter's name, for the message
     * @param values the offsets
     * @param length how many floats to check, from the start
     */
    public static void finite(String name, MemorySegment values, int length) {
        for (int i = 0; i < length; i++) {
            float v = values.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + "[" + i + "]: expected a finite offset, got " + v);
            }
        }
    }

    /**
     * Requires every value in {@code values[0..length)} to lie in {@code [0, 1]} (NaN rejected).
     *
     * @param name   the parameter's name, for the message
     * @param values the offsets
     * @param length how many to check, from the start
     */
    public static void unitInterval(String name, float[] values, int length) {
        for (int i = 0; i < length; i++) {
            float v = values[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException(name + "[" + i + "]: expected an offset in [0, 1], got " + v);
            }
        }
    }

    /**
     * Requires every float of the segment to lie in {@code [0, 1]} (NaN rejected).
     *
     * @param name   the parameter's name, for the message
     * @param values the offsets
     * @param length how many floats to check, from the start
     */
    public static void unitInterval(String name, MemorySegment values, int length) {
        for (int i = 0; i < length; i++) {
            float v = values.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException(name + "[" + i + "]: expected an offset in [0, 1], got " + v);
            }
        }
    }
}
