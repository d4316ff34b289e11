package dev.seqmix.internal.fft;

import dev.seqmix.internal.SizeCache;

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
