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
 * 256 complex FFTs of 4096 in one call ({@code [256][4096][re,im]}, 8 MiB, in place; the input is copied back
 * first). seqmix splits the batch over {@code -Dseqmix.threads} (default: all cores); the JTransforms peer is a
 * loop over the rows on one thread, so compare per core, or run with {@code -jvmArgsAppend -Dseqmix.threads=1}.
 *
 * <p>FFTW peer ({@link #fftwForward}): one {@code fftwf_plan_many_dft} plan (rank 1, n = 4096, howmany = 256,
 * contiguous rows, in place, {@code FFTW_MEASURE}), single-threaded library; like {@link #forward} it copies the
 * 8 MiB input into its ({@code fftwf_malloc}'ed) buffer first, then executes in place. Where {@code libfftw3f.so.3}
 * is absent that benchmark fails in its setup with the reason and reports no score.
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

    /** {@code -Dseqmix.threads} of the fork (see {@link BenchData#useThreads}). */
    @Param({"1"})
    public String threads;

    @Param({"scalar", "simd"})
    public String backend;

    private Kernels kernels;
    private FftPlan plan;
    private FloatFFT_1D jtransforms;
    private float[] input;
    private float[] data;
    private Fftw.Plan fftwPlan;
    private Fftw.Buffer fftwData;

    @Setup
    public void setup(BenchmarkParams params) {
        BenchData.useThreads(threads);
        ConcurrencyUtils.setNumberOfThreads(1);
        kernels = Seqmix.kernels(backend);
        plan = kernels.fftPlan(N);
        jtransforms = new FloatFFT_1D(N);
        input = BenchData.uniform(1, 2 * N * BATCH, -1, 1);
        data = new float[input.length];
        if (params.getBenchmark().endsWith(".fftwForward")) {
            Fftw.requireAvailable();                 // skips this benchmark, with the reason, where FFTW is absent
            fftwPlan = Fftw.complexForwardMany(N, BATCH, true, Fftw.MEASURE);
            fftwData = Fftw.allocate(input.length);
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
        plan.forward(data, BATCH);
        return data;
    }

    /** The input copy that {@link #forward} includes (one thread: the serial part of a split call). */
    @Benchmark
    public float[] copy() {
        System.arraycopy(input, 0, data, 0, data.length);
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

    /** Peer: FFTW {@code fftwf_plan_many_dft} ({@code libfftw3f}, FFM downcall), copy + in place, one thread. */
    @Benchmark
    public MemorySegment fftwForward() {
        fftwData.copyFrom(input, 0, input.length);
        fftwPlan.execute(fftwData, fftwData);
        return fftwData.segment();
    }
}
