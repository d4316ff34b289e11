package dev.seqmix.scalar;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Process-wide cache of {@link FftCore}s (immutable, so shared by every Kernels instance). Powers of
 * two, the sizes internal callers use, are looked up without boxing.
 */
public final class FftCores {
    private static final AtomicReferenceArray<FftCore> POWERS_OF_TWO = new AtomicReferenceArray<>(31);
    private static final ConcurrentHashMap<Integer, FftCore> OTHERS = new ConcurrentHashMap<>();

    private FftCores() {
    }

    /** The core of size {@code n} (created on first use). */
    public static FftCore get(int n) {
        if (Integer.bitCount(n) == 1) {
            int log = Integer.numberOfTrailingZeros(n);
            FftCore core = POWERS_OF_TWO.get(log);
            if (core == null) {
                core = FftCore.create(n);
                if (!POWERS_OF_TWO.compareAndSet(log, null, core)) {
                    core = POWERS_OF_TWO.get(log);
                }
            }
            return core;
        }
        return OTHERS.computeIfAbsent(n, FftCore::create);
    }
}
