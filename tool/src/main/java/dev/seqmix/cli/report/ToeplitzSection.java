package dev.seqmix.cli.report;

import dev.seqmix.Kernels;
import dev.seqmix.bench.BenchData;
import java.util.ArrayList;
import java.util.List;

/**
 * Toeplitz products of one n x n matrix and an n x cols matrix: the plain direct product (O(n^2 cols), one thread,
 * {@link BenchData#toeplitzDirect}), each backend's {@code toeplitzMatmul} (its own choice of path), and the FFT
 * path at every n ({@link ToeplitzByFft} on the backend's FFT plan), so that the crossover shows.
 */
final class ToeplitzSection {
    static final String PLAIN_JAVA = "plain Java, 1 thread";
    /** A size on every backend's FFT path (their crossovers are 32 or 64), for the warm-up. */
    private static final int FFT_PATH_SIZE = 128;

    private final Sweep sweep;

    ToeplitzSection(Sweep sweep) {
        this.sweep = sweep;
    }

    List<Sweep.Task> tasks() {
        SweepPlan p = sweep.plan;
        List<Sweep.Task> tasks = new ArrayList<>();
        int smallest = p.toeplitzSizes()[0];
        tasks.add(new Sweep.Task("warm-up: Toeplitz direct", () -> sweep.warmUp(Operation.TOEPLITZ_DIRECT,
                PLAIN_JAVA, smallest, () -> build(Operation.TOEPLITZ_DIRECT, PLAIN_JAVA, smallest))));
        for (String backend : sweep.backends.keySet()) {
            tasks.add(new Sweep.Task("warm-up: Toeplitz on " + backend, () -> {
                for (int n : new int[] {smallest, Math.min(FFT_PATH_SIZE, p.toeplitzCap().of(backend))}) {
                    for (Operation op : List.of(Operation.TOEPLITZ, Operation.TOEPLITZ_FFT_PATH)) {
                        sweep.warmUp(op, backend, n, () -> build(op, backend, n));
                    }
                }
            }));
        }
        for (int n : p.toeplitzSizes()) {
            if (n <= p.directMax()) {
                tasks.add(new Sweep.Task("Toeplitz direct " + n, () -> sweep.time(Operation.TOEPLITZ_DIRECT,
                        PLAIN_JAVA, n, () -> build(Operation.TOEPLITZ_DIRECT, PLAIN_JAVA, n))));
            }
            for (String backend : sweep.backends.keySet()) {
                if (p.toeplitzCap().allows(backend, n)) {
                    tasks.add(new Sweep.Task("Toeplitz " + n + " " + backend, () -> {
                        for (Operation op : List.of(Operation.TOEPLITZ, Operation.TOEPLITZ_FFT_PATH)) {
                            sweep.time(op, backend, n, () -> build(op, backend, n));
                        }
                    }));
                }
            }
        }
        return tasks;
    }

    private Sweep.Case build(Operation op, String implementation, int n) {
        int cols = sweep.plan.toeplitzCols();
        float[] coeffs = BenchData.uniform(1, 2 * n - 1, -1, 1);
        float[] x = BenchData.uniform(2, n * cols, -1, 1);
        float[] y = new float[n * cols];
        String shape = n + " x " + n + " Toeplitz times " + n + " x " + cols;
        double flops = 2.0 * n * n * cols; // of the direct product, for reference
        Kernels k = sweep.backends.get(implementation);
        return switch (op) {
            case TOEPLITZ_DIRECT -> new Sweep.Case(op, implementation, n, shape, flops, 0,
                    () -> BenchData.toeplitzDirect(1, n, cols, coeffs, x, y));
            case TOEPLITZ -> new Sweep.Case(op, implementation, n, shape, flops, 0,
                    () -> k.toeplitzMatmul(1, n, cols, coeffs, x, y));
            default -> {
                ToeplitzByFft fft = new ToeplitzByFft(k, n, cols);
                yield new Sweep.Case(op, implementation, n, shape + ", circulant " + fft.circulantSize(), flops, 0,
                        () -> fft.multiply(coeffs, x, y));
            }
        };
    }
}
