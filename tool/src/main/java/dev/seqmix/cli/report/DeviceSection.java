package dev.seqmix.cli.report;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.bench.BenchData;
import dev.seqmix.opencl.OpenClDevices;
import dev.seqmix.opencl.OpenClProfiling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The device benchmark: per OpenCL device, its own ceilings (copy bandwidth two ways, host-device transfers both
 * ways, the FP32 FMA peak), then every opencl operation at growing sizes, each timed twice: its kernels' device time
 * (profiling events, on an instance with profiling) and the whole call (on an instance without), until the device's
 * share of the time budget is spent. Each operation is judged against the ceiling that bounds it: scans, TaLK and
 * FFTs against the copy bandwidth over the bytes they must move at least (inputs read once, outputs written once),
 * attention against the FMA peak over its nominal flops; FFTs are also given in benchFFT's flops (5 n log2 n).
 */
final class DeviceSection {
    static final String COPY_BUFFER = "copy: clEnqueueCopyBuffer";
    static final String COPY_KERNEL = "copy: a float4 kernel";
    static final String HOST_TO_DEVICE = "host to device (blocking write)";
    static final String DEVICE_TO_HOST = "device to host (blocking read)";
    static final String FMA_PEAK = "FP32 FMA peak";
    /** The share of a device's budget its ceilings get. */
    private static final double CEILING_SHARE = 0.2;
    /** Timed calls per case and instance, at most (at least one). */
    private static final int MAX_CALLS = 5;

    private final Sweep sweep;
    private final boolean quick;
    private final double budgetSeconds;
    /** Each device's properties, by label, for the page. */
    final List<Map<String, String>> properties = new ArrayList<>();
    private final List<OpenClDevices.Device> devices;

    DeviceSection(Sweep sweep, List<OpenClDevices.Device> devices, double budgetSeconds, boolean quick) {
        this.sweep = sweep;
        this.devices = devices;
        this.budgetSeconds = budgetSeconds;
        this.quick = quick;
    }

    /** One task per device: its ceilings, then its operations until its share of the budget is spent. */
    List<Sweep.Task> tasks() {
        List<Sweep.Task> tasks = new ArrayList<>();
        double share = budgetSeconds / Math.max(1, devices.size());
        for (OpenClDevices.Device d : devices) {
            properties.add(properties(d));
            tasks.add(new Sweep.Task("device " + d.label(), () -> run(d, share)));
        }
        return tasks;
    }

