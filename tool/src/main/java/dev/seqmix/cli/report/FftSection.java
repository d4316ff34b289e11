package dev.seqmix.cli.report;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.bench.BenchData;
import dev.seqmix.bench.peers.Fftw;
import dev.seqmix.reference.Fourier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jtransforms.fft.FloatFFT_1D;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * Complex forward FFTs of one transform, seqmix's backends against JTransforms (one thread) and FFTW (single
 * precision, FFM, {@code FFTW_MEASURE} plans): the relative RMS error against the float64 reference (the reference
 * module's {@link Fourier}: the direct DFT up to {@link #DIRECT_REFERENCE_MAX}, its double FFT above, spot-checked
 * against the direct sum) and the time of a call. Every side times the same thing as {@code FftBenchmark}: copy
 * the 2n-float input into its buffer, then transform in place.
 */
final class FftSection {
    static final String JTRANSFORMS = "JTransforms";
    static final String FFTW = "FFTW";
    /** Largest n whose reference is the direct DFT (4096^2 = 16 M complex multiply-adds, well under a second). */
    static final int DIRECT_REFERENCE_MAX = 4096;
    /** Bins at which the double FFT reference is compared with the direct DFT (O(n) each). */
    private static final int SPOT_BINS = 4;

    private final Sweep sweep;
    private int referenceSize = -1;
    private float[] input;
    private double[] reference;
    private double worstSpotCheck;

    FftSection(Sweep sweep) {
        this.sweep = sweep;
    }

    /** One transform under test: {@link #run} copies the input in and transforms it; {@link #output} reads it. */
    private interface Runner extends AutoCloseable {
        void run();

        float[] output();

        @Override
        default void close() {
        }
    }

    /** benchFFT's nominal operation count of a complex transform of n points, 5 n log2 n (whatever the algorithm). */
    static double benchFftFlops(long n) {
        return 5.0 * n * (Math.log(n) / Math.log(2));
    }

    /** {@code sqrt(sum |got - ref|^2 / sum |ref|^2)} over interleaved complex values. */
    static double relativeRms(float[] got, double[] ref) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = got[i] - ref[i];
            err += d * d;
            norm += ref[i] * ref[i];
        }
        return Math.sqrt(err / norm);
    }

    List<Sweep.Task> tasks() {
        List<Sweep.Task> tasks = new ArrayList<>();
        tasks.add(new Sweep.Task("FFT peers: one thread", () -> ConcurrencyUtils.setNumberOfThreads(1)));
        if (!Fftw.available()) {
            sweep.notes.add("FFTW: skipped, " + Fftw.unavailableReason());
        }
        List<String> javaImplementations = new ArrayList<>(sweep.backends.keySet());
        javaImplementations.add(JTRANSFORMS); // FFTW is native code: nothing for the JIT to compile
        for (String implementation : javaImplementations) {
            tasks.add(new Sweep.Task("warm-up: FFT on " + implementation, () -> {
                for (int n : sweep.plan.fftWarmupSizes()) {
                    if (implementation.equals(JTRANSFORMS) || sweep.plan.fftCap().allows(implementation, n)) {
                        warmUp(n, implementation);
                    }
                }
            }));
        }
        for (int n : sweep.plan.allFftSizes()) {
            for (String backend : sweep.backends.keySet()) {
                if (sweep.plan.fftCap().allows(backend, n)) {
                    tasks.add(task(n, backend));
                }
            }
            tasks.add(task(n, JTRANSFORMS));
            if (Fftw.available()) {
                tasks.add(task(n, FFTW));
            }
        }
        tasks.add(new Sweep.Task("FFT reference check", () -> sweep.notes.add(String.format(Locale.ROOT,
                "FFT reference: the direct float64 DFT up to n = %d; above, a float64 FFT that differs from the direct "
                        + "DFT by at most %.1e (relative to the RMS of the spectrum) at %d bins checked per size.",
                DIRECT_REFERENCE_MAX, worstSpotCheck, SPOT_BINS))));
        return tasks;
    }

    private Sweep.Task task(int n, String implementation) {
        return new Sweep.Task("fft " + n + " " + implementation, () -> {
            prepareReference(n);
            String shape = "n = " + n + ", one transform, complex interleaved";
            try (Runner r = runner(n, implementation)) {
                r.run();
                double error = relativeRms(r.output(), reference);
                sweep.error(Operation.FFT_ERROR, implementation, n, shape, error);
                sweep.time(Operation.FFT, implementation, n,
                        () -> new Sweep.Case(Operation.FFT, implementation, n, shape, benchFftFlops(n), 0, r::run));
            } catch (RuntimeException | OutOfMemoryError e) {
                sweep.fail(Operation.FFT, implementation, n, e);
            }
        });
    }

    private void warmUp(int n, String implementation) {
        prepareReference(n);
        try (Runner r = runner(n, implementation)) {
            sweep.plan.stopwatch().warmUp(r::run);
        } catch (RuntimeException | OutOfMemoryError e) {
            sweep.fail(Operation.FFT, implementation, n, e);
        }
    }

    private void prepareReference(int n) {
        if (referenceSize == n) {
            return;
        }
        input = BenchData.uniform(n, 2 * n, -1, 1);
        double[] x = Fourier.widen(input, 0, n);
        reference = n <= DIRECT_REFERENCE_MAX ? Fourier.dft(x, false) : Fourier.fft(x, false);
        referenceSize = n;
        if (n > DIRECT_REFERENCE_MAX) {
            worstSpotCheck = Math.max(worstSpotCheck, Fourier.spotCheck(x, reference, SPOT_BINS));
        }
    }

    private Runner runner(int n, String implementation) {
        float[] in = input;
        return switch (implementation) {
            case JTRANSFORMS -> {
                FloatFFT_1D fft = new FloatFFT_1D(n);
                float[] data = new float[2 * n];
                yield new Runner() {
                    @Override
                    public void run() {
                        System.arraycopy(in, 0, data, 0, data.length);
                        fft.complexForward(data);
                    }

                    @Override

                    public float[] output() {
                        return data.clone();
                    }
                };
            }
            case FFTW -> {
                Fftw.Plan plan = Fftw.complexForward(n, true, Fftw.MEASURE);
                Fftw.Buffer buffer = Fftw.allocate(2L * n);
                yield new Runner() {
                    @Override
                    public void run() {
                        buffer.copyFrom(in, 0, in.length);
                        plan.execute(buffer, buffer);
                    }

                    @Override

                    public float[] output() {
                        float[] out = new float[2 * n];
                        buffer.copyTo(out);
                        return out;
                    }

                    @Override

                    public void close() {
                        plan.close();
                        buffer.close();
                    }
                };
            }
            default -> {
                Kernels k = sweep.backends.get(implementation);
                FftPlan plan = k.fftPlan(n);
                float[] data = new float[2 * n];
                yield new Runner() {
                    @Override
                    public void run() {
                        System.arraycopy(in, 0, data, 0, data.length);
                        plan.forward(data, 1);
                    }

                    @Override

                    public float[] output() {
                        return data.clone();
                    }
                };
            }
        };
    }
}
