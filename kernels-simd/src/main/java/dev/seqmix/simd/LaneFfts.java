package dev.seqmix.simd;

import dev.seqmix.internal.fft.FftSizes;
import dev.seqmix.internal.SizeCache;

/** Cache of {@link LaneFft}s by size (powers of two), for the backend's one species. */
final class LaneFfts {
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
