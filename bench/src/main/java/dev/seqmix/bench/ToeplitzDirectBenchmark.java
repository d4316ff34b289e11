package dev.seqmix.bench;

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
 * Baseline for {@link ToeplitzBenchmark}: the direct O(n^2 cols) product ({@link BenchData#toeplitzDirect}) on
 * one thread, at the sizes where it can compete with the FFT product.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class ToeplitzDirectBenchmark {
    @Param({"16", "32", "64", "128", "256"})
    public int n;

    private float[] coeffs;
    private float[] x;
    private float[] y;

    @Setup
    public void setup() {
        coeffs = BenchData.uniform(1, 2 * n - 1, -1, 1);
        x = BenchData.uniform(2, n * ToeplitzBenchmark.COLS, -1, 1);
        y = new float[n * ToeplitzBenchmark.COLS];
    }

    @Benchmark
    public float[] direct() {
        BenchData.toeplitzDirect(1, n, ToeplitzBenchmark.COLS, coeffs, x, y);
        return y;
    }
}
