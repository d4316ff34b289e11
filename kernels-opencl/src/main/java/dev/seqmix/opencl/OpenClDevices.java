package dev.seqmix.opencl;

import dev.seqmix.Kernels;
import dev.seqmix.SeqmixException;
import java.util.List;
import org.jocl.CL;

/**
 * Every OpenCL device of the machine, for the device benchmark ({@code seqmix gpu}, and {@code seqmix report} on
 * opencl): each device's properties, a seqmix instance on any of them (with or without profiling, so that kernel
 * time and end-to-end time come from separate instances), and the device's own ceilings. Call it only where the
 * {@code opencl} backend is available ({@code Seqmix.backends()}); otherwise it throws {@link SeqmixException}.
 */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /**
     * One device and what the benchmark page shows of it.
     *
     * @param index         its index over every platform, as {@code -Dseqmix.opencl.device} takes it
     * @param name          CL_DEVICE_NAME
     * @param vendor        CL_DEVICE_VENDOR
     * @param platform      CL_PLATFORM_NAME
     * @param driverVersion CL_DRIVER_VERSION
     * @param openclVersion CL_DEVICE_VERSION
     * @param type          GPU, CPU, accelerator
     * @param computeUnits  CL_DEVICE_MAX_COMPUTE_UNITS
     * @param clockMhz      CL_DEVICE_MAX_CLOCK_FREQUENCY
     * @param localMemory   CL_DEVICE_LOCAL_MEM_SIZE, bytes
     * @param globalMemory  CL_DEVICE_GLOBAL_MEM_SIZE, bytes
     * @param maxAlloc      CL_DEVICE_MAX_MEM_ALLOC_SIZE, bytes
     * @param fp64          whether seqmix uses double sums on it (cl_khr_fp64)
     */
    public record Device(int index, String name, String vendor, String platform, String driverVersion,
                         String openclVersion, String type, int computeUnits, int clockMhz, long localMemory,
                         long globalMemory, long maxAlloc, boolean fp64) {
        /** {@return a short label: "0: NAME"} */
        public String label() {
            return index + ": " + name;
        }
    }

    /**
     * A measured rate: {@code amount} (bytes or flops) per run, and the runs' times.
     *
     * @param amount  bytes moved (read plus written) or flops of one run
     * @param best    the fastest run, seconds
     * @param median  the median run, seconds
     * @param slowest the slowest run, seconds
     * @param runs    how many runs were timed
     */
    public record Rate(double amount, double best, double median, double slowest, int runs) {
        /** {@return amount per second at the best run} */
        public double perSecond() {
            return amount / best;
        }
    }

    /**
     * A device's ceilings.
     *
     * @param copyBuffer   clEnqueueCopyBuffer between two buffers (bytes: read plus written), device time
     * @param copyKernel   a float4 copy kernel over the same buffers, device time
     * @param hostToDevice a blocking write from a direct host buffer, wall time
     * @param deviceToHost a blocking read into a direct host buffer, wall time
     * @param fma          FP32 fused multiply-adds in registers (flops: two per FMA), device time
     * @param bufferBytes  the size of each copy buffer
     */
    public record Roofline(Rate copyBuffer, Rate copyKernel, Rate hostToDevice, Rate deviceToHost, Rate fma,
                           long bufferBytes) {
        /** {@return the copy bandwidth a streaming kernel is held to: the better of the two copies, bytes/s} */
        public double copyBytesPerSecond() {
            return Math.max(copyBuffer.perSecond(), copyKernel.perSecond());
        }
    }

    /** {@return every device of every platform, in index order} @throws SeqmixException where there is none */
    public static List<Device> list() {
        return OpenClDevice.discover().stream().map(OpenClDevices::describe).toList();
    }

    /**
     * The device {@code wanted} names: an index, or part of its name or platform's name (case ignored); null or
     * blank: the one the opencl backend picks by default (the first GPU or accelerator, else the first device).
     *
     * @param wanted an index, a name part, or null
     * @return the device
     * @throws SeqmixException naming the devices there are, where none matches
     */
    public static Device choose(String wanted) {
        return describe(OpenClDevice.choose(OpenClDevice.discover(), wanted));
    }

    /**
     * A seqmix instance on device {@code index}. With {@code profiling}, every launch waits for its profiling
     * event and {@link OpenClProfiling#kernelNanos} sums the kernels' device time (slower end to end: time that
     * on an instance without profiling).
     *
     * @param index     the device's index
     * @param profiling whether to record kernel times
     * @return a new instance; close it
     */
    public static Kernels open(int index, boolean profiling) {
        return new OpenClKernels(new OpenClContext(device(index), profiling));
    }

    /**
     * Measures device {@code index}'s ceilings within about {@code seconds}.
     *
     * @param index   the device's index
     * @param seconds the time to spend, split over the five measurements (each runs at least three times)
     * @return the ceilings
     */
    public static Roofline roofline(int index, double seconds) {
        return DeviceRoofline.measure(device(index), seconds);
    }

    private static OpenClDevice device(int index) {
        List<OpenClDevice> all = OpenClDevice.discover();
        if (index < 0 || index >= all.size()) {
            throw new SeqmixException("no OpenCL device " + index + ": there are " + all.size());
        }
        return all.get(index);
    }

    private static Device describe(OpenClDevice d) {
        return new Device(d.index(), d.name(), Cl.string(d.device(), CL.CL_DEVICE_VENDOR), d.platformName(),
                Cl.string(d.device(), CL.CL_DRIVER_VERSION), d.version(), d.typeName(),
                Cl.uint(d.device(), CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                Cl.uint(d.device(), CL.CL_DEVICE_MAX_CLOCK_FREQUENCY),
                Cl.ulong(d.device(), CL.CL_DEVICE_LOCAL_MEM_SIZE), d.globalMemory(), d.maxAlloc(), d.fp64());
    }
}
