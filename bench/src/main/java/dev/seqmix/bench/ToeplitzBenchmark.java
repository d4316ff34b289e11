package dev.seqmix.bench;

import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
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
 * One n x n Toeplitz matrix times an n x 512 matrix. The backend picks the direct product up to its crossover
 * (scalar: n <= 64) and the FFT product (circulant embedding) above it; {@link ToeplitzDirectBenchmark} times the
 * direct product alone at the small sizes, which is how the crossover is chosen.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class ToeplitzBenchmark {
    /** Columns of the right-hand matrix. */
    public static final int COLS = 512;

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"16", "32", "64", "128", "256", "1024", "4096"})
    public int n;

    private Kernels kernels;
    private float[] coeffs;
    private float[] x;
    private float[] y;

    @Setup
    public void setup() {
        kernels = Seqmix.kernels(backend);
        coeffs = BenchData.uniform(1, 2 * n - 1, -1, 1);
        x = BenchData.uniform(2, n * COLS, -1, 1);
        y = new float[n * COLS];
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    @Benchmark
    public float[] toeplitzMatmul() {
        kernels.toeplitzMatmul(1, n, COLS, coeffs, x, y);
        return y;
    }
}
