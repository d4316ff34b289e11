package dev.seqmix.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

import dev.seqmix.SeqmixException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device buffers of one context. Operations use named slots ({@code "x"}, {@code "prefix"}, ...) that grow
 * to the largest size asked for and are then reused, so calls of a steady shape allocate nothing on the
 * device. Every size is checked against {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE} before anything is created or
 * enqueued. Used under the context's lock.
 */
final class DeviceBuffers {
    private final cl_context context;
    private final OpenClDevice device;
    private final Map<String, Slot> slots = new HashMap<>();
    /** Buffers that live as long as the context (plan constants), in creation order. */
    private final List<cl_mem> fixed = new ArrayList<>();

    private record Slot(cl_mem mem, long bytes) {
    }

    DeviceBuffers(cl_context context, OpenClDevice device) {
        this.context = context;
        this.device = device;
    }

    /** Throws {@link SeqmixException} when {@code bytes} is above the device's largest allocation. */
    void checkSize(String what, long bytes) {
        if (bytes > device.maxAlloc()) {
            throw new SeqmixException("OpenCL: a buffer of " + bytes + " bytes for " + what
                    + " exceeds CL_DEVICE_MAX_MEM_ALLOC_SIZE (" + device.maxAlloc() + " bytes) of " + device.name());
        }
    }

    /** The slot's buffer, grown to at least {@code bytes}. */
    cl_mem get(String slot, long bytes) {
        checkSize(slot, bytes);
        Slot s = slots.get(slot);
        if (s != null && s.bytes >= bytes) {
            return s.mem;
        }
        if (s != null) {
            slots.remove(slot);
            clReleaseMemObject(s.mem);
        }
        // grow geometrically (bounded by the device limit) so a slowly growing shape does not reallocate each call
        long size = Math.min(device.maxAlloc(), Math.max(bytes, s == null ? bytes : s.bytes + s.bytes / 2));
        cl_mem mem = create(slot, size);
        slots.put(slot, new Slot(mem, size));
        return mem;
    }

    /** A buffer kept until the context closes (FFT twiddles, chirps, spectra). */
    cl_mem fixed(String what, long bytes) {
        checkSize(what, bytes);
        cl_mem mem = create(what, bytes);
        fixed.add(mem);
        return mem;
    }

    private cl_mem create(String what, long bytes) {
        try {
            return clCreateBuffer(context, CL_MEM_READ_WRITE, Math.max(bytes, 4), null, null);
        } catch (CLException e) {
            throw Cl.fail("clCreateBuffer(" + what + ", " + bytes + " bytes)", e);
        }
    }

    /** Releases every buffer, newest first. */
    void release() {
        for (Slot s : slots.values()) {
            releaseQuietly(s.mem);
        }
        slots.clear();
        for (int i = fixed.size() - 1; i >= 0; i--) {
            releaseQuietly(fixed.get(i));
        }
        fixed.clear();
    }

    private static void releaseQuietly(cl_mem mem) {
        try {
            clReleaseMemObject(mem);
        } catch (CLException ignored) {
            // best effort
        }
    }
}
