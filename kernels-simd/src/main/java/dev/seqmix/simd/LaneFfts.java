package dev.seqmix.simd;

import dev.seqmix.internal.fft.FftSizes;
import dev.seqmix.internal.SizeCache;
import jdk.incubator.vector.VectorSpecies;

/** Cache of {@link LaneFft}s by size (powers of two), for the backend's one species. */
final class LaneFfts {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    private static final SizeCache<LaneFft> FFTS = new SizeCache<>(LaneFft::new);

    private LaneFfts() {
    }

    static LaneFft get(int size) {
        return FFTS.get(size);
    }

    /** The circulant size for an n x n Toeplitz matrix: the smallest power of two at least 2n - 1. */
    static int circulantSize(int n) {
        return FftSizes.convolution(n);
    }
}
