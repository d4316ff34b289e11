package dev.seqmix.opencl;

import dev.seqmix.Kernels;
import java.util.OptionalLong;

/**
 * Device time of the OpenCL kernels, for benchmarks that report kernel time beside end-to-end time. Needs
 * {@code -Dseqmix.opencl.profile=true} (the queue then records profiling events; each launch waits for its
 * event, so profiled runs are a little slower end to end).
 */
public final class OpenClProfiling {
    /** The system property that turns profiling on. */
    public static final String PROPERTY = OpenClContext.PROFILE_PROPERTY;

    private OpenClProfiling() {
    }

    /**
     * Sum of the kernel times (CL_PROFILING_COMMAND_END - START) of every kernel {@code kernels} launched so far,
     * in nanoseconds; empty when {@code kernels} is not an OpenCL instance or profiling is off.
     *
     * @param kernels the instance whose launches are summed
     * @return the kernel time in nanoseconds, or empty
     */
    public static OptionalLong kernelNanos(Kernels kernels) {
        if (kernels instanceof OpenClKernels k && k.context().profiling()) {
            return OptionalLong.of(k.kernelNanos());
        }
        return OptionalLong.empty();
    }
}
