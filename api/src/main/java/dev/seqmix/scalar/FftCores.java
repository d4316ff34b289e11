package dev.seqmix.scalar;

import dev.seqmix.spi.SizeCache;

/** Process-wide cache of {@link FftCore}s (immutable, so shared by every Kernels instance). */
public final class FftCores {
    private static final SizeCache<FftCore> CORES = new SizeCache<>(FftCore::create);

    private FftCores() {
    }

    /** The core of size {@code n} (created on first use). */
    public static FftCore get(int n) {
        return CORES.get(n);
    }
}
