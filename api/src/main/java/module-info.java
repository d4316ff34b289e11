/**
 * seqmix: TaLK convolutions and kernelized attention with relative positional encoding.
 * The public API is {@code dev.seqmix}; backends implement {@code dev.seqmix.spi}.
 */
module dev.seqmix {
    requires java.management; // the warm-up watches the JIT's compilation time

    exports dev.seqmix;
    exports dev.seqmix.spi;
    // the other backends reuse the reference FFT's tables and, in simd, its scalar path
    exports dev.seqmix.scalar to dev.seqmix.simd, dev.seqmix.opencl;

    uses dev.seqmix.spi.KernelsProvider;

    provides dev.seqmix.spi.KernelsProvider with dev.seqmix.scalar.ScalarProvider;
}
