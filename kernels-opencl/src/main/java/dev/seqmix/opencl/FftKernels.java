package dev.seqmix.opencl;

import java.util.HashMap;
import java.util.Map;
import org.jocl.cl_mem;

/**
 * FFTs on the device (fft.cl) for data already in device buffers: Stockham passes (one radix-2 pass when
 * log2 n is odd, then radix-4) for powers of two, all in local memory in one launch for n <= 4096 (where the
 * device's local memory holds n complex values), else one launch per pass through global memory; Bluestein through a power-of-two convolution for any
 * other n. The constants of each size (twiddles, chirp, chirp spectra) are uploaded once and kept for the
 * context's life. Used under the context's lock; also the engine of the Toeplitz and attention products.
 */
final class FftKernels {
    private final OpenClContext ctx;
    private final Map<Integer, cl_mem> twiddles = new HashMap<>();
    private final Map<Integer, Bluestein> bluestein = new HashMap<>();

    /** Bluestein constants of one n: chirp (n), spectra (m) for forward and inverse. */
    private record Bluestein(int m, cl_mem chirp, cl_mem forward, cl_mem inverse) {
    }

    /** Largest n done in local memory (one work-group per transform), at most 4096; 0 when none. */
    private final int localMax;

    FftKernels(OpenClContext ctx) {
        this.ctx = ctx;
        long localBytes = Cl.ulong(ctx.device.device(), org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE);
        int fit = (int) Math.min(LOCAL_MAX, Long.highestOneBit(Math.max(1, localBytes / 8)));
        this.localMax = Boolean.parseBoolean(System.getProperty(LOCAL_PROPERTY, "true")) ? fit : 0;
    }

    /** The largest transform kept in local memory. */
    static final int LOCAL_MAX = 4096;
    /** Set to false to run every size through global-memory passes. */
    static final String LOCAL_PROPERTY = "seqmix.opencl.fftLocal";

    /** Work-items of fft_local for n: n / 16 (each does at most 8 radix-2 or 4 radix-4 butterflies a pass). */
    private static int localItems(int n) {
        return Math.max(1, n / 16);
    }

    static boolean powerOfTwo(int n) {
        return Integer.bitCount(n) == 1;
    }

    static int nextPowerOfTwo(long n) {
        return n <= 1 ? 1 : Math.toIntExact(Long.highestOneBit(n - 1) << 1);
    }

    private cl_mem twiddles(int n) {
        cl_mem tw = twiddles.get(n);
        if (tw == null) {
            float[] t = FftTables.twiddles(n);
            tw = ctx.buffers.fixed("fft twiddles " + n, (long) t.length * Float.BYTES);
            ctx.write(tw, t, t.length);
            twiddles.put(n, tw);
        }
        return tw;
    }

    private Bluestein bluestein(int n) {
        Bluestein b = bluestein.get(n);
        if (b == null) {
            int m = nextPowerOfTwo(2L * n - 1);
            double[] c = FftTables.chirp(n);
            float[] chirp = FftTables.toFloat(c);
            float[] fwd = FftTables.chirpSpectrum(c, n, m, false);
            float[] inv = FftTables.chirpSpectrum(c, n, m, true);
            cl_mem cm = ctx.buffers.fixed("bluestein chirp " + n, (long) chirp.length * Float.BYTES);
            cl_mem fm = ctx.buffers.fixed("bluestein spectrum " + n, (long) fwd.length * Float.BYTES);
            cl_mem im = ctx.buffers.fixed("bluestein spectrum " + n, (long) inv.length * Float.BYTES);
            ctx.write(cm, chirp, chirp.length);
            ctx.write(fm, fwd, fwd.length);
            ctx.write(im, inv, inv.length);
            b = new Bluestein(m, cm, fm, im);
            bluestein.put(n, b);
        }
        return b;
    }

    /** Uploads the constants of size n now (plans do this when made, so the first transform is not slower). */
    void prepare(int n) {
        if (n > 1) {
            if (powerOfTwo(n)) {
                twiddles(n);
            } else {
                twiddles(bluestein(n).m());
            }
        }
    }

    /**
     * Unscaled transforms of {@code batch} sequences of length n (a power of two) in {@code a}, with
     * {@code b} as the other Stockham buffer; returns the buffer holding the result ({@code a} or {@code b}).
     */
    cl_mem powerOfTwo(cl_mem a, cl_mem b, int n, long batch, boolean inverse) {
        if (n == 1) {
            return a;
        }
        cl_mem tw = twiddles(n);
        int inv = inverse ? 1 : 0;
        if (n >= 4 && n <= localMax) {
            OpenClContext.Launch local = ctx.kernel("fft", "fft_local");
            long items = localItems(n);
            if (items <= local.maxGroup()) {
                local.mem(a).mem(tw).i(n).i(inv).local(8L * n).runGroups(new long[] {batch * items}, new long[] {items});
                return a;
            }
        }
        int log = Integer.numberOfTrailingZeros(n);
        int ns = 1;
        cl_mem src = a;
        cl_mem dst = b;
        if ((log & 1) == 1) {
            ctx.kernel("fft", "fft_radix2").mem(src).mem(dst).mem(tw).i(n).i(ns).i(inv).run(n / 2, batch);
            cl_mem t = src;
            src = dst;
            dst = t;
            ns = 2;
        }
        while (ns < n) {
            ctx.kernel("fft", "fft_radix4").mem(src).mem(dst).mem(tw).i(n).i(ns).i(inv).run(n / 4, batch);
            cl_mem t = src;
            src = dst;
            dst = t;
            ns *= 4;
        }
        return src;
    }

    /**
     * Transforms of any n of the complex data in {@code data} ({@code batch * n} complex values); inverses
     * scaled by 1/n. Returns the buffer holding the result: {@code data} or the scratch slot "fft.other".
     */
    cl_mem transform(cl_mem data, int n, long batch, boolean inverse) {
        long complex = (long) n * batch;
        if (n == 1) {
            return data;
        }
        if (powerOfTwo(n)) {
            cl_mem other = ctx.buffers.get("fft.other", complex * 8);
            cl_mem r = powerOfTwo(data, other, n, batch, inverse);
            if (inverse) {
                ctx.kernel("fft", "fft_scale").mem(r).f(1.0f / n).run(complex);
            }
            return r;
        }
        Bluestein bl = bluestein(n);
        int m = bl.m();
        int inv = inverse ? 1 : 0;
        cl_mem y = ctx.buffers.get("fft.blue.a", (long) m * batch * 8);
        cl_mem z = ctx.buffers.get("fft.blue.b", (long) m * batch * 8);
        ctx.kernel("fft", "bluestein_pre").mem(data).mem(y).mem(bl.chirp()).i(n).i(m).i(inv).run(m, batch);
        cl_mem r = powerOfTwo(y, z, m, batch, false);
        ctx.kernel("fft", "spectrum_mul").mem(r).mem(inverse ? bl.inverse() : bl.forward()).i(m).run(m, batch);
        cl_mem r2 = powerOfTwo(r, r == y ? z : y, m, batch, true);
        ctx.kernel("fft", "bluestein_post").mem(r2).mem(data).mem(bl.chirp()).i(n).i(m).i(inv)
                .f(inverse ? 1.0f / n : 1.0f).run(n, batch);
        return data;
    }
}
