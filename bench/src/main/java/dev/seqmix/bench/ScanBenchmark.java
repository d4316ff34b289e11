package dev.seqmix.bench;

import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Prefix sums along time of {@code [batch][time][channels]}, against the bandwidth bound: {@link #copy} moves the
 * same bytes (read x, write out) with {@code System.arraycopy}. Shapes: a training-size tensor and a 1-D
 * sequence of 2^14 (one channel: no parallelism across channels at all).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class ScanBenchmark {
    /** {@code -Dseqmix.threads} of the fork (see {@link BenchData#useThreads}). */
    @Param({"1"})
    public String threads;

    @Param({"scalar", "simd"})
    public String backend;

    /** batch x time x channels. */
    @Param({"8x4096x512", "1x16384x1"})
    public String shape;

    private Kernels kernels;
    private int batch;
    private int time;
    private int channels;
    private float[] x;
    private float[] out;
    private Arena arena;
    private MemorySegment xSeg;
    private MemorySegment outSeg;
    private java.util.concurrent.ForkJoinPool copyPool;

    @Setup
    public void setup() {
        BenchData.useThreads(threads);
        String[] d = shape.split("x");
        batch = Integer.parseInt(d[0]);
        time = Integer.parseInt(d[1]);
        channels = Integer.parseInt(d[2]);
        int n = batch * time * channels;
        x = BenchData.uniform(1, n, -1, 1);
        out = new float[n];
        arena = Arena.ofShared();
        xSeg = arena.allocate(4L * n, 64);
        outSeg = arena.allocate(4L * n, 64);
        MemorySegment.copy(x, 0, xSeg, ValueLayout.JAVA_FLOAT, 0, n);
        kernels = Seqmix.kernels(backend);
        copyPool = new java.util.concurrent.ForkJoinPool(
                Integer.getInteger("seqmix.threads", Runtime.getRuntime().availableProcessors()));
    }

    @TearDown
    public void tearDown() {
        kernels.close();
        arena.close();
        copyPool.shutdown();
    }

    @Benchmark
    public float[] cumsum() {
        kernels.cumsum(batch, time, channels, x, out);
        return out;
    }

    @Benchmark
    public float[] cumsumReverse() {
        kernels.cumsumReverse(batch, time, channels, x, out);
        return out;
    }

    /** The scan on off-heap segments (shared arena: large calls may use the worker threads). */
    @Benchmark
    public MemorySegment cumsumSegment() {
        kernels.cumsum(batch, time, channels, xSeg, outSeg);
        return outSeg;
    }

    /** Peer: the same bytes read and written, no arithmetic. */
    @Benchmark
    public float[] copy() {
        System.arraycopy(x, 0, out, 0, x.length);
        return out;
    }

    /**
     * Peer: {@link #copy} split in {@code -Dseqmix.threads} contiguous parts on as many threads (the bandwidth
     * ceiling of the split kernels; with one thread it is {@link #copy} plus a hand-off).
     */
    @Benchmark
    public float[] copyThreads() throws InterruptedException {
        int parts = copyPool.getParallelism();
        int n = x.length;
        java.util.List<java.util.concurrent.Callable<Void>> tasks = new java.util.ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            tasks.add(() -> {
                System.arraycopy(x, from, out, from, to - from);
                return null;
            });
        }
        copyPool.invokeAll(tasks);
        return out;
    }
}
