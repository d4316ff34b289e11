package dev.seqmix.simd;

import dev.seqmix.internal.SizeCache;

/** Process-wide cache of {@link SimdFft}s (immutable) for the backend's one species. */
final class SimdFfts {
    private static final SizeCache<SimdFft> FFTS = new SizeCache<>(n -> SimdFft.create(n, SimdSupport.SPECIES));

    private SimdFfts() {
    }

    static SimdFft get(int n) {
        return FFTS.get(n);
    }
}
