/**
 * seqmix: TaLK convolutions and kernelized attention with relative positional encoding.
 * The public API is {@code dev.seqmix}; backends implement {@code dev.seqmix.spi}.
 */
module dev.seqmix {
    exports dev.seqmix;
    exports dev.seqmix.spi;

    uses dev.seqmix.spi.KernelsProvider;

    provides dev.seqmix.spi.KernelsProvider with dev.seqmix.scalar.ScalarProvider;
}
