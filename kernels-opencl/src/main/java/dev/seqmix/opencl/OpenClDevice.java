package dev.seqmix.opencl;

import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_HOST_UNIFIED_MEMORY;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MEM_BASE_ADDR_ALIGN;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetPlatformIDs;

import dev.seqmix.SeqmixException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device and what seqmix needs to know of it. {@link #discover()} lists every device of every
 * platform, in platform order; {@link #choose} picks one by {@code -Dseqmix.opencl.device=<index or name part>}
 * or, without it, the first GPU or accelerator, else the first device.
 *
 * @param index        position in {@link #discover()}'s list (the index {@code seqmix.opencl.device} takes)
 * @param fp64         whether the device has {@code cl_khr_fp64} (TaLK prefix sums then use double; otherwise
 *                     float-float pairs)
 * @param hostUnified  whether the device shares memory with the host ({@code CL_DEVICE_HOST_UNIFIED_MEMORY})
 * @param baseAlign    alignment in bytes a buffer's host memory needs ({@code CL_DEVICE_MEM_BASE_ADDR_ALIGN} / 8)
 */
record OpenClDevice(int index, cl_platform_id platform, cl_device_id device, String platformName, String name,
                    String version, long type, long maxAlloc, long globalMemory, long maxWorkGroup, boolean fp64,
                    boolean hostUnified, long baseAlign) {

    /** System property choosing the device. */
    static final String DEVICE_PROPERTY = "seqmix.opencl.device";
    /** System property that, set to false, makes seqmix ignore fp64 (to test the float-float path). */
    static final String FP64_PROPERTY = "seqmix.opencl.fp64";

    boolean gpuOrAccelerator() {
        return (type & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_ACCELERATOR)) != 0;
    }

    String typeName() {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        return (type & CL.CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "device";
    }

    /** For {@code BackendInfo.detail()}. */
    String describe() {
        return String.format(Locale.ROOT, "device %d: %s (%s, %s, %s), %s, max buffer %d MiB%s", index, name,
                typeName(), platformName, version, fp64 ? "fp64" : "no fp64 (float-float sums)", maxAlloc >> 20,
                hostUnified ? ", shares host memory" : "");
    }

    /**
     * Every device of every platform. Throws {@link SeqmixException} naming the error when there is no
     * platform (no ICD: {@code CL_PLATFORM_NOT_FOUND_KHR}, -1001) or no device.
     */
    @SuppressWarnings("deprecation") // CL_DEVICE_HOST_UNIFIED_MEMORY: deprecated in 2.0, still the 1.2 query
    static List<OpenClDevice> discover() {
        Cl.init();
        cl_platform_id[] platforms;
        try {
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
        } catch (CLException e) {
            throw new SeqmixException("no OpenCL platform: clGetPlatformIDs failed with "
                    + CL.stringFor_errorCode(e.getStatus()) + " (" + e.getStatus()
                    + "; -1001 means no OpenCL driver (ICD) is installed)", e);
        }
        List<OpenClDevice> devices = new ArrayList<>();
        boolean fp64Allowed = !"false".equalsIgnoreCase(System.getProperty(FP64_PROPERTY, "true"));
        for (cl_platform_id platform : platforms) {
            cl_device_id[] ids;
            try {
                int[] count = new int[1];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
                ids = new cl_device_id[count[0]];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            } catch (CLException e) {
                if (e.getStatus() == CL_DEVICE_NOT_FOUND) {
                    continue;
                }
                throw Cl.fail("clGetDeviceIDs", e);
            }
            String platformName = Cl.string(platform, CL_PLATFORM_NAME);
            for (cl_device_id id : ids) {
                String extensions = Cl.string(id, CL_DEVICE_EXTENSIONS);
                devices.add(new OpenClDevice(devices.size(), platform, id, platformName,
                        Cl.string(id, CL_DEVICE_NAME), Cl.string(id, CL_DEVICE_VERSION),
                        Cl.ulong(id, CL_DEVICE_TYPE), Cl.ulong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                        Cl.ulong(id, CL_DEVICE_GLOBAL_MEM_SIZE), Cl.ulong(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                        fp64Allowed && extensions.contains("cl_khr_fp64"),
                        Cl.uint(id, CL_DEVICE_HOST_UNIFIED_MEMORY) != 0,
                        Math.max(1, Cl.uint(id, CL_DEVICE_MEM_BASE_ADDR_ALIGN) / 8)));
            }
        }
        if (devices.isEmpty()) {
            throw new SeqmixException("no OpenCL device: " + platforms.length + " platform(s) found, none with a device");
        }
        SignalGuard.restoreIfChanged(); // a driver may have set up its compiler
        return devices;
    }

    /** The device {@code -Dseqmix.opencl.device} names (an index or part of a name), or the default one. */
    static OpenClDevice choose(List<OpenClDevice> devices) {
        return choose(devices, System.getProperty(DEVICE_PROPERTY, ""));
    }

    /** The device {@code wanted} names (an index or part of a name; blank: the default one). */
    static OpenClDevice choose(List<OpenClDevice> devices, String wantedOrBlank) {
        String wanted = wantedOrBlank == null ? "" : wantedOrBlank.trim();
        if (wanted.isEmpty()) {
            return devices.stream().filter(OpenClDevice::gpuOrAccelerator).findFirst().orElse(devices.getFirst());
        }
        if (wanted.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(wanted);
            if (i < devices.size()) {
                return devices.get(i);
            }
            throw new SeqmixException(DEVICE_PROPERTY + ": expected a device index below " + devices.size()
                    + " or part of a device name, got '" + wanted + "'; devices: " + names(devices));
        }
        String lower = wanted.toLowerCase(Locale.ROOT);
        return devices.stream()
                .filter(d -> (d.name + " " + d.platformName).toLowerCase(Locale.ROOT).contains(lower))
                .findFirst()
                .orElseThrow(() -> new SeqmixException(DEVICE_PROPERTY + ": no device whose name contains '"
                        + wanted + "'; devices: " + names(devices)));
    }

    private static String names(List<OpenClDevice> devices) {
        return devices.stream().map(d -> d.index + " = " + d.name + " (" + d.platformName + ")").toList().toString();
    }
}
