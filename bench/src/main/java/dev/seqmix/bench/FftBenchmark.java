package dev.seqmix.bench;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.bench.peers.Fftw;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * One complex FFT of size n (interleaved, in place), seqmix against JTransforms' {@code FloatFFT_1D} pinned to
 * one thread. Both transforms are in place, so both benchmark methods first copy the input back; {@link #copy}
 * is that copy alone. Plans (twiddles) are made in the setup, not timed.
 *
 * <p>What each side times: {@link #forward} copies the {@code 2n}-float input into a heap array and transforms
 * it in place; {@link #jtransformsForward} the same with JTransforms; {@link #fftwForward} copies the same input
 * into an {@code fftwf_malloc}'ed segment and runs FFTW's in-place plan on it ({@code fftwf_execute_dft}, one
 * FFM downcall; the result stays in native memory, as seqmix's stays in the heap array). FFTW's plan is made
 * with {@code FFTW_MEASURE} in the setup, only for {@code fftwForward}; where {@code libfftw3f.so.3} is absent
 * that benchmark fails in its setup with the reason (JMH prints it and reports no score) and the others run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class FftBenchmark {
    @Param({"scalar", "simd"})
    public String backend;

    @Param({"64", "256", "1024", "4096", "65536", "1048576"})
    public int n;

    private Kernels kernels;
    private FftPlan plan;
    private FloatFFT_1D jtransforms;
    private float[] input;
    private float[] data;
    private Fftw.Plan fftwPlan;
    private Fftw.Buffer fftwData;

    @Setup
    public void setup(BenchmarkParams params) {
        ConcurrencyUtils.setNumberOfThreads(1);
        kernels = Seqmix.kernels(backend);
        plan = kernels.fftPlan(n);
        jtransforms = new FloatFFT_1D(n);
        input = BenchData.uniform(1, 2 * n, -1, 1);
        data = new float[2 * n];
        if (params.getBenchmark().endsWith(".fftwForward")) {
            Fftw.requireAvailable();                 // skips this benchmark, with the reason, where FFTW is absent
            fftwPlan = Fftw.complexForward(n, true, Fftw.MEASURE);
            fftwData = Fftw.allocate(2L * n);
        }
    }

    @TearDown
    public void tearDown() {
        kernels.close();
        if (fftwPlan != null) {
            fftwPlan.close();
            fftwData.close();
            fftwPlan = null;
            fftwData = null;
        }
    }

    @Benchmark
    public float[] forward() {
        System.arraycopy(input, 0, data, 0, data.length);
        plan.forward(data, 1);
        return data;
    }

    @Benchmark
    public float[] inverse() {
        System.arraycopy(input, 0, data, 0, data.length);
        plan.inverse(data, 1);
        return data;
    }

    /** Peer: JTransforms complexForward, one thread. */
    @Benchmark
    public float[] jtransformsForward() {
        System.arraycopy(input, 0, data, 0, data.length);
        jtransforms.complexForward(data);
        return data;
    }

    /** Peer: FFTW ({@code libfftw3f}, FFM downcall), copy into its aligned segment + in-place execute, one thread. */
    @Benchmark
    public MemorySegment fftwForward() {
        fftwData.copyFrom(input, 0, input.length);
        fftwPlan.execute(fftwData, fftwData);
        return fftwData.segment();
    }

    /** The input copy that every method above includes. */
    @Benchmark
    public float[] copy() {
        System.arraycopy(input, 0, data, 0, data.length);
        return data;
    }
}
