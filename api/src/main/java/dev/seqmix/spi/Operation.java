package dev.seqmix.spi;

import java.lang.foreign.MemorySegment;

/**
 * One operation's float parameters, declared once: each one's name, whether it is written, and which of the
 * call's sizes it must have. The array form and the segment form of the operation are both checked against
 * this one declaration, so their rules cannot drift apart: every parameter present and of its size, every
 * output writable and apart from every other parameter (the same array, or overlapping memory, is rejected),
 * except an output declared {@linkplain #inPlace in place} over one input, which may be exactly that input.
 *
 * <p>Checks allocate nothing: arguments come as fixed positional parameters (absent ones null), and the
 * call's sizes as up to three ints that the declaration's {@code extent} indices pick from.
 */
final class Operation {
    /** Up to this many float parameters. */
    static final int MAX_PARAMS = 9;

    private final String[] names;
    private final String[] shapes;
    private final int[] extents;
    private final boolean[] outputs;
    private int inPlaceOutput = -1;
    private int inPlaceInput = -1;
    private int count;

    Operation() {
        names = new String[MAX_PARAMS];
        shapes = new String[MAX_PARAMS];
        extents = new int[MAX_PARAMS];
        outputs = new boolean[MAX_PARAMS];
    }

    /** Declares the next parameter, read only, whose length is the call's size number {@code extent}. */
    Operation in(String name, int extent, String shape) {
        return add(name, extent, shape, false);
    }

    /** Declares the next parameter, written by the operation. */
    Operation out(String name, int extent, String shape) {
        return add(name, extent, shape, true);
    }

    /** Lets output {@code output} be exactly input {@code input} (an in-place call); any other overlap is an error. */
    Operation inPlace(String output, String input) {
        inPlaceOutput = index(output);
        inPlaceInput = index(input);
        return this;
    }

    /** The bit of parameter {@code name}, for the {@code absent} and {@code optional} masks. */
    int bit(String name) {
        return 1 << index(name);
    }

    private Operation add(String name, int extent, String shape, boolean output) {
        names[count] = name;
        extents[count] = extent;
        shapes[count] = shape;
        outputs[count] = output;
        count++;
        return this;
    }

    private int index(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    private static int size(int extent, int e0, int e1, int e2) {
        return extent == 0 ? e0 : extent == 1 ? e1 : e2;
    }

    private static <T> T arg(int i, T a0, T a1, T a2, T a3, T a4, T a5, T a6, T a7, T a8) {
        return switch (i) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            case 3 -> a3;
            case 4 -> a4;
            case 5 -> a5;
            case 6 -> a6;
            case 7 -> a7;
            default -> a8;
        };
    }

    /**
     * Checks the array form. {@code absent}: parameters the call ignores (not checked at all: the right
     * offsets of a causal shape); {@code optional}: parameters that may be null (then skipped).
     */
    void arrays(int e0, int e1, int e2, int absent, int optional,
                float[] a0, float[] a1, float[] a2, float[] a3, float[] a4, float[] a5, float[] a6, float[] a7) {
        arrays(e0, e1, e2, absent, optional, a0, a1, a2, a3, a4, a5, a6, a7, null);
    }

    /** {@link #arrays(int, int, int, int, int, float[], float[], float[], float[], float[], float[], float[], float[])} with a ninth parameter. */
    void arrays(int e0, int e1, int e2, int absent, int optional, float[] a0, float[] a1, float[] a2, float[] a3,
                float[] a4, float[] a5, float[] a6, float[] a7, float[] a8) {
        for (int i = 0; i < count; i++) {
            float[] a = arg(i, a0, a1, a2, a3, a4, a5, a6, a7, a8);
            if ((absent >> i & 1) != 0 || a == null && (optional >> i & 1) != 0) {
                continue;
            }
            Checks.array(names[i], a, size(extents[i], e0, e1, e2), shapes[i]);
        }
        for (int o = 0; o < count; o++) {
            float[] out = arg(o, a0, a1, a2, a3, a4, a5, a6, a7, a8);
            if (!outputs[o] || out == null || (absent >> o & 1) != 0) {
                continue;
            }
            for (int p = 0; p < count; p++) {
                if (p == o || (absent >> p & 1) != 0 || outputs[p] && p < o) {
                    continue; // two outputs are compared once, from the first
                }
                if (out == arg(p, a0, a1, a2, a3, a4, a5, a6, a7, a8) && !(o == inPlaceOutput && p == inPlaceInput)) {
                    throw new IllegalArgumentException(names[o] + ": must not be the same array as " + names[p]);
                }
            }
        }
    }

    /** Checks the segment form: the same rules, with overlapping memory where the arrays compare identity. */
    void segments(int e0, int e1, int e2, int absent, int optional,
                  MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3, MemorySegment a4,
                  MemorySegment a5, MemorySegment a6, MemorySegment a7) {
        segments(e0, e1, e2, absent, optional, a0, a1, a2, a3, a4, a5, a6, a7, null);
    }

    /** {@link #segments} with a ninth parameter. */
    void segments(int e0, int e1, int e2, int absent, int optional,
                  MemorySegment a0, MemorySegment a1, MemorySegment a2, MemorySegment a3, MemorySegment a4,
                  MemorySegment a5, MemorySegment a6, MemorySegment a7, MemorySegment a8) {
        for (int i = 0; i < count; i++) {
            MemorySegment a = arg(i, a0, a1, a2, a3, a4, a5, a6, a7, a8);
            if ((absent >> i & 1) != 0 || a == null && (optional >> i & 1) != 0) {
                continue;
            }
            if (outputs[i]) {
                Checks.output(names[i], a, size(extents[i], e0, e1, e2), shapes[i]);
            } else {
                Checks.segment(names[i], a, size(extents[i], e0, e1, e2), shapes[i]);
            }
        }
        for (int o = 0; o < count; o++) {
            MemorySegment out = arg(o, a0, a1, a2, a3, a4, a5, a6, a7, a8);
            if (!outputs[o] || out == null || (absent >> o & 1) != 0) {
                continue;
            }
            for (int p = 0; p < count; p++) {
                if (p == o || (absent >> p & 1) != 0 || outputs[p] && p < o) {
                    continue;
                }
                MemorySegment other = arg(p, a0, a1, a2, a3, a4, a5, a6, a7, a8);
                if (o == inPlaceOutput && p == inPlaceInput) {
                    Checks.identicalOrDisjoint(names[o], out, names[p], other);
                } else {
                    Checks.disjoint(names[o], out, names[p], other);
                }
            }
        }
    }
}
