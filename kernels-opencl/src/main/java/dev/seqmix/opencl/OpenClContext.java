package dev.seqmix.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_MAP_READ;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_MEM_USE_HOST_PTR;
import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueCopyBuffer;
import static org.jocl.CL.clEnqueueMapBuffer;
import static org.jocl.CL.clEnqueueUnmapMemObject;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clGetEventProfilingInfo;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clSetKernelArg;
import static org.jocl.CL.clWaitForEvents;

import dev.seqmix.spi.Segments;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One OpenCL context and in-order command queue on one device, with its programs and buffers: one per
 * {@code Kernels}.
 *
 * <p>Threads: a {@code Kernels} may be called from many threads. Every operation runs as one critical
 * section under {@link #locked}: it uploads, enqueues its kernels and reads back while holding the lock,
 * so the queue, the kernel objects (whose arguments are state) and the reused buffers are never shared by
 * two operations at once. One queue per thread would let transfers overlap, but kernel objects and buffers
 * would then be needed per thread too; on one device the kernels run one after the other anyway.
 *
 * <p>Profiling: with {@code -Dseqmix.opencl.profile=true} the queue records profiling events and
 * {@link #kernelNanos()} sums the device time of every kernel launched (the benchmarks report it).
 */
final class OpenClContext {
    static final String PROFILE_PROPERTY = "seqmix.opencl.profile";
    /** Set to false to copy native segments even where the device could use their memory in place. */
    static final String ZERO_COPY_PROPERTY = "seqmix.opencl.zeroCopy";
    /** Largest transfer of one segment slice (asByteBuffer is limited to 2 GiB). */
    private static final long CHUNK = 1L << 30;

    final OpenClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    final ProgramCache programs;
    final DeviceBuffers buffers;
    private final ReentrantLock lock = new ReentrantLock();
    private final boolean profiling;
    private final boolean zeroCopy;
    private long kernelNanos;
    private boolean released;
    /** Buffers over the caller's segments (CL_MEM_USE_HOST_PTR) of the running operation, and their segments. */
    private final List<cl_mem> wrapped = new ArrayList<>();
    private final List<MemorySegment> wrappedSegments = new ArrayList<>();
    /** How many segments were used in place so far (for tests). */
    long zeroCopyCount;

    OpenClContext(OpenClDevice device) {
        this(device, defaultOptions(device));
    }

    OpenClContext(OpenClDevice device, boolean profiling) {
        this(device, defaultOptions(device), profiling);
    }

    OpenClContext(OpenClDevice device, String buildOptions) {
        this(device, buildOptions, Boolean.getBoolean(PROFILE_PROPERTY));
    }

    @SuppressWarnings("deprecation") // clCreateCommandQueue: the OpenCL 1.2 call (PoCL and every vendor have it)
    private OpenClContext(OpenClDevice device, String buildOptions, boolean profiling) {
        Cl.init();
        this.device = device;
        this.profiling = profiling;
        this.zeroCopy = device.hostUnified()
                && !"false".equalsIgnoreCase(System.getProperty(ZERO_COPY_PROPERTY, "true"));
        cl_context ctx = null;
        try {
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
            ctx = clCreateContext(props, 1, new cl_device_id[] {device.device()}, null, null, null);
            this.queue = clCreateCommandQueue(ctx, device.device(), profiling ? CL_QUEUE_PROFILING_ENABLE : 0, null);
        } catch (CLException e) {
            if (ctx != null) {
                clReleaseContext(ctx);
            }
            throw Cl.fail("creating the context and queue on " + device.name(), e);
        }
        this.context = ctx;
        this.programs = new ProgramCache(ctx, device.device(), buildOptions);
        this.buffers = new DeviceBuffers(ctx, device);
        SignalGuard.restoreIfChanged();
    }

    /** The build options of every program: OpenCL C 1.2, and double sums where the device has fp64. */
    static String defaultOptions(OpenClDevice device) {
        return "-cl-std=CL1.2" + (device.fp64() ? " -DSEQMIX_FP64" : "");
    }

    /** Runs one operation under the lock; OpenCL errors become {@code SeqmixException} naming the operation. */
    <T> T locked(String operation, Supplier<T> body) {
        lock.lock();
        try {
            if (released) {
                throw new IllegalStateException("seqmix Kernels (opencl) is closed");
            }
            buffers.beginOperation();
            return body.get();
        } catch (CLException e) {
            throw Cl.fail(operation, e);
        } finally {
            try {
                releaseWrapped();
            } finally {
                // programs are compiled at build and, by some drivers, at the first launch of a work-group size
                SignalGuard.restoreIfChanged();
                lock.unlock();
            }
        }
    }

    void exec(String operation, Runnable body) {
        locked(operation, () -> {
            body.run();
            return null;
        });
    }

    /** Sum of kernel times in nanoseconds since the context was made (profiling on), else 0. */
    long kernelNanos() {
        lock.lock();
        try {
            return kernelNanos;
        } finally {
            lock.unlock();
        }
    }

    boolean profiling() {
        return profiling;
    }

    /** A launch of {@code family}'s kernel {@code name}: set arguments in order, then {@link Launch#run}. */
    Launch kernel(String family, String name) {
        return new Launch(programs.kernel(family, name));
    }

    /** Arguments and launch of one kernel. */
    final class Launch {
        private final cl_kernel kernel;
        private int arg;

        private Launch(cl_kernel kernel) {
            this.kernel = kernel;
        }

        Launch mem(cl_mem m) {
            clSetKernelArg(kernel, arg++, Sizeof.cl_mem, Pointer.to(m));
            return this;
        }

        Launch i(int v) {
            clSetKernelArg(kernel, arg++, Sizeof.cl_int, Pointer.to(new int[] {v}));
            return this;
        }

        Launch f(float v) {
            clSetKernelArg(kernel, arg++, Sizeof.cl_float, Pointer.to(new float[] {v}));
            return this;
        }

        /** A {@code real_t} argument: double with fp64, else float. */
        Launch real(double v) {
            if (device.fp64()) {
                clSetKernelArg(kernel, arg++, Sizeof.cl_double, Pointer.to(new double[] {v}));
            } else {
                clSetKernelArg(kernel, arg++, Sizeof.cl_float, Pointer.to(new float[] {(float) v}));
            }
            return this;
        }

        /** A {@code __local} buffer argument of {@code bytes}. */
        Launch local(long bytes) {
            clSetKernelArg(kernel, arg++, bytes, null);
            return this;
        }

        /** The largest work-group this kernel can run with on the device (CL_KERNEL_WORK_GROUP_SIZE). */
        long maxGroup() {
            long[] v = new long[1];
            clGetKernelWorkGroupInfo(kernel, device.device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                    Pointer.to(v), null);
            return v[0];
        }

        /** Enqueues over the given global sizes (the driver picks the work-group size). */
        void run(long... global) {
            runGroups(global, null);
        }

        /** Enqueues over {@code global} sizes in work-groups of {@code local} sizes (null: the driver picks). */
        void runGroups(long[] global, long[] local) {
            cl_event event = profiling ? new cl_event() : null;
            clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, event);
            if (event != null) {
                kernelNanos += eventNanos(event);
            }
        }
    }

    /** Waits for {@code event}, releases it and returns its device time (END - START, profiling on), in ns. */
    private static long eventNanos(cl_event event) {
        try {
            clWaitForEvents(1, new cl_event[] {event});
            long[] start = new long[1];
            long[] end = new long[1];
            clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
            clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
            return end[0] - start[0];
        } finally {
            clReleaseEvent(event);
        }
    }

    // ---------------------------------------------------------------- host data of an operation

    /**
     * The device buffer a kernel reads {@code count} floats of {@code src} from: a native segment's own memory
     * where the device shares host memory (CL_MEM_USE_HOST_PTR: no copy), else the slot's buffer with the data
     * written to it.
     */
    cl_mem input(String slot, HostData src, long count) {
        cl_mem w = wrap(src, count);
        if (w != null) {
            return w;
        }
        cl_mem b = buffers.get(slot, count * Float.BYTES);
        switch (src) {
            case HostData.Floats(float[] a) -> write(b, a, count);
            case HostData.Segment(MemorySegment s) -> write(b, s, count);
        }
        return b;
    }

    /** The device buffer a kernel writes {@code count} floats for {@code dst} to; {@link #collect} completes it. */
    cl_mem output(String slot, HostData dst, long count) {
        cl_mem w = wrap(dst, count);
        return w != null ? w : buffers.get(slot, count * Float.BYTES);
    }

    /** Makes the results in {@code b} visible in {@code dst}: a read, or for dst's own memory a map and unmap. */
    void collect(cl_mem b, HostData dst, long count) {
        switch (dst) {
            case HostData.Floats(float[] a) -> read(b, a, count);
            case HostData.Segment(MemorySegment s) -> {
                int i = wrapped.indexOf(b);
                if (i >= 0 && wrappedSegments.get(i).equals(s)) {
                    long bytes = count * Float.BYTES;
                    ByteBuffer mapped = clEnqueueMapBuffer(queue, b, CL_TRUE, CL_MAP_READ, 0, bytes, 0, null, null,
                            null);
                    clEnqueueUnmapMemObject(queue, b, mapped, 0, null, null);
                    clFinish(queue);
                } else {
                    read(b, s, count);
                }
            }
        }
    }

    /** A buffer over a native segment's memory, or null where the data must be copied. */
    private cl_mem wrap(HostData host, long count) {
        if (!zeroCopy || !(host instanceof HostData.Segment(MemorySegment s)) || !s.isNative()
                || count * Float.BYTES > Integer.MAX_VALUE || s.address() % device.baseAlign() != 0) {
            return null;
        }
        int known = wrappedSegments.indexOf(s);
        if (known >= 0) { // the same segment as input and output (an in-place scan): one buffer
            return wrapped.get(known);
        }
        long bytes = count * Float.BYTES;
        buffers.checkSize("a segment", bytes);
        // READ_WRITE whatever the use, so a segment met first as input can be an output too
        cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR, bytes,
                Pointer.to(s.asSlice(0, bytes).asByteBuffer()), null);
        wrapped.add(m);
        wrappedSegments.add(s);
        zeroCopyCount++;
        return m;
    }

    /** Releases the operation's buffers over caller memory (after the queue is done with them). */
    private void releaseWrapped() {
        if (wrapped.isEmpty()) {
            return;
        }
        try {
            clFinish(queue);
        } catch (CLException ignored) {
            // release anyway
        }
        for (int i = wrapped.size() - 1; i >= 0; i--) {
            try {
                clReleaseMemObject(wrapped.get(i));
            } catch (CLException ignored) {
                // best effort
            }
        }
        wrapped.clear();
        wrappedSegments.clear();
    }

    // ---------------------------------------------------------------- transfers (blocking)

    /** Writes the first {@code count} floats of {@code src} to {@code dst}. */
    void write(cl_mem dst, float[] src, long count) {
        clEnqueueWriteBuffer(queue, dst, CL_TRUE, 0, count * Float.BYTES, Pointer.to(src), 0, null, null);
    }

    /** Writes the first {@code count} floats of {@code src} to {@code dst}. */
    void write(cl_mem dst, MemorySegment src, long count) {
        long bytes = count * Float.BYTES;
        if (src.isNative()) {
            // native memory goes straight to the device, no staging array
            for (long off = 0; off < bytes; off += CHUNK) {
                long len = Math.min(CHUNK, bytes - off);
                clEnqueueWriteBuffer(queue, dst, CL_TRUE, off, len, Pointer.to(src.asSlice(off, len).asByteBuffer()),
                        0, null, null);
            }
        } else {
            float[] a = Segments.load(src, Math.toIntExact(count));
            try {
                clEnqueueWriteBuffer(queue, dst, CL_TRUE, 0, bytes, Pointer.to(a), 0, null, null);
            } finally {
                Segments.release(a);
            }
        }
    }

    /** Reads {@code count} floats of {@code src} into the start of {@code dst}. */
    void read(cl_mem src, float[] dst, long count) {
        clEnqueueReadBuffer(queue, src, CL_TRUE, 0, count * Float.BYTES, Pointer.to(dst), 0, null, null);
    }

    /** Reads {@code count} floats of {@code src} into the start of {@code dst}. */
    void read(cl_mem src, MemorySegment dst, long count) {
        long bytes = count * Float.BYTES;
        if (dst.isNative()) {
            for (long off = 0; off < bytes; off += CHUNK) {
                long len = Math.min(CHUNK, bytes - off);
                clEnqueueReadBuffer(queue, src, CL_TRUE, off, len, Pointer.to(dst.asSlice(off, len).asByteBuffer()),
                        0, null, null);
            }
        } else {
            float[] a = Segments.scratch(dst, Math.toIntExact(count));
            try {
                clEnqueueReadBuffer(queue, src, CL_TRUE, 0, bytes, Pointer.to(a), 0, null, null);
                Segments.store(a, dst, Math.toIntExact(count));
            } finally {
                Segments.release(a);
            }
        }
    }

    /** Copies {@code bytes} from one device buffer to another. */
    void copy(cl_mem src, cl_mem dst, long bytes) {
        clEnqueueCopyBuffer(queue, src, dst, 0, 0, bytes, 0, null, null);
    }

    /** Copies {@code bytes} between device buffers and returns the copy's device time (profiling on), in ns. */
    long timedCopy(cl_mem src, cl_mem dst, long bytes) {
        cl_event event = new cl_event();
        clEnqueueCopyBuffer(queue, src, dst, 0, 0, bytes, 0, null, event);
        return eventNanos(event);
    }

    /** Writes {@code bytes} of a direct buffer to {@code dst}, blocking. */
    void write(cl_mem dst, ByteBuffer src, long bytes) {
        clEnqueueWriteBuffer(queue, dst, CL_TRUE, 0, bytes, Pointer.to(src), 0, null, null);
    }

    /** Reads {@code bytes} of {@code src} into a direct buffer, blocking. */
    void read(cl_mem src, ByteBuffer dst, long bytes) {
        clEnqueueReadBuffer(queue, src, CL_TRUE, 0, bytes, Pointer.to(dst), 0, null, null);
    }

    void finish() {
        clFinish(queue);
    }

    /** Releases buffers, kernels, programs, the queue and the context: the reverse of their creation. */
    void release() {
        lock.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            try {
                clFinish(queue);
            } catch (CLException ignored) {
                // release anyway
            }
            buffers.release();
            programs.release();
            try {
                clReleaseCommandQueue(queue);
            } catch (CLException ignored) {
                // best effort
            }
            try {
                clReleaseContext(context);
            } catch (CLException ignored) {
                // best effort
            }
        } finally {
            lock.unlock();
        }
    }
}
