package dev.seqmix.opencl;

import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformInfo;

import dev.seqmix.SeqmixException;
import java.nio.charset.StandardCharsets;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * OpenCL error handling and info queries. JOCL runs with exceptions enabled (as in its samples): every
 * failing call throws {@link CLException}; {@link #fail} turns it into a {@link SeqmixException} that names
 * the failing operation and the OpenCL error (for example {@code CL_OUT_OF_RESOURCES}).
 */
final class Cl {
    private Cl() {
    }

    /**
     * Captures the JVM's signal handlers ({@link SignalGuard}) and enables JOCL's exceptions; called before any
     * other JOCL call (loads the native library).
     */
    static void init() {
        SignalGuard.capture();
        CL.setExceptionsEnabled(true);
    }

    /** A {@link SeqmixException} for a failed call, naming the OpenCL error. */
    static SeqmixException fail(String what, CLException e) {
        return new SeqmixException("OpenCL: " + what + " failed with " + CL.stringFor_errorCode(e.getStatus())
                + " (" + e.getStatus() + ")", e);
    }

    static String string(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, buf.length, Pointer.to(buf), null);
        return trim(buf);
    }

    static String string(cl_platform_id platform, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(platform, param, buf.length, Pointer.to(buf), null);
        return trim(buf);
    }

    /** A {@code cl_ulong} or {@code size_t} property (both read as 64 bits). */
    static long ulong(cl_device_id device, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    /** A {@code cl_uint} or {@code cl_bool} property. */
    static int uint(cl_device_id device, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    private static String trim(byte[] buf) {
        int n = buf.length;
        while (n > 0 && buf[n - 1] == 0) {
            n--;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }
}
