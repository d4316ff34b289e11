package dev.seqmix.bench;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.FloatFFT_1D;
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
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * 256 complex FFTs of 4096 in one call ({@code [256][4096][re,im]}, 8 MiB, in place; the input is copied back
 * first). seqmix splits the batch over {@code -Dseqmix.threads} (default: all cores); the JTransforms peer is a
 * loop over the rows on one thread, so compare per core, or run with {@code -jvmArgsAppend -Dseqmix.threads=1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class BatchedFftBenchmark {
    private static final int N = 4096;
    private static final int BATCH = 256;

    @Param({"scalar"})
    public String backend;

    private Kernels kernels;
    private FftPlan plan;
    private FloatFFT_1D jtransforms;
    private float[] input;
    private float[] data;

    @Setup
    public void setup() {
        ConcurrencyUtils.setNumberOfThreads(1);
        kernels = Seqmix.kernels(backend);
        plan = kernels.fftPlan(N);
        jtransforms = new FloatFFT_1D(N);
        input = BenchData.uniform(1, 2 * N * BATCH, -1, 1);
        data = new float[input.length];
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    @Benchmark
    public float[] forward() {
        System.arraycopy(input, 0, data, 0, data.length);
        plan.forward(data, BATCH);
        return data;
    }

    /** Peer: JTransforms, row by row on one thread. */
    @Benchmark
    public float[] jtransformsForward() {
        System.arraycopy(input, 0, data, 0, data.length);
        for (int b = 0; b < BATCH; b++) {
            jtransforms.complexForward(data, 2 * N * b);
        }
        return data;
    }
}
