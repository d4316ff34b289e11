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

/**
 * Kernelized RPE attention (O(n log n) through FFT Toeplitz products; the feature maps are given) against exact
 * softmax attention with the same relative position bias (O(n^2)): batch 1, 8 heads, keyDim = valueDim =
 * features = 64, not causal. Softmax at n = 8192 takes tens of seconds a call on the scalar backend: select
 * sizes with {@code -p length=...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class AttentionBenchmark {
    /** {@code -Dseqmix.threads} of the fork (see {@link BenchData#useThreads}). */
    @Param({"1"})
    public String threads;

    @Param({"scalar", "simd"})
    public String backend;

    /** Sequence length n (named {@code length} so that {@code -p length=...} selects it apart from the FFT sizes). */
    @Param({"512", "1024", "2048", "4096", "8192"})
    public int length;

    private AttentionShape shape;
    private Kernels kernels;
    private float[] q;
    private float[] k;
    private float[] v;
    private float[] bias;
    private float[] phiQ;
    private float[] phiK;
    private float[] out;
    private float[] gradOut;
    private float[] gradA;
    private float[] gradB;
    private float[] gradKeysA;
    private float[] gradKeysB;
    private float[] gradV;
    private float[] gradBias;

    /** The shape at sequence length n: batch 1, 8 heads, keyDim = valueDim = features = 64, not causal. */
    public static AttentionShape shape(int n) {
        return new AttentionShape(1, n, 8, 64, 64, 64, false);
    }

    @Setup
    public void setup() {
        BenchData.useThreads(threads);
        shape = shape(length);
        kernels = Seqmix.kernels(backend);
        BenchData.AttentionInputs in = BenchData.attentionInputs(shape);
        q = in.q();
        k = in.k();
        v = in.v();
        bias = in.bias();
        float[] projection = in.projection();
        phiQ = new float[shape.featureLength()];
        phiK = new float[shape.featureLength()];
        kernels.randomFeatures(shape, q, projection, true, phiQ);
        kernels.randomFeatures(shape, k, projection, false, phiK);
        out = new float[shape.valueLength()];
        gradOut = BenchData.attentionInputs(shape).v(); // any values of the output's shape
        gradA = new float[shape.featureLength()];
        gradB = new float[shape.featureLength()];
        gradKeysA = new float[shape.keyLength()];
        gradKeysB = new float[shape.keyLength()];
        gradV = new float[shape.valueLength()];
        gradBias = new float[shape.biasLength()];
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }

    @Benchmark
    public float[] rpeAttention() {
        kernels.rpeAttention(shape, phiQ, phiK, v, bias, out);
        return out;
    }

    @Benchmark
    public float[] softmaxRpeAttention() {
        kernels.softmaxRpeAttention(shape, q, k, v, bias, out);
        return out;
    }

    /** The backward pass of {@link #rpeAttention} (the training issue's target: at most 3x the forward). */
    @Benchmark
    public float[] rpeAttentionBackward() {
        kernels.rpeAttentionBackward(shape, phiQ, phiK, v, bias, gradOut, gradA, gradB, gradV, gradBias);
        return gradBias;
    }

    /** The backward pass of {@link #softmaxRpeAttention}. */
    @Benchmark
    public float[] softmaxRpeAttentionBackward() {
        kernels.softmaxRpeAttentionBackward(shape, q, k, v, bias, gradOut, gradKeysA, gradKeysB, gradV, gradBias);
        return gradBias;
    }
}
