package dev.seqmix.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reusable work arrays shared by all threads, so that warm calls allocate nothing. Lock-free: a fixed
 * set of slots, each holding one idle array. {@code acquire} takes an idle array that is large enough
 * (or allocates one, which happens only while the pool warms up or when a larger size first comes);
 * {@code release} puts it back, replacing a smaller idle array when every slot is taken.
 *
 * <p>Arrays come back with arbitrary contents and may be longer than asked for. The idle arrays together
 * hold at most {@link #BUDGET_BYTES} (a sixteenth of the heap, between 64 MiB and 512 MiB): within it any
 * size is kept, so a service that repeats 2^20-point FFTs (16 MiB of scratch each) allocates nothing; an
 * array that would exceed it is left to the garbage collector, so a one-off huge call does not pin its
 * memory.
 */
public final class ScratchPool {
    private static final int SLOTS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    /** Bytes the idle arrays may hold together: {@code maxMemory / 16}, clamped to [64 MiB, 512 MiB]. */
    public static final long BUDGET_BYTES = Math.max(64L << 20, Math.min(512L << 20,
            Runtime.getRuntime().maxMemory() / 16));
    private static final AtomicReferenceArray<float[]> FLOATS = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicReferenceArray<double[]> DOUBLES = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicReferenceArray<int[]> INTS = new AtomicReferenceArray<>(SLOTS);
    /** Bytes held by idle arrays now. */
    private static final AtomicLong IDLE_BYTES = new AtomicLong();

    private ScratchPool() {
    }

    /**
     * A float array of at least {@code length} elements; give it back with {@link #release(float[])}.
     *
     * @param length the elements needed
     * @return an array of at least that length, contents arbitrary
     */
    public static float[] floats(int length) {
        for (int i = 0; i < SLOTS; i++) {
            float[] a = FLOATS.get(i);
            if (a != null && a.length >= length && FLOATS.compareAndSet(i, a, null)) {
                IDLE_BYTES.addAndGet(-4L * a.length);
                return a;
            }
        }
        return new float[Math.max(length, 16)];
    }

    /**
     * A double array of at least {@code length} elements; give it back with {@link #release(double[])}.
     *
     * @param length the elements needed
     * @return an array of at least that length, contents arbitrary
     */
    public static double[] doubles(int length) {
        for (int i = 0; i < SLOTS; i++) {
            double[] a = DOUBLES.get(i);
            if (a != null && a.length >= length && DOUBLES.compareAndSet(i, a, null)) {
                IDLE_BYTES.addAndGet(-8L * a.length);
                return a;
            }
        }
        return new double[Math.max(length, 16)];
    }

    /**
     * An int array of at least {@code length} elements; give it back with {@link #release(int[])}.
     *
     * @param length the elements needed
     * @return an array of at least that length, contents arbitrary
     */
    public static int[] ints(int length) {
        for (int i = 0; i < SLOTS; i++) {
            int[] a = INTS.get(i);
            if (a != null && a.length >= length && INTS.compareAndSet(i, a, null)) {
                IDLE_BYTES.addAndGet(-4L * a.length);
                return a;
            }
        }
        return new int[Math.max(length, 16)];
    }

    /**
     * Gives an array back.
     *
     * @param a an array from {@link #ints(int)}
     */
    public static void release(int[] a) {
        put(INTS, a, 4L * a.length);
    }

    /**
     * Gives an array back.
     *
     * @param a an array from {@link #floats(int)}
     */
    public static void release(float[] a) {
        put(FLOATS, a, 4L * a.length);
    }

    /**
     * Gives an array back.
     *
     * @param a an array from {@link #doubles(int)}
     */
    public static void release(double[] a) {
        put(DOUBLES, a, 8L * a.length);
    }

    /**
     * Puts {@code a} in a free slot, or in place of the smallest idle array smaller than it; within the budget,
     * else not at all. The budget is checked before the array is added, so concurrent releases may exceed
     * it briefly by at most one array each.
     */
    private static <T> void put(AtomicReferenceArray<T> slots, T a, long bytes) {
        if (IDLE_BYTES.get() + bytes > BUDGET_BYTES) {
            return;
        }
        int smallest = -1;
        long smallestBytes = Long.MAX_VALUE;
        for (int i = 0; i < SLOTS; i++) {
            T held = slots.get(i);
            if (held == null) {
                if (slots.compareAndSet(i, null, a)) {
                    IDLE_BYTES.addAndGet(bytes);
                    return;
                }
            } else {
                long heldBytes = bytes(held);
                if (heldBytes < bytes && heldBytes < smallestBytes) {
                    smallest = i;
                    smallestBytes = heldBytes;
                }
            }
        }
        if (smallest >= 0) {
            T old = slots.get(smallest);
            if (old != null && bytes(old) < bytes && slots.compareAndSet(smallest, old, a)) {
                IDLE_BYTES.addAndGet(bytes - bytes(old)); // the smaller idle array is dropped
            }
        }
    }

    private static long bytes(Object a) {
        return switch (a) {
            case float[] f -> 4L * f.length;
            case double[] d -> 8L * d.length;
            case int[] i -> 4L * i.length;
            default -> throw new IllegalArgumentException("not a pooled array: " + a);
        };
    }

    /**
     * Bytes the idle arrays hold now (for tests and diagnostics).
     *
     * @return the bytes held
     */
    public static long idleBytes() {
        return IDLE_BYTES.get();
    }
}
