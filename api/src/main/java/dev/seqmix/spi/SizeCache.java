package dev.seqmix.spi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Immutable per-size objects (FFT plans, twiddle tables), created once per size on first use. Powers of
 * two, the sizes hot paths ask for, are found in an array without boxing the size, so a warm lookup
 * allocates nothing; other sizes go through a map.
 *
 * @param <T> the per-size object
 */
public final class SizeCache<T> {
    private final AtomicReferenceArray<T> powersOfTwo = new AtomicReferenceArray<>(31);
    private final ConcurrentHashMap<Integer, T> others = new ConcurrentHashMap<>();
    private final IntFunction<T> factory;

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
        if (Integer.bitCount(n) == 1) {
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
        return others.computeIfAbsent(n, factory::apply);
    }
}
