package dev.seqmix.bench;

import dev.seqmix.AttentionShape;
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

/** Positive random features of queries and of keys: batch 1, length 4096, 8 heads, keyDim = features = 64. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class RandomFeaturesBenchmark {
    @Param({"scalar", "simd"})
    public String backend;

    private final AttentionShape shape = new AttentionShape(1, 4096, 8, 64, 64, 64, false);
    private Kernels kernels;
    private float[] q;
    private float[] k;
    private float[] projection;
    private float[] phi;

    @Setup
    public void setup() {
        kernels = Seqmix.kernels(backend);
        q = BenchData.gaussian(1, shape.keyLength(), 0.5);
        k = BenchData.gaussian(2, shape.keyLength(), 0.5);
        projection = BenchData.gaussian(3, shape.projectionLength(), 1.0);
        phi = new float[shape.featureLength()];
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    @Benchmark
    public float[] queries() {
        kernels.randomFeatures(shape, q, projection, true, phi);
        return phi;
    }

    @Benchmark
    public float[] keys() {
        kernels.randomFeatures(shape, k, projection, false, phi);
        return phi;
    }
}
