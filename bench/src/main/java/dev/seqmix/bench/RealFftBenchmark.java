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
 * One real FFT of size n: seqmix's out-of-place {@code forwardReal} / {@code inverseReal} (numpy rfft layout,
 * n/2+1 bins) against JTransforms' in-place {@code realForward} (packed layout; it copies the input back first,
 * n floats) pinned to one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class RealFftBenchmark {
    @Param({"scalar"})
    public String backend;

    @Param({"1024", "65536"})
    public int n;

    private Kernels kernels;
    private FftPlan plan;
    private FloatFFT_1D jtransforms;
    private float[] input;
    private float[] spectrum;
    private float[] signal;
    private float[] data;

    @Setup
    public void setup() {
        ConcurrencyUtils.setNumberOfThreads(1);
        kernels = Seqmix.kernels(backend);
        plan = kernels.fftPlan(n);
        jtransforms = new FloatFFT_1D(n);
        input = BenchData.uniform(1, n, -1, 1);
        spectrum = new float[2 * (n / 2 + 1)];
        plan.forwardReal(input, spectrum, 1);
        signal = new float[n];
        data = new float[n];
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    @Benchmark
    public float[] forwardReal() {
        plan.forwardReal(input, spectrum, 1);
        return spectrum;
    }

    @Benchmark
    public float[] inverseReal() {
        plan.inverseReal(spectrum, signal, 1);
        return signal;
    }

    /** Peer: JTransforms realForward (in place, so the input is copied first). */
    @Benchmark
    public float[] jtransformsRealForward() {
        System.arraycopy(input, 0, data, 0, n);
        jtransforms.realForward(data);
        return data;
    }
}
