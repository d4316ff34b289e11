package dev.seqmix.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Immutable per-size objects (FFT plans, twiddle tables), created on first use and bounded. Powers of two up to
 * {@link #PINNED_MAX} (at most 21 sizes: the ones hot paths ask for again and again) are kept for good in an
 * array; every other size shares {@link #OTHER_SIZES} places, and the least recently used one gives way to a
 * new size. An evicted object stays valid for whoever still holds it; it is only no longer found here.
 *
 * <p>A warm lookup allocates nothing: the array for the pinned sizes, a scan of the few other places (a few
 * nanoseconds, small beside any transform) for the rest.
 *
 * @param <T> the per-size object
 */
public final class SizeCache<T> {
    /** The largest power of two kept for good: 2^20, whose FFT tables are some megabytes. */
    public static final int PINNED_MAX = 1 << 20;
    /** How many other sizes are kept at once (sizes that are not powers of two, and powers above 2^20). */
    public static final int OTHER_SIZES = 16;

    private final AtomicReferenceArray<T> powersOfTwo = new AtomicReferenceArray<>(21);
    private final AtomicReferenceArray<Entry<T>> others = new AtomicReferenceArray<>(OTHER_SIZES);
    private final IntFunction<T> factory;
    /** Use counter for the least-recently-used choice; racy increments only blur that choice. */
    private long clock;

    private static final class Entry<T> {
        final int n;
        final T value;
        long used;

        Entry(int n, T value, long used) {
            this.n = n;
            this.value = value;
            this.used = used;
        }
    }

    /**
     * An empty cache.
     *
     * @param factory creates the object of a size on its first use
     */
    public SizeCache(IntFunction<T> factory) {
        this.factory = factory;
    }

    /**
     * The object of size {@code n >= 1}; concurrent first calls may both create one, and one wins.
     *
     * @param n the size, at least 1
     * @return the object of that size
     */
    public T get(int n) {
        if (Integer.bitCount(n) == 1 && n <= PINNED_MAX) {
            int log = Integer.numberOfTrailingZeros(n);
            T value = powersOfTwo.get(log);
            if (value == null) {
                value = factory.apply(n);
                if (!powersOfTwo.compareAndSet(log, null, value)) {
                    value = powersOfTwo.get(log);
                }
            }
            return value;
        }
        for (int i = 0; i < OTHER_SIZES; i++) {
            Entry<T> e = others.get(i);
            if (e != null && e.n == n) {
                e.used = ++clock;
                return e.value;
            }
        }
        T value = factory.apply(n); // outside the lock: making a plan can take long
        return insert(n, value);
    }

    private synchronized T insert(int n, T value) {
        int victim = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < OTHER_SIZES; i++) {
            Entry<T> e = others.get(i);
            if (e == null) {
                if (oldest != -1) {
                    victim = i;
                    oldest = -1; // a free place beats any eviction
                }
            } else if (e.n == n) {
                return e.value; // another thread made it meanwhile
            } else if (oldest != -1 && e.used < oldest) {
                victim = i;
                oldest = e.used;
            }
        }
        others.set(victim, new Entry<>(n, value, ++clock));
        return value;
    }

    /**
     * How many sizes are held now (for tests and diagnostics).
     *
     * @return the number of sizes held
     */
    public int size() {
        int count = 0;
        for (int i = 0; i < powersOfTwo.length(); i++) {
            count += powersOfTwo.get(i) != null ? 1 : 0;
        }
        for (int i = 0; i < OTHER_SIZES; i++) {
            count += others.get(i) != null ? 1 : 0;
        }
        return count;
    }

    /** Forgets every size (a closed {@code Kernels} lets go of its plans). */
    public synchronized void clear() {
        for (int i = 0; i < powersOfTwo.length(); i++) {
            powersOfTwo.set(i, null);
        }
        for (int i = 0; i < OTHER_SIZES; i++) {
            others.set(i, null);
        }
    }
}
