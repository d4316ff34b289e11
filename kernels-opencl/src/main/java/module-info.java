/**
 * The {@code opencl} backend of seqmix, through JOCL. JOCL is loaded only by the provider's probe, so a
 * machine without an OpenCL driver reports the backend as unavailable (with the reason) instead of failing.
 */
@SuppressWarnings("requires-automatic") // jocl has no module name (README, "The JOCL module name")
module dev.seqmix.opencl {
    requires dev.seqmix;
    requires jocl;

    exports dev.seqmix.opencl; // OpenClProvider and OpenClProfiling (kernel times for benchmarks)

    provides dev.seqmix.spi.KernelsProvider with dev.seqmix.opencl.OpenClProvider;
}
