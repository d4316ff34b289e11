package dev.seqmix.spi;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reusable work arrays shared by all threads, so that warm calls allocate nothing. Lock-free: a fixed
 * set of slots, each holding one idle array. {@code acquire} takes an idle array that is large enough
 * (or allocates one, which happens only while the pool warms up or when a larger size first comes);
 * {@code release} puts it back, replacing a smaller idle array when every slot is taken.
 *
 * <p>Arrays come back with arbitrary contents and may be longer than asked for. Arrays above
 * {@link #MAX_POOLED} elements are left to the garbage collector.
 */
public final class ScratchPool {
    private static final int SLOTS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    /** Arrays above this many elements are not kept: a one-off huge call should not pin its memory. */
    static final int MAX_POOLED = 1 << 22;
    private static final AtomicReferenceArray<float[]> FLOATS = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicReferenceArray<double[]> DOUBLES = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicReferenceArray<int[]> INTS = new AtomicReferenceArray<>(SLOTS);

    private ScratchPool() {
    }

    /**
     * A float array of at least {@code length} elements; give it back with {@link #release(float[])}.
     *
     * @param length the least length
     * @return an idle pooled array or a new one, with arbitrary contents
     */
    public static float[] floats(int length) {
        for (int i = 0; i < SLOTS; i++) {
            float[] a = FLOATS.get(i);
            if (a != null && a.length >= length && FLOATS.compareAndSet(i, a, null)) {
                return a;
            }
        }
        return new float[Math.max(length, 16)];
    }

    /**
     * A double array of at least {@code length} elements; give it back with {@link #release(double[])}.
     *
     * @param length the least length
     * @return an idle pooled array or a new one, with arbitrary contents
     */
    public static double[] doubles(int length) {
        for (int i = 0; i < SLOTS; i++) {
            double[] a = DOUBLES.get(i);
            if (a != null && a.length >= length && DOUBLES.compareAndSet(i, a, null)) {
                return a;
            }
        }
        return new double[Math.max(length, 16)];
    }

    /**
     * An int array of at least {@code length} elements; give it back with {@link #release(int[])}.
     *
     * @param length the least length
     * @return an idle pooled array or a new one, with arbitrary contents
     */
    public static int[] ints(int length) {
        for (int i = 0; i < SLOTS; i++) {
            int[] a = INTS.get(i);
            if (a != null && a.length >= length && INTS.compareAndSet(i, a, null)) {
                return a;
            }
        }
        return new int[Math.max(length, 16)];
    }

    /**
     * Gives back an array from {@link #ints(int)}; the caller must not use it afterwards.
     *
     * @param a the array, not null
     */
    public static void release(int[] a) {
        if (a.length > MAX_POOLED) {
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (INTS.get(i) == null && INTS.compareAndSet(i, null, a)) {
                return;
            }
        }
        int smallest = 0;
        for (int i = 1; i < SLOTS; i++) {
            int[] held = INTS.get(i);
            int[] least = INTS.get(smallest);
            if (held != null && least != null && held.length < least.length) {
                smallest = i;
            }
        }
        int[] least = INTS.get(smallest);
        if (least == null || least.length < a.length) {
            INTS.set(smallest, a);
        }
    }

    /**
     * Gives back an array from {@link #floats(int)}; the caller must not use it afterwards.
     *
     * @param a the array, not null
     */
    public static void release(float[] a) {
        if (a.length > MAX_POOLED) {
            return;
        }
        int smallest = -1;
        for (int i = 0; i < SLOTS; i++) {
            float[] held = FLOATS.get(i);
            if (held == null) {
                if (FLOATS.compareAndSet(i, null, a)) {
                    return;
                }
            } else if (held.length < a.length && (smallest < 0 || held.length < lengthOrMax(FLOATS.get(smallest)))) {
                smallest = i;
            }
        }
        if (smallest >= 0) {
            FLOATS.set(smallest, a); // an idle array is dropped: the larger one is more useful
        }
    }

    /**
     * Gives back an array from {@link #doubles(int)}; the caller must not use it afterwards.
     *
     * @param a the array, not null
     */
    public static void release(double[] a) {
        if (a.length > MAX_POOLED) {
            return;
        }
        int smallest = -1;
        for (int i = 0; i < SLOTS; i++) {
            double[] held = DOUBLES.get(i);
            if (held == null) {
                if (DOUBLES.compareAndSet(i, null, a)) {
                    return;
                }
            } else if (held.length < a.length && (smallest < 0 || held.length < lengthOrMax(DOUBLES.get(smallest)))) {
                smallest = i;
            }
        }
        if (smallest >= 0) {
            DOUBLES.set(smallest, a);
        }
    }

    private static int lengthOrMax(float[] a) {
        return a == null ? Integer.MAX_VALUE : a.length;
    }

    private static int lengthOrMax(double[] a) {
        return a == null ? Integer.MAX_VALUE : a.length;
    }
}
