package dev.seqmix.bench;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Latency distributions of the small calls embedders make, the way a service meets them: one {@code Kernels}
 * shared by every thread (run with {@code -t 1} and {@code -t 4}), each thread with its own buffers and stream.
 * {@code SampleTime} gives p50, p99, p99.9 and the maximum per call: {@link TalkStream#step} on {@code [1][512]}
 * (8 heads, maxLeft 31), a complex FFT of 256, and {@code talkForward} on {@code [1][128][512]} (8 heads, 31/31);
 * and {@code machineFloor}, a call-free busy loop of the step's length, that tells the machine's tail from the
 * library's.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TailLatencyBenchmark {
    /** {@code talkForward}'s shape: [1][128][512], 8 heads, maxLeft = maxRight = 31. */
    public static final TalkShape TALK = new TalkShape(1, 128, 512, 8, 31, 31);
    /** The stream's shape: one step of [1][512], 8 heads, maxLeft 31. */
    public static final TalkShape STEP = new TalkShape(1, 1, 512, 8, 31, 0);
    /** The FFT's size (one op: a forward and an inverse transform). */
    public static final int FFT_N = 256;

    /** The instance every thread shares. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"simd"})
        public String backend;

        Kernels kernels;
        FftPlan fft256;
        final TalkShape talk = TALK;
        final TalkShape step = STEP;

        @Setup
        public void setup() {
            kernels = Seqmix.kernels(backend);
            fft256 = kernels.fftPlan(FFT_N);
        }

        @TearDown
        public void tearDown() {
            kernels.close();
        }
    }

    /** One thread's buffers and stream. */
    @State(Scope.Thread)
    public static class Local {
        float[] x;
        float[] left;
        float[] out;
        TalkStream stream;
        float[] xt;
        float[] leftT;
        float[] outT;
        float[] fftData;

        @Setup(Level.Trial)
        public void setup(Shared s) {
            long seed = Thread.currentThread().threadId();
            x = BenchData.uniform(seed, s.talk.sequenceLength(), -1, 1);
            left = BenchData.uniform(seed + 1, s.talk.offsetLength(), 0, 1);
            out = new float[x.length];
            stream = s.kernels.talkStream(s.step);
            xt = BenchData.uniform(seed + 2, 512, -1, 1);
            leftT = BenchData.uniform(seed + 3, 8, 0, 1);
            outT = new float[512];
            fftData = BenchData.uniform(seed + 4, 2 * FFT_N, -1, 1);
        }
    }

    @Benchmark
    public float[] streamStep(Shared s, Local l) {
        l.stream.step(l.xt, l.leftT, l.outT);
        return l.outT;
    }

    @Benchmark
    public float[] fft256(Shared s, Local l) {
        s.fft256.forward(l.fftData, 1);
        s.fft256.inverse(l.fftData, 1);
        return l.fftData;
    }

    /**
     * The machine's floor: a busy loop of about a stream step's length that touches no memory, calls nothing and
     * allocates nothing. Whatever its p99.9 and maximum are (timer interrupts, the hypervisor, other tenants,
     * JMH's own sampling) no sub-microsecond call measured in the same run can do better.
     */
    @Benchmark
    public void machineFloor() {
        Blackhole.consumeCPU(FLOOR_TOKENS);
    }

    /** {@link #machineFloor}'s work: about 0.5-1 us on the test machines. */
    public static final long FLOOR_TOKENS = 200;

    @Benchmark
    public float[] talkForward(Shared s, Local l) {
        s.kernels.talkForward(s.talk, l.x, l.left, l.left, l.out);
        return l.out;
    }
}
