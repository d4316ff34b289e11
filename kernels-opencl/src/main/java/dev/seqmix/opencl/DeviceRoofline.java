package dev.seqmix.opencl;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.jocl.CL;
import org.jocl.cl_mem;

/**
 * A device's own ceilings, measured on a context of its own with profiling on (roofline.cl): copy bandwidth
 * ({@code clEnqueueCopyBuffer} and a plain float4 copy kernel, large buffers), host-device transfer bandwidth both
 * ways (blocking transfers of a direct buffer, wall time), and the FP32 FMA peak (a register-only kernel of
 * independent FMAs). Each is run several times within its share of the time budget; the best run is the ceiling.
 */
final class DeviceRoofline {
    /** Largest buffer the copies use. */
    static final long MAX_BYTES = 256L << 20;
    /** Largest host buffer of the transfers. */
    static final long MAX_HOST_BYTES = 64L << 20;
    private static final int MIN_RUNS = 3;
    private static final int MAX_RUNS = 30;

    private DeviceRoofline() {
    }

    static OpenClDevices.Roofline measure(OpenClDevice device, double seconds) {
        OpenClContext ctx = new OpenClContext(device, true);
        try {
            long bytes = Long.highestOneBit(Math.min(MAX_BYTES, Math.min(device.maxAlloc(),
                    device.globalMemory() / 8)));
            double share = seconds / 5;
            return ctx.locked("roofline", () -> {
                cl_mem a = ctx.buffers.get("roofline.a", bytes);
                cl_mem b = ctx.buffers.get("roofline.b", bytes);
                ctx.kernel("roofline", "roofline_copy").mem(b).mem(a).run(bytes / 16); // a written once
                OpenClDevices.Rate copyBuffer = rate(2.0 * bytes, share, () -> ctx.timedCopy(a, b, bytes));
                OpenClDevices.Rate copyKernel = rate(2.0 * bytes, share, () -> {
                    long before = ctx.kernelNanos();
                    ctx.kernel("roofline", "roofline_copy").mem(a).mem(b).run(bytes / 16);
                    return ctx.kernelNanos() - before;
                });
                long hostBytes = Math.min(bytes, MAX_HOST_BYTES);
                ByteBuffer host = ByteBuffer.allocateDirect((int) hostBytes);
                OpenClDevices.Rate toDevice = rate(hostBytes, share, () -> wall(() -> ctx.write(a, host, hostBytes)));
                OpenClDevices.Rate toHost = rate(hostBytes, share, () -> wall(() -> ctx.read(a, host, hostBytes)));
                OpenClDevices.Rate fma = fma(ctx, device, b, bytes, share);
                return new OpenClDevices.Roofline(copyBuffer, copyKernel, toDevice, toHost, fma, bytes);
            });
        } finally {
            ctx.release();
        }
    }

    /**
     * The FMA peak: the best of the kernels on float, float4 and float16 (a CPU driver reaches its SIMD width only
     * through vector types), each with enough work-items to fill every compute unit many times over and iterations
     * raised until a launch takes at least 20 ms (or a tenth of its share), so that launch overhead does not count.
     */
    private static OpenClDevices.Rate fma(OpenClContext ctx, OpenClDevice device, cl_mem out, long outBytes,
                                          double share) {
        long items = Math.min(outBytes / 64, // each work-item stores one float16
                Math.max(16384, (long) Cl.uint(device.device(), CL.CL_DEVICE_MAX_COMPUTE_UNITS) * 2048));
        OpenClDevices.Rate best = null;
        for (int width : new int[] {1, 4, 16}) {
            String kernel = "roofline_fma" + width;
            long target = (long) (Math.min(0.02, share / 30) * 1e9);
            int iterations = 16;
            long ns = fmaLaunch(ctx, kernel, out, items, iterations);
            while (ns < target && iterations < (1 << 24)) {
                iterations = (int) Math.min(1 << 24,
                        Math.max(2L * iterations, iterations * (target / Math.max(1, ns))));
                ns = fmaLaunch(ctx, kernel, out, items, iterations);
            }
            int it = iterations;
            OpenClDevices.Rate r = rate(32.0 * width * it * items, share / 3,
                    () -> fmaLaunch(ctx, kernel, out, items, it));
            if (best == null || r.perSecond() > best.perSecond()) {
                best = r;
            }
        }
        return best;
    }

    private static long fmaLaunch(OpenClContext ctx, String kernel, cl_mem out, long items, int iterations) {
        long before = ctx.kernelNanos();
        ctx.kernel("roofline", kernel).mem(out).i(iterations).run(items);
        return ctx.kernelNanos() - before;
    }

    private static long wall(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    /** Runs {@code run} (which returns its own time in ns) once to warm up, then within {@code seconds}. */
    private static OpenClDevices.Rate rate(double amount, double seconds, LongSupplier run) {
        run.getAsLong();
        long[] ns = new long[MAX_RUNS];
        int runs = 0;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (runs < MAX_RUNS && (runs < MIN_RUNS || System.nanoTime() < deadline)) {
            ns[runs++] = Math.max(1, run.getAsLong());
        }
        long[] sorted = Arrays.copyOf(ns, runs);
        Arrays.sort(sorted);
        return new OpenClDevices.Rate(amount, sorted[0] * 1e-9, sorted[runs / 2] * 1e-9, sorted[runs - 1] * 1e-9,
                runs);
    }
}
