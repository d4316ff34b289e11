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
    private final List<Slot> fixed = new ArrayList<>();
    private long fixedBytes;
    /** Slots the running operation has asked for (see {@link #beginOperation}). */
    private final java.util.Set<String> touched = new java.util.HashSet<>();

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

    /** Called at the start of each operation: slots it does not ask for may be given back under memory pressure. */
    void beginOperation() {
        touched.clear();
    }

    private void releaseUntouched() {
        var it = slots.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!touched.contains(e.getKey())) {
                releaseQuietly(e.getValue().mem);
                it.remove();
            }
        }
    }

    /** Bytes held now: every slot and fixed buffer. */
    private long held() {
        long sum = fixedBytes;
        for (Slot s : slots.values()) {
            sum += s.bytes;
        }
        return sum;
    }

    /**
     * Throws {@link SeqmixException} when growing to {@code more} bytes for {@code what} would exceed the device's
     * global memory even after giving back the slot being replaced ({@code freed} bytes): a clear error before
     * anything is enqueued, instead of a CL_MEM_OBJECT_ALLOCATION_FAILURE (or worse) at launch.
     */
    private void checkTotal(String what, long more, long freed) {
        long total = held() - freed + more;
        if (total > device.globalMemory()) {
            throw new SeqmixException("OpenCL: out of device memory: " + what + " needs " + more + " bytes, "
                    + (held() - freed) + " bytes are held, and " + device.name() + " has "
                    + device.globalMemory() + " bytes (CL_DEVICE_GLOBAL_MEM_SIZE)");
        }
    }

    /** The slot's buffer, grown to at least {@code bytes}. */
    cl_mem get(String slot, long bytes) {
        checkSize(slot, bytes);
        Slot s = slots.get(slot);
        touched.add(slot); // in use by this operation, even when it does not grow: never given back under it
        if (s != null && s.bytes >= bytes) {
            return s.mem;
        }
        if (held() - (s == null ? 0 : s.bytes) + bytes > device.globalMemory()) {
            releaseUntouched(); // slots of other operations are idle: give them back first
        }
        checkTotal(slot, bytes, s == null ? 0 : s.bytes);
        if (s != null) {
            slots.remove(slot);
            clReleaseMemObject(s.mem);
        }
        // grow geometrically (bounded by the device limit) so a slowly growing shape does not reallocate each call
        long size = Math.min(device.maxAlloc(), Math.max(bytes, s == null ? bytes : s.bytes + s.bytes / 2));
        if (held() + size > device.globalMemory()) {
            size = bytes; // no headroom for geometric growth
        }
        cl_mem mem = create(slot, size);
        slots.put(slot, new Slot(mem, size));
        return mem;
    }

    /** A buffer kept until the context closes (FFT twiddles, chirps, spectra). */
    cl_mem fixed(String what, long bytes) {
        checkSize(what, bytes);
        checkTotal(what, bytes, 0);
        cl_mem mem = create(what, bytes);
        fixed.add(new Slot(mem, bytes));
        fixedBytes += bytes;
        return mem;
    }

    /** Releases one buffer made by {@link #fixed} (the plan caches' eviction of a size no longer kept). */
    void releaseFixed(cl_mem mem) {
        for (int i = 0; i < fixed.size(); i++) {
            if (fixed.get(i).mem == mem) {
                fixedBytes -= fixed.remove(i).bytes;
                releaseQuietly(mem);
                return;
            }
        }
        throw new IllegalStateException("not a fixed buffer of this context");
    }

    /** How many fixed buffers are held (for tests). */
    int fixedCount() {
        return fixed.size();
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
            releaseQuietly(fixed.get(i).mem);
        }
        fixed.clear();
        fixedBytes = 0;
    }

    private static void releaseQuietly(cl_mem mem) {
        try {
            clReleaseMemObject(mem);
        } catch (CLException ignored) {
            // best effort
        }
    }
}
