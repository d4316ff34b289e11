package dev.seqmix.simd;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jdk.incubator.vector.VectorSpecies;

/** Process-wide cache of {@link SimdFft}s (immutable) for the backend's one species. */
final class SimdFfts {
    private static final AtomicReferenceArray<SimdFft> POWERS_OF_TWO = new AtomicReferenceArray<>(31);
    private static final ConcurrentHashMap<Integer, SimdFft> OTHERS = new ConcurrentHashMap<>();

    private SimdFfts() {
    }

    static SimdFft get(int n, VectorSpecies<Float> fs) {
        if (Integer.bitCount(n) == 1) {
            int log = Integer.numberOfTrailingZeros(n);
            SimdFft fft = POWERS_OF_TWO.get(log);
            if (fft == null) {
                fft = SimdFft.create(n, fs);
                if (!POWERS_OF_TWO.compareAndSet(log, null, fft)) {
                    fft = POWERS_OF_TWO.get(log);
                }
            }
            return fft;
        }
        return OTHERS.computeIfAbsent(n, size -> SimdFft.create(size, fs));
    }
}
