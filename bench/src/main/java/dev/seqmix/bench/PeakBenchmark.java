package dev.seqmix.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FMA peak of one core as the Vector API reaches it: twelve independent accumulators (more than an FMA's
 * latency times its ports on current x86 and ARM cores) updated {@code a = a * m + c} in registers, no memory
 * traffic. A call runs {@link #flops()} floating-point operations; GFLOP/s = flops / (ns per call). The attention
 * and FFT benchmarks are reported as fractions of it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class PeakBenchmark {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** Steps of a call: each is one FMA on each of the twelve accumulators. */
    private static final int STEPS = 4096;
    private static final int ACCUMULATORS = 12;

    /** Read from a field so that the JIT cannot fold the loop. */
    public float multiplier = 0.999f;
    public float addend = 1e-3f;

    /** @return the floating-point operations of one {@link #fma} call: 2 a lane, lanes a vector */
    public static long flops() {
        return 2L * FS.length() * ACCUMULATORS * STEPS;
    }

    @Benchmark
    public float fma() {
        FloatVector m = FloatVector.broadcast(FS, multiplier);
        FloatVector c = FloatVector.broadcast(FS, addend);
        FloatVector a0 = FloatVector.broadcast(FS, 0.5f);
        FloatVector a1 = a0.add(c);
        FloatVector a2 = a1.add(c);
        FloatVector a3 = a2.add(c);
        FloatVector a4 = a3.add(c);
        FloatVector a5 = a4.add(c);
        FloatVector a6 = a5.add(c);
        FloatVector a7 = a6.add(c);
        FloatVector a8 = a7.add(c);
        FloatVector a9 = a8.add(c);
        FloatVector a10 = a9.add(c);
        FloatVector a11 = a10.add(c);
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
