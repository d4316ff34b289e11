/**
 * The {@code simd} backend of seqmix, on the Vector API. The incubator module is optional: without it the
 * provider reports the backend as unavailable (and logs how to enable it) instead of failing.
 */
module dev.seqmix.simd {
    requires dev.seqmix;
    requires static jdk.incubator.vector;
    requires static jdk.management;

    provides dev.seqmix.spi.KernelsProvider with dev.seqmix.simd.SimdProvider;
}
