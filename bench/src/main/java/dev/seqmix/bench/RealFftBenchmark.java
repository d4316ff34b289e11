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
 * One real FFT of size n: seqmix's out-of-place {@code forwardReal} / {@code inverseReal} (numpy rfft layout,
 * n/2+1 bins) against JTransforms' in-place {@code realForward} (packed layout; it copies the input back first,
 * n floats) pinned to one thread.
 *
 * <p>FFTW peer ({@link #fftwRealForward}): {@code fftwf_execute_dft_r2c} of an out-of-place {@code FFTW_MEASURE}
 * plan, from an {@code fftwf_malloc}'ed segment holding the same input (written once in the setup; an out-of-place
 * 1-D r2c leaves its input intact) into a segment of n/2+1 bins, numpy's layout like seqmix's. Like
 * {@link #forwardReal} it copies nothing: it reads the input and writes the spectrum. Where {@code libfftw3f.so.3}
 * is absent that benchmark fails in its setup with the reason and reports no score.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class RealFftBenchmark {
    @Param({"scalar", "simd"})
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
    private Fftw.Plan fftwPlan;
    private Fftw.Buffer fftwIn;
    private Fftw.Buffer fftwOut;

    @Setup
    public void setup(BenchmarkParams params) {
        ConcurrencyUtils.setNumberOfThreads(1);
        kernels = Seqmix.kernels(backend);
        plan = kernels.fftPlan(n);
        jtransforms = new FloatFFT_1D(n);
        input = BenchData.uniform(1, n, -1, 1);
        spectrum = new float[2 * (n / 2 + 1)];
        plan.forwardReal(input, spectrum, 1);
        signal = new float[n];
        data = new float[n];
        if (params.getBenchmark().endsWith(".fftwRealForward")) {
            Fftw.requireAvailable();                 // skips this benchmark, with the reason, where FFTW is absent
            fftwPlan = Fftw.realForward(n, Fftw.MEASURE);
            fftwIn = Fftw.allocate(n);
            fftwOut = Fftw.allocate(2L * (n / 2 + 1));
            fftwIn.copyFrom(input, 0, n);
        }
    }

    @TearDown
    public void tearDown() {
        kernels.close();
        if (fftwPlan != null) {
            fftwPlan.close();
            fftwIn.close();
            fftwOut.close();
            fftwPlan = null;
        }
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

    /** Peer: FFTW r2c ({@code libfftw3f}, FFM downcall), out of place, one thread. */
    @Benchmark
    public MemorySegment fftwRealForward() {
        fftwPlan.execute(fftwIn, fftwOut);
        return fftwOut.segment();
    }
}