    /** What the page shows of a device, in order. */
    static Map<String, String> properties(OpenClDevices.Device d) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("device", d.label());
        p.put("name", d.name());
        p.put("vendor", d.vendor());
        p.put("platform", d.platform());
        p.put("driver", d.driverVersion());
        p.put("OpenCL", d.openclVersion());
        p.put("type", d.type());
        p.put("compute units", Integer.toString(d.computeUnits()));
        p.put("clock", d.clockMhz() + " MHz");
        p.put("local memory", (d.localMemory() >> 10) + " KiB");
        p.put("global memory", String.format(Locale.ROOT, "%.1f GiB", d.globalMemory() / (double) (1L << 30)));
        p.put("largest buffer", (d.maxAlloc() >> 20) + " MiB");
        p.put("sums", d.fp64() ? "double (cl_khr_fp64)" : "float and float-float pairs (no fp64)");
        return p;
    }

    private void run(OpenClDevices.Device d, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        OpenClDevices.Roofline r = OpenClDevices.roofline(d.index(), seconds * CEILING_SHARE);
        String impl = d.label();
        ceiling(impl, COPY_BUFFER, r.copyBuffer(), false);
        ceiling(impl, COPY_KERNEL, r.copyKernel(), false);
        ceiling(impl, HOST_TO_DEVICE, r.hostToDevice(), false);
        ceiling(impl, DEVICE_TO_HOST, r.deviceToHost(), false);
        ceiling(impl, FMA_PEAK, r.fma(), true);
        List<Case> cases = cases(d.localMemory());
        int skipped = 0;
        try (Kernels profiled = OpenClDevices.open(d.index(), true);
             Kernels plain = OpenClDevices.open(d.index(), false)) {
            for (Case c : cases) {
                double left = (deadline - System.nanoTime()) * 1e-9;
                if (left <= 0) {
                    skipped++;
                    continue;
                }
                try {
                    Runnable onProfiled = c.build(profiled);
                    Runnable onPlain = c.build(plain);
                    time(impl, c, onProfiled, profiled, onPlain, left / 4);
                } catch (RuntimeException | OutOfMemoryError e) {
                    sweep.notes.add(impl + ": " + c.name() + " failed: " + e);
                }
            }
        }
        if (skipped > 0) {
            sweep.notes.add(String.format(Locale.ROOT, "%s: the time budget (%.0f s for this device) ended before "
                    + "%d of %d cases", impl, seconds, skipped, cases.size()));
        }
    }

    private void ceiling(String impl, String what, OpenClDevices.Rate rate, boolean flops) {
        sweep.add(Operation.DEVICE_CEILING, impl, (long) rate.amount(), what, rate.best(), rate.best(), rate.slowest(),
                rate.runs(), 1, true, flops ? rate.amount() : 0, flops ? 0 : rate.amount());
    }

    /**
     * Times a case: one call on each instance first (program builds, buffers), then up to {@link #MAX_CALLS} calls
     * each within {@code seconds}; the median call is recorded.
     */
    private void time(String impl, Case c, Runnable onProfiled, Kernels profiled, Runnable onPlain, double seconds) {
        onProfiled.run();
        onPlain.run();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Long> kernel = new ArrayList<>();
        List<Long> whole = new ArrayList<>();
        while (kernel.size() < MAX_CALLS && (kernel.isEmpty() || System.nanoTime() < end)) {
            long before = OpenClProfiling.kernelNanos(profiled).orElseThrow();
            onProfiled.run();
            kernel.add(OpenClProfiling.kernelNanos(profiled).orElseThrow() - before);
            long t0 = System.nanoTime();
            onPlain.run();
            whole.add(System.nanoTime() - t0);
        }
        record(Operation.DEVICE_KERNELS, impl, c, kernel);
        record(Operation.DEVICE_END_TO_END, impl, c, whole);
    }

    private void record(Operation op, String impl, Case c, List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2) * 1e-9;
        sweep.add(op, impl, c.size(), c.name(), median, sorted.getFirst() * 1e-9, sorted.getLast() * 1e-9,
                sorted.size(), 1, true, c.flops(), c.bytes());
    }

    /** A case: its name (the row of the page), size, nominal flops or bytes, and a call on a given instance. */
    private record Case(String name, long size, double flops, double bytes, CallFactory factory) {
        Runnable build(Kernels k) {
            return factory.build(k);
        }
    }

    private interface CallFactory {
        Runnable build(Kernels k);
    }

    /** Every case, the smallest size of every operation first, then the next sizes in rounds. */
    private List<Case> cases(long localMemory) {
        int[] times = quick ? new int[] {256, 1024} : new int[] {1 << 12, 1 << 14, 1 << 16};
        int channels = quick ? 8 : 512;
        int[] fft = quick ? new int[] {64, 1024} : new int[] {1 << 10, 1 << 14, 1 << 20};
        int fftPoints = quick ? 1 << 12 : 1 << 22;
        int[] lengths = quick ? new int[] {32, 64} : new int[] {512, 1024, 2048};
        List<List<Case>> rounds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Case> round = new ArrayList<>();
            if (i < times.length) {
                round.addAll(streaming(times[i], channels));
            }
            if (i < fft.length) {
                round.add(fft(fft[i], Math.max(1, fftPoints / fft[i]), localMemory));
            }
            if (i < lengths.length) {
                round.addAll(attention(lengths[i]));
            }
            rounds.add(round);
        }
        return rounds.stream().flatMap(List::stream).toList();
    }

    private List<Case> streaming(int time, int channels) {
        TalkShape s = new TalkShape(1, time, channels, 8, 31, 31);
        long elements = s.sequenceLength();
        String shape = "[1][" + time + "][" + channels + "]";
        String talk = shape + ", 8 heads, window 31/31";
        float[] x = BenchData.uniform(1, (int) elements, -1, 1);
        float[] left = BenchData.uniform(2, s.offsetLength(), 0, 1);
        float[] right = BenchData.uniform(3, s.offsetLength(), 0, 1);
        return List.of(
                new Case("cumsum " + shape, elements, 0, BandwidthSection.copyBytes(elements), k -> {
                    float[] out = new float[x.length];
                    return () -> k.cumsum(1, time, channels, x, out);
                }),
                new Case("talkForward " + talk, elements, 0, BandwidthSection.talkForwardBytes(s), k -> {
                    float[] out = new float[x.length];
                    return () -> k.talkForward(s, x, left, right, out);
                }),
                new Case("talkBackward " + talk, elements, 0, BandwidthSection.talkBackwardBytes(s), k -> {
                    float[] gx = new float[x.length];
                    float[] gl = new float[s.offsetLength()];
                    float[] gr = new float[s.offsetLength()];
                    return () -> k.talkBackward(s, x, left, right, x, gx, gl, gr);
                }));
    }

    /**
     * benchFFT's 5 n log2 n flops a transform. Bytes: each pass over global memory reads and writes the transform's
     * 2n floats once, and a transform needs at least {@link #fftPasses} passes on this device.
     */
    private static Case fft(int n, int batch, long localMemory) {
        float[] in = BenchData.uniform(4, 2 * n * batch, -1, 1);
        double log2 = Integer.numberOfTrailingZeros(n);
        int passes = fftPasses(n, localMemory);
        return new Case("fft n = " + n + ", batch " + batch + " (" + passes + (passes == 1 ? " pass" : " passes")
                + ")", n, 5.0 * n * log2 * batch, 16.0 * n * batch * passes, k -> {
            FftPlan plan = k.fftPlan(n);
            float[] data = new float[in.length];
            return () -> {
                System.arraycopy(in, 0, data, 0, data.length);
                plan.forward(data, batch);
            };
        });
    }

    /**
     * The fewest passes over global memory an FFT of n points needs on a device whose work-group holds
     * {@code localMemory} bytes, whatever the implementation: one while the transform fits local memory (L complex
     * floats), else each pass can finish transforms of at most L points, so ceil(log n / log L) (the four-step FFT:
     * two up to L^2). The same model for every vendor, so that fractions compare.
     */
    static int fftPasses(long n, long localMemory) {
        long fits = Math.max(2, localMemory / 8);
        int passes = 1;
        for (double reach = fits; reach < n; reach *= fits) {
            passes++;
        }
        return passes;
    }

    /**
     * The attention operations at sequence length n, batch 1, 8 heads, dimensions 64 (the papers' shape; quick: 2
     * heads of 8), not causal. Nominal flops: softmax 4 n^2 d a head forward (the two n x n x d products) and
     * 10 n^2 d backward (five); kernelized, 5 N log2 N per complex transform of the circulant size N, two real
     * columns a transform, two transforms a column forward and four backward plus one a head for the bias.
     */
    private List<Case> attention(int n) {
        AttentionShape s = quick ? new AttentionShape(1, n, 2, 8, 8, 8, false)
                : new AttentionShape(1, n, 8, 64, 64, 64, false);
        BenchData.AttentionInputs in = BenchData.attentionInputs(s);
        float[] phiQ = BenchData.uniform(5, s.featureLength(), 0.05, 1);
        float[] phiK = BenchData.uniform(6, s.featureLength(), 0.05, 1);
        float[] gradOut = BenchData.uniform(7, s.valueLength(), -1, 1);
        double heads = s.batch() * s.heads();
        double softmax = 4.0 * n * n * s.keyDim() * heads;
        int big = Integer.highestOneBit(2 * n - 1) << 1; // the circulant: a power of two >= 2n - 1
        double transform = 5.0 * big * Integer.numberOfTrailingZeros(big);
        double pairs = Math.ceil(s.features() * (s.valueDim() + 1) / 2.0);
        String shape = "n = " + n + ", " + s.heads() + " heads, d = " + s.keyDim();
        return List.of(
                new Case("softmaxRpeAttention " + shape, n, softmax, 0, k -> {
                    float[] out = new float[s.valueLength()];
                    return () -> k.softmaxRpeAttention(s, in.q(), in.k(), in.v(), in.bias(), out);
                }),
                new Case("rpeAttention " + shape, n, 2 * pairs * transform * heads, 0, k -> {
                    float[] out = new float[s.valueLength()];
                    return () -> k.rpeAttention(s, phiQ, phiK, in.v(), in.bias(), out);
                }),
                new Case("softmaxRpeAttentionBackward " + shape, n, 2.5 * softmax, 0, k -> {
                    float[] gq = new float[s.keyLength()];
                    float[] gk = new float[s.keyLength()];
                    float[] gv = new float[s.valueLength()];
                    float[] gb = new float[s.biasLength()];
                    return () -> k.softmaxRpeAttentionBackward(s, in.q(), in.k(), in.v(), in.bias(), gradOut, gq, gk,
                            gv, gb);
                }),
                new Case("rpeAttentionBackward " + shape, n, (4 * pairs + 1) * transform * heads, 0, k -> {
                    float[] gq = new float[s.featureLength()];
                    float[] gk = new float[s.featureLength()];
                    float[] gv = new float[s.valueLength()];
                    float[] gb = new float[s.biasLength()];
                    return () -> k.rpeAttentionBackward(s, phiQ, phiK, in.v(), in.bias(), gradOut, gq, gk, gv, gb);
                }));
    }
}
