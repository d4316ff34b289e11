package dev.seqmix.cli.report;

import dev.seqmix.cli.Stopwatch;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The sizes and time budgets of one report run: {@link #standard()} (the default, at most 3 minutes on a 2-core
 * machine), {@link #full()} (the papers' whole range, tens of minutes) and {@link #quick()} (a tiny sweep for
 * tests). Sizes above a {@link Cap} are not run; the report lists the caps.
 *
 * @param name            what the report calls this sweep
 * @param stopwatch       how each case is timed
 * @param fftSizes        complex FFT sizes, powers of two ...
 * @param fftOtherSizes   ... and others (Bluestein or mixed radix)
 * @param fftCap          largest FFT n per backend (the peers run every size)
 * @param fftWarmupSizes  FFT sizes run before the sweep until the JIT has compiled them (small and large paths)
 * @param lengths         sequence lengths of the papers' comparison
 * @param channels        channels of TaLK and of attention (heads x head dimension) ...
 * @param heads           ... and heads
 * @param maxLeft         TaLK's window: maxLeft = maxRight
 * @param warmupLength    sequence length (and bandwidth time steps) run before those sweeps until the JIT has
 *                        compiled them
 * @param softmaxCap      largest sequence length per backend: softmax attention ...
 * @param rpeCap          ... kernelized attention ...
 * @param talkCap         ... TaLK forward
 * @param bandwidthTimes  time steps of the scan and TaLK bandwidth sweep ([1][time][channels])
 * @param bandwidthCap    largest of those per backend
 * @param toeplitzSizes   Toeplitz n ...
 * @param toeplitzCols    ... times an n x cols matrix
 * @param toeplitzCap     largest Toeplitz n per backend (toeplitzMatmul and the FFT path)
 * @param directMax       largest n of the plain direct product (O(n^2 cols))
 * @param latencySeconds  how long each latency case calls, per thread count
 */
record SweepPlan(String name, Stopwatch.Batched stopwatch, int[] fftSizes, int[] fftOtherSizes, Cap fftCap,
                 int[] fftWarmupSizes, int[] lengths, int channels, int heads, int maxLeft, int warmupLength,
                 Cap softmaxCap, Cap rpeCap, Cap talkCap,
                 int[] bandwidthTimes, Cap bandwidthCap, int[] toeplitzSizes, int toeplitzCols, Cap toeplitzCap,
                 int directMax, double latencySeconds) {

    /** Largest size per backend: scalar, simd, and any other (opencl, which is slow on a CPU driver). */
    record Cap(int scalar, int simd, int other) {
        static Cap none() {
            return new Cap(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        }

        int of(String backend) {
            return switch (backend) {
                case "scalar" -> scalar;
                case "simd" -> simd;
                default -> other;
            };
        }

        boolean allows(String backend, long size) {
            return size <= of(backend);
        }

        String describe() {
            return "scalar " + text(scalar) + ", simd " + text(simd) + ", opencl " + text(other);
        }

        private static String text(int v) {
            return v == Integer.MAX_VALUE ? "all" : "<= " + v;
        }
    }

    /** The default: about 2-3 minutes on 2 cores with every backend. */
    static SweepPlan standard() {
        return new SweepPlan("default", new Stopwatch.Batched(0.1, 1.5, 0.01, 5, 0.4),
                powersOfTwo(4, 20), new int[] {100, 1000, 1009, 10007}, new Cap(1 << 20, 1 << 20, 1 << 16),
                new int[] {256, 1 << 16}, powersOfTwo(7, 16), 512, 8, 31, 32,
                new Cap(1024, 2048, 256), new Cap(1024, 2048, 256), new Cap(1 << 16, 1 << 16, 8192),
                new int[] {128, 512, 2048, 8192, 32768}, new Cap(1 << 15, 1 << 15, 2048),
                powersOfTwo(3, 11), 512, new Cap(2048, 2048, 512), 256, 1.0);
    }

    /** Longer sweeps: attention up to the papers' 65536 where a call takes less than a minute or so. */
    static SweepPlan full() {
        return new SweepPlan("full", new Stopwatch.Batched(0.5, 5, 0.05, 10, 3),
                powersOfTwo(4, 20), new int[] {12, 100, 1000, 1009, 4097, 10007, 65537, 1000000},
                Cap.none(), new int[] {256, 1 << 16}, powersOfTwo(7, 16), 512, 8, 31, 32,
                // simd softmax to 32768 (about 45 s a call on one core): past the crossover with kernelized attention
                new Cap(4096, 32768, 2048), new Cap(16384, 1 << 16, 4096), Cap.none(),
                powersOfTwo(7, 16), new Cap(1 << 16, 1 << 16, 1 << 14),
                powersOfTwo(3, 13), 512, new Cap(8192, 8192, 4096), 2048, 5.0);
    }

    /** A tiny sweep that takes every path in seconds (for tests): small channels, few sizes, short timings. */
    static SweepPlan quick() {
        return new SweepPlan("quick", new Stopwatch.Batched(0.002, 0.02, 0.0005, 3, 0.02),
                new int[] {16, 64}, new int[] {12}, Cap.none(), new int[] {16}, new int[] {32, 64}, 32, 4, 3, 16,
                Cap.none(), Cap.none(), Cap.none(),
                new int[] {16, 64}, Cap.none(), new int[] {4, 16}, 8, Cap.none(), 16, 0.02);
    }

    static int[] powersOfTwo(int fromExponent, int toExponent) {
        return IntStream.rangeClosed(fromExponent, toExponent).map(e -> 1 << e).toArray();
    }

    /**
     * The device benchmark's time budget within a report that runs on opencl. A cap, not a target: quick shapes
     * finish in seconds, but a cold driver's first program builds alone can take tens of seconds.
     */
    double deviceSeconds() {
        return switch (name) {
            case "quick" -> 60;
            case "full" -> 300;
            default -> 60;
        };
    }

    /** Every FFT size, powers of two first. */
    int[] allFftSizes() {
        return IntStream.concat(IntStream.of(fftSizes), IntStream.of(fftOtherSizes)).toArray();
    }

    /** Head dimension: keyDim = valueDim = random features = channels / heads. */
    int headDim() {
        return channels / heads;
    }

    /** What the report says about the sizes: one line per group. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("FFT: n = " + list(fftSizes) + " and " + list(fftOtherSizes) + "; seqmix backends "
                + fftCap.describe()
                + "; JTransforms and FFTW every n.");
        lines.add("Papers' comparison: sequence length " + list(lengths) + ", batch 1, " + channels + " channels, "
                + heads + " heads (key, value and feature dimension " + headDim() + "), TaLK window " + maxLeft + "/"
                + maxLeft + "; softmax attention " + softmaxCap.describe() + "; kernelized attention "
                + rpeCap.describe() + "; TaLK " + talkCap.describe() + ".");
        lines.add("Bandwidth: [1][time][" + channels + "] with time = " + list(bandwidthTimes) + "; "
                + bandwidthCap.describe() + " time steps.");
        lines.add("Toeplitz: n = " + list(toeplitzSizes) + " times an n x " + toeplitzCols + " matrix; "
                + toeplitzCap.describe() + "; plain direct product n <= " + directMax + ".");
        lines.add("Latency: TalkStream.step, an FFT of " + dev.seqmix.bench.TailLatencyBenchmark.FFT_N
                + " and talkForward [1][128][512], each call timed on its own for " + latencySeconds
                + " s on 1 thread and on " + LatencySection.SHARED_THREADS + " threads sharing one instance.");
        return lines;
    }

    private static String list(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(a[i]);
        }
        return sb.toString();
    }
}
