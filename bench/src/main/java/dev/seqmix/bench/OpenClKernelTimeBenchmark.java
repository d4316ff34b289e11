package dev.seqmix.bench;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.TalkShape;
import dev.seqmix.opencl.OpenClProfiling;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Kernel time beside end-to-end time on the {@code opencl} backend, for the scan, TaLK forward and the batched
 * FFT (the same shapes as {@link ScanBenchmark}, {@link TalkBenchmark} and {@link BatchedFftBenchmark}). The
 * score is end to end (upload, kernels, read back); the secondary results {@code kernelNanos / calls} give the device time of
 * the kernels per call, from OpenCL profiling events ({@code -Dseqmix.opencl.profile=true}, set in the fork).
 * The difference is transfers and launch overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dseqmix.opencl.profile=true"})
@State(Scope.Thread)
public class OpenClKernelTimeBenchmark {
    @Param({"opencl"})
    public String backend;

    /**
     * TaLK's shape, batch x time x channels x heads (maxLeft = maxRight = 31): training's (many columns) and a
     * 1-D signal (one column, where only a prefix parallel over time blocks keeps a device busy).
     */
    @Param({"8x4096x512x8", "1x1048576x1x1"})
    public String talkShape;

    private static final int FFT_N = 4096;
    private static final int FFT_BATCH = 256;
    private static final int SCAN_N = 8 * 4096 * 512;
    private TalkShape talk;

    private Kernels kernels;
    private float[] x;
    private float[] left;
    private float[] right;
    private float[] out;
    private float[] scanX;
    private float[] scanOut;
    private float[] gradX;
    private float[] gradLeft;
    private float[] gradRight;
    private float[] fftData;
    private FftPlan plan;

    /**
     * Kernel nanoseconds and calls of the iteration (JMH sums events over iterations and prints them beside the
     * score): kernel time per call = kernelNanos / calls.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class KernelTime {
        public long kernelNanos;
        public long calls;

        @Setup(Level.Iteration)
        public void clear() {
            calls = 0;
            kernelNanos = 0;
        }

        void add(long delta) {
            calls++;
            kernelNanos += delta;
        }
    }

    @Setup
    public void setup() {
        kernels = Seqmix.kernels(backend);
        String[] d = talkShape.split("x");
        talk = new TalkShape(Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]),
                Integer.parseInt(d[3]), 31, 31);
        int n = talk.sequenceLength();
        scanX = BenchData.uniform(5, SCAN_N, -1, 1);
        scanOut = new float[SCAN_N];
        x = BenchData.uniform(1, n, -1, 1);
        left = BenchData.uniform(2, talk.offsetLength(), 0, 1);
        right = BenchData.uniform(3, talk.offsetLength(), 0, 1);
        out = new float[n];
        gradX = new float[n];
        gradLeft = new float[talk.offsetLength()];
        gradRight = new float[talk.offsetLength()];
        fftData = BenchData.uniform(4, 2 * FFT_N * FFT_BATCH, -1, 1);
        plan = kernels.fftPlan(FFT_N);
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    private long nanos() {
        return OpenClProfiling.kernelNanos(kernels).orElse(0);
    }

    @Benchmark
    public float[] scan(KernelTime t) {
        long before = nanos();
        kernels.cumsum(8, 4096, 512, scanX, scanOut);
        t.add(nanos() - before);
        return scanOut;
    }

    @Benchmark
    public float[] talkForward(KernelTime t) {
        long before = nanos();
        kernels.talkForward(talk, x, left, right, out);
        t.add(nanos() - before);
        return out;
    }

    @Benchmark
    public float[] talkBackward(KernelTime t) {
        long before = nanos();
        kernels.talkBackward(talk, x, left, right, out, gradX, gradLeft, gradRight);
        t.add(nanos() - before);
        return gradX;
    }

    @Benchmark
    public float[] batchedFft(KernelTime t) {
        long before = nanos();
        plan.forward(fftData, FFT_BATCH);
        t.add(nanos() - before);
        return fftData;
    }
}
