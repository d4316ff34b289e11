package dev.seqmix.opencl;

import dev.seqmix.internal.fft.FftSizes;
import dev.seqmix.internal.fft.FftCore;
import dev.seqmix.internal.SizeCache;
import java.util.HashMap;
import java.util.Map;
import org.jocl.cl_mem;

/**
 * FFTs on the device (fft.cl) for data already in device buffers. Powers of two: Stockham passes of radix 8
 * (one radix-2 or radix-4 pass first where log2 n is not a multiple of 3); for n up to {@link #LOCAL_MAX}
 * (or what the device's local memory holds) all passes run in local memory in one launch, several
 * transforms per work-group; above, four-step: n = n1 * n2, column transforms of length n1 in local memory
 * with the twiddles exp(-2 pi i j2 k1 / n) applied on the way out, then row transforms of length n2, the
 * transposes folded into the index maps (two reads and two writes of global memory). Sizes above
 * {@code localMax^2}, or devices without room, run one global pass per radix step. Any other n: Bluestein
 * through a power-of-two convolution. Real transforms of even n: a complex transform of n/2 and a split
 * (forward) or merge (inverse) kernel with the reference's operations ({@link FftCore#splitReal},
 * {@link FftCore#mergeReal}).
 *
 * <p>The constants of each size (twiddles, chirp, chirp spectra, real-FFT twiddles) are uploaded once and
 * kept for the context's life. Used under the context's lock; also the engine of the Toeplitz and attention
 * products.
 */
final class FftKernels {
    /** The largest transform kept in local memory, and the largest tile of transforms of one work-group. */
    static final int LOCAL_MAX = 4096;
    /** Set to false to run every size through global-memory passes. */
    static final String LOCAL_PROPERTY = "seqmix.opencl.fftLocal";
    /** Complex values each work-item of fft_tile holds (TILE_REGS in fft.cl). */
    private static final int TILE_REGS = 16;

    private final OpenClContext ctx;
    private final Map<Integer, cl_mem> twiddles = new HashMap<>();
    private final Map<Integer, cl_mem> fourStepTwiddles = new HashMap<>();
    private final Map<Integer, cl_mem> realTwiddles = new HashMap<>(); // powers of two: at most 28
    /** Sizes that are not powers of two: a bounded LRU (SizeCache's bound), evicted buffers released. */
    private final Map<Integer, cl_mem> otherRealTwiddles;
    private final Map<Integer, Bluestein> bluestein;
    /** Largest n done in local memory (and largest tile), at most LOCAL_MAX; 0 when none. */
    private final int localMax;
    /** CL_KERNEL_WORK_GROUP_SIZE of fft_tile, read on first use. */
    private long tileGroupMax = -1;

    /** Bluestein constants of one n: chirp (n), spectra (m) for forward and inverse. */
    private record Bluestein(int m, cl_mem chirp, cl_mem forward, cl_mem inverse) {
    }

