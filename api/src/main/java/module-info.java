/**
 * seqmix: TaLK convolutions and kernelized attention with relative positional encoding.
 * The public API is {@code dev.seqmix}; backends implement {@code dev.seqmix.spi}.
 */
module dev.seqmix {
    exports dev.seqmix;
    exports dev.seqmix.spi;
    // the simd backend reuses the reference FFT for the sizes its vector code does not cover
    exports dev.seqmix.scalar to dev.seqmix.simd;

    uses dev.seqmix.spi.KernelsProvider;

    provides dev.seqmix.spi.KernelsProvider with dev.seqmix.scalar.ScalarProvider;
}
