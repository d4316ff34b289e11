package dev.seqmix.bench;

import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.TalkShape;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * TaLK forward and backward on a training-size batch, {@code [8][4096][512]}, 8 heads, maxLeft = maxRight =
 * {@code window} (31, and the paper's long 1023: the cost should not depend on it), offsets uniform in [0, 1];
 * peers: the direct windowed loop (O(n K), {@link BenchData#talkForwardDirect}) and {@code copy}, the memory
 * ceiling of the same run: {@code System.arraycopy} of x into out, 8 bytes an element. Forward moves the same 8
 * bytes an element (read x, write out; the offsets are 1/64 of that), so copy time / forward time is its share
 * of the ceiling; backward moves 12 (read x and gradOut, write gradX): 1.5 x copy time / backward time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class TalkBenchmark {
    /** {@code -Dseqmix.threads} of the fork (see {@link BenchData#useThreads}). */
    @Param({"1"})
    public String threads;

    @Param({"scalar", "simd"})
    public String backend;

    /** maxLeft = maxRight: the window's reach either way. */
    @Param({"31", "1023"})
    public int window;

    /** The shape every method runs at window 31 (the report reads it to turn times into bytes per second). */
    public static final TalkShape SHAPE = new TalkShape(8, 4096, 512, 8, 31, 31);

    private Kernels kernels;
    private TalkShape shape;
    private float[] x;
    private float[] left;
    private float[] right;
    private float[] gradOut;
    private float[] out;
    private float[] gradX;
    private float[] gradLeft;
    private float[] gradRight;

    @Setup
    public void setup() {
        BenchData.useThreads(threads);
        shape = new TalkShape(SHAPE.batch(), SHAPE.time(), SHAPE.channels(), SHAPE.heads(), window, window);
        int n = shape.sequenceLength();
        int m = shape.offsetLength();
        x = BenchData.uniform(1, n, -1, 1);
        left = BenchData.uniform(2, m, 0, 1);
        right = BenchData.uniform(3, m, 0, 1);
        gradOut = BenchData.uniform(4, n, -1, 1);
        out = new float[n];
        gradX = new float[n];
        gradLeft = new float[m];
        gradRight = new float[m];
        kernels = Seqmix.kernels(backend);
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    @Benchmark
    public float[] forward() {
        kernels.talkForward(shape, x, left, right, out);
        return out;
    }

    @Benchmark
    public void backward(Blackhole bh) {
        kernels.talkBackward(shape, x, left, right, gradOut, gradX, gradLeft, gradRight);
        bh.consume(gradX);
        bh.consume(gradLeft);
        bh.consume(gradRight);
    }

    /** The memory ceiling: x into out, 8 bytes an element (window plays no part; run it with one). */
    @Benchmark
    public float[] copy() {
        System.arraycopy(x, 0, out, 0, x.length);
        return out;
    }

    /** Peer: the direct windowed sum, one thread, float accumulation. */
    @Benchmark
    public float[] forwardDirectLoop() {
        BenchData.talkForwardDirect(shape, x, left, right, out);
        return out;
    }
}