    /** An access-ordered map of at most {@link SizeCache#OTHER_SIZES} entries; used under the context's lock. */
    private static <V> Map<Integer, V> lru(java.util.function.Consumer<V> evict) {
        return new java.util.LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, V> eldest) {
                if (size() > SizeCache.OTHER_SIZES) {
                    evict.accept(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    FftKernels(OpenClContext ctx) {
        this.ctx = ctx;
        this.otherRealTwiddles = lru(ctx.buffers::releaseFixed);
        this.bluestein = lru(b -> {
            ctx.buffers.releaseFixed(b.chirp());
            ctx.buffers.releaseFixed(b.forward());
            ctx.buffers.releaseFixed(b.inverse());
        });
        long localBytes = Cl.ulong(ctx.device.device(), org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE);
        int fit = (int) Math.min(LOCAL_MAX, Long.highestOneBit(Math.max(1, localBytes / 8)));
        this.localMax = Boolean.parseBoolean(System.getProperty(LOCAL_PROPERTY, "true")) ? fit : 0;
    }

    static boolean powerOfTwo(int n) {
        return Integer.bitCount(n) == 1;
    }

    static int nextPowerOfTwo(long n) {
        return FftSizes.powerOfTwoAtLeast(n);
    }

    private static int log2(int powerOfTwo) {
        return Integer.numberOfTrailingZeros(powerOfTwo);
    }

    /** The Stockham radices of a power of two n in pass order: a 2 or a 4 first if log2 n % 3 is 1 or 2, then 8s. */
    static int[] radices(int n) {
        int log = Integer.numberOfTrailingZeros(n);
        int lead = log % 3 == 0 ? 0 : 1;
        int[] rs = new int[lead + log / 3];
        if (lead == 1) {
            rs[0] = log % 3 == 1 ? 2 : 4;
        }
        java.util.Arrays.fill(rs, lead, rs.length, 8);
        return rs;
    }

    private cl_mem twiddles(int n) {
        cl_mem tw = twiddles.get(n);
        return tw != null ? tw : upload(twiddles, n, "fft twiddles " + n, FftTables.twiddles(n));
    }

    private cl_mem fourStepTwiddles(FourStep f) {
        int n = f.n1() * f.n2();
        cl_mem tw = fourStepTwiddles.get(n);
        return tw != null ? tw
                : upload(fourStepTwiddles, n, "four-step twiddles " + n, FftTables.fourStepTwiddles(f.n1(), f.n2()));
    }

    private cl_mem realTwiddles(int n) {
        Map<Integer, cl_mem> cache = powerOfTwo(n) ? realTwiddles : otherRealTwiddles;
        cl_mem rt = cache.get(n);
        return rt != null ? rt : upload(cache, n, "real fft twiddles " + n, FftCore.realTwiddles(n));
    }

    /** A table written once to a fixed device buffer and kept in {@code cache} under {@code n}. */
    private cl_mem upload(Map<Integer, cl_mem> cache, int n, String name, float[] table) {
        cl_mem buffer = ctx.buffers.fixed(name, (long) table.length * Float.BYTES);
        ctx.write(buffer, table, table.length);
        cache.put(n, buffer);
        return buffer;
    }

    private Bluestein bluestein(int n) {
        Bluestein b = bluestein.get(n);
        if (b == null) {
            int m = FftSizes.convolution(n);
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
        if (n > 1 && powerOfTwo(n)) {
            FourStep f = fourStep(n);
            if (f != null) {
                twiddles(f.n1());
                twiddles(f.n2());
                fourStepTwiddles(f);
            } else {
                twiddles(n);
            }
        } else if (n > 1) {
            prepare(bluestein(n).m());
        }
    }

    /** {@link #prepare} for the real transforms of n: the half-length complex transform for even n. */
    void prepareReal(int n) {
        if (n % 2 == 0) {
            realTwiddles(n);
            prepare(n / 2);
        } else {
            prepare(n);
        }
    }

    // ---------------------------------------------------------------- powers of two

    /** Work-items of fft_tile for a tile of {@code complex} values: each holds TILE_REGS of them. */
    private static long tileItems(long complex) {
        return Math.max(1, complex / TILE_REGS);
    }

    private long tileGroupMax() {
        if (tileGroupMax < 0) {
            tileGroupMax = ctx.kernel("fft", "fft_tile").maxGroup();
        }
        return tileGroupMax;
    }

    /**
     * Transforms per work-group of fft_tile for length n (at most {@code count}, the tile within local memory and
     * the group within the kernel's limit), or 0 when n cannot run in local memory on this device.
     */
    private int tiles(int n, long count) {
        if (n < 2 || n > localMax) {
            return 0;
        }
        int tiles = Math.min(localMax / n, nextPowerOfTwo(Math.min(count, localMax)));
        while (tiles > 1 && tileItems((long) tiles * n) > tileGroupMax()) {
            tiles /= 2;
        }
        return tileItems((long) tiles * n) <= tileGroupMax() ? tiles : 0;
    }

    /** The split of n (above localMax) into column length n1 and row length n2, both in local memory; or null. */
    private record FourStep(int n1, int n2) {
    }

    private FourStep fourStep(int n) {
        if (n <= localMax) {
            return null;
        }
        int n1 = 1 << (Integer.numberOfTrailingZeros(n) / 2);
        int n2 = n / n1;
        return n2 <= localMax ? new FourStep(n1, n2) : null;
    }

    /**
     * Launches fft_tile: {@code count} transforms of length n, element i of transform T at
     * {@code (T / per) * dist + (T % per) * xT + i * xI} in {@code in} and {@code out}, the output optionally
     * twiddled by {@code big[i * per + T % per]} (the four-step twiddles, {@link FftTables#fourStepTwiddles}).
     */
    private void tile(cl_mem in, cl_mem out, int n, int tiles, long count, int per, int dist, int inT, int inI,
                      int outT, int outI, cl_mem big, boolean inverse) {
        long groups = (count + tiles - 1) / tiles;
        long items = tileItems((long) tiles * n);
        cl_mem tw = twiddles(n);
        ctx.kernel("fft", "fft_tile").mem(in).mem(out).mem(tw).i(log2(n)).i(log2(tiles)).i(Math.toIntExact(count))
                .i(log2(per)).i(dist).i(inT).i(inI).i(outT).i(outI).mem(big == null ? tw : big).i(big == null ? 0 : 1)
                .i(inverse ? 1 : 0).local(8L * tiles * n).runGroups(new long[] {groups * items}, new long[] {items});
    }

    /** Unscaled transforms of {@code batch} sequences of length n (a power of two) in {@code a}, in place or to b. */
    cl_mem powerOfTwo(cl_mem a, cl_mem b, int n, long batch, boolean inverse) {
        return powerOfTwo(a, a, b, n, batch, inverse);
    }

    /**
     * Unscaled transforms of {@code batch} sequences of length n (a power of two) read from {@code in}, which is
     * left as it is unless it is {@code a} or {@code b}; returns the buffer holding the result: {@code a} or
     * {@code b} ({@code in} itself when n is 1).
     */
    cl_mem powerOfTwo(cl_mem in, cl_mem a, cl_mem b, int n, long batch, boolean inverse) {
        if (n == 1) {
            return in;
        }
        int tiles = tiles(n, batch);
        if (tiles > 0) {
            cl_mem out = in == b ? b : a; // whole transforms per group: in place is safe
            tile(in, out, n, tiles, batch, 1, n, 0, 1, 0, 1, null, inverse);
            return out;
        }
        FourStep f = fourStep(n);
        if (f != null) {
            int t1 = tiles(f.n1(), batch * f.n2());
            int t2 = tiles(f.n2(), batch * f.n1());
            if (t1 > 0 && t2 > 0) {
                cl_mem columns = in == b ? a : b;
                cl_mem rows = columns == a ? b : a;
                // columns j2: x[j1 * n2 + j2] -> times exp(-2 pi i j2 k1 / n) -> c[k1 * n2 + j2]
                tile(in, columns, f.n1(), t1, batch * f.n2(), f.n2(), n, 1, f.n2(), 1, f.n2(), fourStepTwiddles(f),
                        inverse);
                // rows k1: c[k1 * n2 + j2] -> X[k2 * n1 + k1]
                tile(columns, rows, f.n2(), t2, batch * f.n1(), f.n1(), n, f.n2(), 1, 1, f.n1(), null, inverse);
                return rows;
            }
        }
        cl_mem tw = twiddles(n);
        int inv = inverse ? 1 : 0;
        int ns = 1;
        cl_mem src = in;
        cl_mem dst = in == a ? b : a;
        for (int r : radices(n)) {
            ctx.kernel("fft", "fft_radix" + r).mem(src).mem(dst).mem(tw).i(n).i(ns).i(inv).run(n / r, batch);
            src = dst;
            dst = src == a ? b : a;
            ns *= r;
        }
        return src;
    }

    // ---------------------------------------------------------------- any n

    /**
     * Transforms of any n of the {@code batch * n} complex values in {@code in} (left as it is unless it is
     * {@code out}), multiplied by {@code scale} (the plans pass 1/n for inverses). Returns the buffer holding the
     * result: {@code out}, {@code in} (n = 1, scale 1) or the scratch slot "fft.other" (scale 1).
     */
    cl_mem transform(cl_mem in, cl_mem out, int n, long batch, boolean inverse, float scale) {
        long complex = (long) n * batch;
        cl_mem r;
        if (n == 1) {
            r = in;
        } else if (powerOfTwo(n)) {
            r = powerOfTwo(in, out, ctx.buffers.get("fft.other", complex * 8), n, batch, inverse);
        } else {
            Bluestein bl = bluestein(n);
            int m = bl.m();
            int inv = inverse ? 1 : 0;
            cl_mem y = ctx.buffers.get("fft.blue.a", (long) m * batch * 8);
            cl_mem z = ctx.buffers.get("fft.blue.b", (long) m * batch * 8);
            ctx.kernel("fft", "bluestein_pre").mem(in).mem(y).mem(bl.chirp()).i(n).i(m).i(inv).run(m, batch);
            cl_mem s = powerOfTwo(y, z, m, batch, false);
            ctx.kernel("fft", "spectrum_mul").mem(s).mem(inverse ? bl.inverse() : bl.forward()).i(m).run(m, batch);
            cl_mem s2 = powerOfTwo(s, s == y ? z : y, m, batch, true);
            ctx.kernel("fft", "bluestein_post").mem(s2).mem(out).mem(bl.chirp()).i(n).i(m).i(inv).f(scale)
                    .run(n, batch);
            return out;
        }
        if (scale != 1.0f) {
            ctx.kernel("fft", "fft_scale").mem(r).mem(out).f(scale).run(complex);
            return out;
        }
        return r;
    }

    // ---------------------------------------------------------------- real transforms

    /**
     * Forward real transforms of {@code batch} sequences of n reals in {@code in} (left as it is) to the
     * {@code n/2 + 1} bins each in {@code out}. Even n: the reals read as n/2 complex values, transformed,
     * split; odd n: the full complex transform (imaginary parts zero) in the slot "fft.data".
     */
    void forwardReal(cl_mem in, cl_mem out, int n, long batch) {
        int half = n / 2;
        if (n % 2 == 0) {
            cl_mem z = transform(in, ctx.buffers.get("fft.data", 8L * half * batch), half, batch, false, 1.0f);
            ctx.kernel("fft", "real_split").mem(z).mem(out).mem(realTwiddles(n)).i(n).run(half / 2 + 1, batch);
        } else {
            cl_mem a = ctx.buffers.get("fft.data", 8L * n * batch);
            ctx.kernel("fft", "real_to_complex").mem(in).mem(a).i(n).run(n, batch);
            cl_mem r = transform(a, a, n, batch, false, 1.0f);
            ctx.kernel("fft", "complex_to_half").mem(r).mem(out).i(n).run(half + 1, batch);
        }
    }

    /**
     * Inverse real transforms, scaled by 1/n, of the {@code n/2 + 1} bins per sequence in {@code in} (left as it
     * is) to n reals in {@code out}. Even n: merged to n/2 complex values, whose inverse transform holds the
     * reals as pairs; odd n: Hermitian completion and the full complex inverse.
     */
    void inverseReal(cl_mem in, cl_mem out, int n, long batch) {
        int half = n / 2;
        if (n % 2 == 0) {
            cl_mem z = ctx.buffers.get("fft.data", 8L * half * batch);
            ctx.kernel("fft", "real_merge").mem(in).mem(z).mem(realTwiddles(n)).i(n).run(half / 2 + 1, batch);
            transform(z, out, half, batch, true, 1.0f / n); // scale != 1: the result is in out
        } else {
            cl_mem a = ctx.buffers.get("fft.data", 8L * n * batch);
            ctx.kernel("fft", "half_to_complex").mem(in).mem(a).i(n).run(n, batch);
            cl_mem r = transform(a, a, n, batch, true, 1.0f / n);
            ctx.kernel("fft", "complex_to_real").mem(r).mem(out).i(n).f(1.0f).run(n, batch);
        }
    }
}
