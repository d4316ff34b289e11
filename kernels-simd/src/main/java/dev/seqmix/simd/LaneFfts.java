package dev.seqmix.simd;

import java.util.concurrent.atomic.AtomicReferenceArray;
import jdk.incubator.vector.VectorSpecies;

/** Cache of {@link LaneFft}s by size (powers of two), for the backend's one species. */
final class LaneFfts {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    private static final AtomicReferenceArray<LaneFft> CACHE = new AtomicReferenceArray<>(31);

    private LaneFfts() {
    }

    static LaneFft get(int size) {
        int log = Integer.numberOfTrailingZeros(size);
        LaneFft fft = CACHE.get(log);
        if (fft == null) {
            fft = new LaneFft(size);
            if (!CACHE.compareAndSet(log, null, fft)) {
                fft = CACHE.get(log);
            }
        }
        return fft;
    }

    /** The circulant size for an n x n Toeplitz matrix: the smallest power of two at least 2n - 1. */
    static int circulantSize(int n) {
        int m = 2 * n - 1;
        return Integer.bitCount(m) == 1 ? m : Integer.highestOneBit(m) << 1;
    }
}
