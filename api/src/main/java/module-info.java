/**
 * seqmix: TaLK convolutions and kernelized attention with relative positional encoding.
 * The public API is {@code dev.seqmix}; backends implement {@code dev.seqmix.spi}.
 */
module dev.seqmix {
    requires java.management; // the warm-up watches the JIT's compilation time

    exports dev.seqmix;
    exports dev.seqmix.spi;
    // the numerical core the backends share (the FFT engine, the thread split, the scratch pool, the size cache,
    // TaLK positions): for seqmix's own backends only, not an API
    exports dev.seqmix.internal to dev.seqmix.simd, dev.seqmix.opencl;
    exports dev.seqmix.internal.fft to dev.seqmix.simd, dev.seqmix.opencl;

    uses dev.seqmix.spi.KernelsProvider;

    provides dev.seqmix.spi.KernelsProvider with dev.seqmix.scalar.ScalarProvider;
}
