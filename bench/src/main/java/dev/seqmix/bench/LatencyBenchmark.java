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
 * The small calls a latency-bound service makes: TaLK forward on {@code [1][128][512]} (8 heads, 31/31), one
 * {@link TalkStream} step for {@code [1][512]}, and one complex FFT of 256. Run with {@code -prof gc}: the
 * allocation rate per call ({@code gc.alloc.rate.norm}, B/op) should be 0 or close to it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class LatencyBenchmark {
    @Param({"scalar", "simd"})
    public String backend;

    private Kernels kernels;
    private final TalkShape talk = new TalkShape(1, 128, 512, 8, 31, 31);
    private final TalkShape streamShape = new TalkShape(1, 1, 512, 8, 31, 0);
    private float[] x;
    private float[] left;
    private float[] right;
    private float[] out;
    private TalkStream stream;
    private float[] xt;
    private float[] leftT;
    private float[] outT;
    private FftPlan fft256;
    private float[] fftInput;
    private float[] fftData;

    @Setup
    public void setup() {
        kernels = Seqmix.kernels(backend);
        x = BenchData.uniform(1, talk.sequenceLength(), -1, 1);
        left = BenchData.uniform(2, talk.offsetLength(), 0, 1);
        right = BenchData.uniform(3, talk.offsetLength(), 0, 1);
        out = new float[talk.sequenceLength()];
        stream = kernels.talkStream(streamShape);
        xt = BenchData.uniform(4, streamShape.channels(), -1, 1);
        leftT = BenchData.uniform(5, streamShape.heads(), 0, 1);
        outT = new float[streamShape.channels()];
        fft256 = kernels.fftPlan(256);
        fftInput = BenchData.uniform(6, 2 * 256, -1, 1);
        fftData = new float[2 * 256];
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    @Benchmark
    public float[] talkForward128() {
        kernels.talkForward(talk, x, left, right, out);
        return out;
    }

    /** One step of a causal stream (the stream keeps running: its state is a ring of maxLeft + 2 rows). */
    @Benchmark
    public float[] talkStreamStep() {
        stream.step(xt, leftT, outT);
        return outT;
    }

    /** In place, so the input is copied back first (512 floats, a few ns). */
    @Benchmark
    public float[] fft256() {
        System.arraycopy(fftInput, 0, fftData, 0, fftData.length);
        fft256.forward(fftData, 1);
        return fftData;
    }
}
