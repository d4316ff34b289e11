package dev.seqmix.cli;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.bench.BenchData;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations that {@code seqmix tour} times and checks. Inputs are made once (deterministic seeds) and
 * shared read-only by every backend; each backend gets its own outputs. Where an input depends on another
 * operation (the spectrum for the inverse FFT, the feature maps for RPE attention) the scalar backend
 * makes it, so that every backend sees the same bits.
 */
final class TourCases {

    /** One operation on one workload. */
    abstract static class Case {
        final String op;
        final String size;
        final double tolerance;

        Case(String op, String size, double tolerance) {
            this.op = op;
            this.size = size;
            this.tolerance = tolerance;
        }

        /** Allocates this backend's outputs (and stream state) for {@code k}. */
        abstract Bound bind(Kernels k);

        /**
         * Error of {@code outputs} against an expectation that does not come from the scalar run (a round
         * trip, or the causal forward pass a stream must reproduce); NaN when there is none.
         */
        double independentError(float[][] outputs) {
            return Double.NaN;
        }
    }

    /** A case bound to one backend. */
    interface Bound {
        /** Untimed work before each run (re-copying the input of an in-place transform). */
        default void prepare() {
        }

        /** The timed call. */
        void run();

        /** The results to compare, valid after {@link #run()}. */
        float[][] outputs();
    }

    private TourCases() {
    }

    static List<Case> build(Workload w, Kernels scalar) {
        List<Case> cases = new ArrayList<>();
        TalkShape ts = w.talk();
        String talkSize = ts.batch() + "x" + ts.time() + "x" + ts.channels() + " h" + ts.heads()
                + " L" + ts.maxLeft() + " R" + ts.maxRight();
        String scanSize = ts.batch() + "x" + ts.time() + "x" + ts.channels();
        int seqLen = ts.sequenceLength();
        float[] x = BenchData.uniform(1, seqLen, -1, 1);
        float[] left = BenchData.uniform(2, ts.offsetLength(), 0, 1);
        float[] right = BenchData.uniform(3, ts.offsetLength(), 0, 1);
        float[] gradOut = BenchData.uniform(4, seqLen, -1, 1);

        // Scans: float32 sums of up to T terms; other association orders differ by ~log2(T) ulps of the largest prefix.
        cases.add(new Case("cumsum", scanSize, 1e-5) {
            Bound bind(Kernels k) {
                float[] out = new float[seqLen];
                return simple(() -> k.cumsum(ts.batch(), ts.time(), ts.channels(), x, out), out);
            }
        });
        cases.add(new Case("cumsumReverse", scanSize, 1e-5) {
            Bound bind(Kernels k) {
                float[] out = new float[seqLen];
                return simple(() -> k.cumsumReverse(ts.batch(), ts.time(), ts.channels(), x, out), out);
            }
        });
        // TaLK forward: docs/contract.md#talk-accuracy holds every element to 1e-5 of the float64 oracle.
        cases.add(new Case("talkForward", talkSize, 1e-5) {
            Bound bind(Kernels k) {
                float[] out = new float[seqLen];
                return simple(() -> k.talkForward(ts, x, left, right, out), out);
            }
        });
        // TaLK backward: the offset gradients sum channels-per-head products of prefix differences.
        cases.add(new Case("talkBackward", talkSize, 1e-4) {
            Bound bind(Kernels k) {
                float[] gx = new float[seqLen];
                float[] gl = new float[ts.offsetLength()];
                float[] gr = new float[ts.offsetLength()];
                return simple(() -> k.talkBackward(ts, x, left, right, gradOut, gx, gl, gr), gx, gl, gr);
            }
        });
        cases.add(streamCase(w.stream(), scalar));

        cases.add(fftForward(w.fftSmall(), w.fftSmallBatch(), 11));
        cases.add(fftInverse(w.fftSmall(), w.fftSmallBatch(), 11, scalar));
        cases.add(fftForward(w.fftLarge(), w.fftLargeBatch(), 12));
        cases.add(fftInverse(w.fftLarge(), w.fftLargeBatch(), 12, scalar));
        cases.add(fftForward(w.fftOdd(), w.fftOddBatch(), 13));
        cases.add(realForward(w.rfft(), w.rfftBatch(), 14));
        cases.add(realInverse(w.rfft(), w.rfftBatch(), 14, scalar));

        cases.add(toeplitz(w.toeplitzN(), w.toeplitzCols(), 1, 21));
        cases.add(toeplitz(w.toeplitzSmallN(), w.toeplitzCols(), 4, 22));

        attention(w.attention(), scalar, cases);
        return cases;
    }

    // ---------------------------------------------------------------- TaLK stream

    private static Case streamCase(TalkShape s, Kernels scalar) {
        int b = s.batch();
        int c = s.channels();
        int h = s.heads();
        int steps = s.time();
        float[] x = BenchData.uniform(5, s.sequenceLength(), -1, 1);
        float[] left = BenchData.uniform(6, s.offsetLength(), 0, 1);
        // The stream must give exactly the rows of the causal forward pass: that is the independent check.
        float[] causal = new float[s.sequenceLength()];
        scalar.talkForward(s, x, left, null, causal);
        float[][] xSteps = new float[steps][b * c];
        float[][] leftSteps = new float[steps][b * h];
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(x, (r * steps + t) * c, xSteps[t], r * c, c);
                System.arraycopy(left, (r * steps + t) * h, leftSteps[t], r * h, h);
            }
        }
        String size = b + "x" + steps + "x" + c + " h" + h + " L" + s.maxLeft() + ", " + steps + " steps";
        // Same accuracy demand as the forward pass (docs/contract.md#talk-accuracy names TalkStream too).
        return new Case("talkStream", size, 1e-5) {
            Bound bind(Kernels k) {
                TalkStream stream = k.talkStream(s);
                float[][] outSteps = new float[steps][b * c];
                float[] out = new float[s.sequenceLength()];
                return new Bound() {
                    public void prepare() {
                        stream.reset();
                    }

                    public void run() {
                        for (int t = 0; t < steps; t++) {
                            stream.step(xSteps[t], leftSteps[t], outSteps[t]);
                        }
                    }

                    public float[][] outputs() {
                        for (int t = 0; t < steps; t++) {
                            for (int r = 0; r < b; r++) {
                                System.arraycopy(outSteps[t], r * c, out, (r * steps + t) * c, c);
                            }
                        }
                        return new float[][] {out};
                    }
                };
            }

            @Override
            double independentError(float[][] outputs) {
                return Errors.maxRelative(outputs[0], causal);
            }
        };
    }

    // ---------------------------------------------------------------- FFT

    private static String fftSize(int n, int batch) {
        String p = Integer.bitCount(n) == 1 ? "2^" + Integer.numberOfTrailingZeros(n) : Integer.toString(n);
        return "n=" + p + " x" + batch;
    }

    // FFT: relative RMS error ~1e-7..3e-7 (docs/contract.md#fft-accuracy); the largest element error against the
    // largest magnitude stays well below 1e-5 for these sizes.
    private static Case fftForward(int n, int batch, long seed) {
        float[] input = BenchData.uniform(seed, 2 * n * batch, -1, 1);
        return new Case("fft forward", fftSize(n, batch) + (Integer.bitCount(n) == 1 ? "" : " (prime)"), 1e-5) {
            Bound bind(Kernels k) {
                FftPlan plan = k.fftPlan(n);
                float[] data = new float[input.length];
                return new Bound() {
                    public void prepare() {
                        System.arraycopy(input, 0, data, 0, data.length);
                    }

                    public void run() {
                        plan.forward(data, batch);
                    }

                    public float[][] outputs() {
                        return new float[][] {data};
                    }
                };
            }
        };
    }

    private static Case fftInverse(int n, int batch, long seed, Kernels scalar) {
        float[] original = BenchData.uniform(seed, 2 * n * batch, -1, 1);
        float[] spectrum = original.clone();
        scalar.fftPlan(n).forward(spectrum, batch);
        return new Case("fft inverse", fftSize(n, batch), 1e-5) {
            Bound bind(Kernels k) {
                FftPlan plan = k.fftPlan(n);
                float[] data = new float[spectrum.length];
                return new Bound() {
                    public void prepare() {
                        System.arraycopy(spectrum, 0, data, 0, data.length);
                    }

                    public void run() {
                        plan.inverse(data, batch);
                    }

                    public float[][] outputs() {
                        return new float[][] {data};
                    }
                };
            }

            @Override
            double independentError(float[][] outputs) {
                return Errors.maxRelative(outputs[0], original); // round trip
            }
        };
    }

    private static Case realForward(int n, int batch, long seed) {
        float[] input = BenchData.uniform(seed, n * batch, -1, 1);
        return new Case("rfft forward", fftSize(n, batch), 1e-5) {
            Bound bind(Kernels k) {
                FftPlan plan = k.fftPlan(n);
                float[] out = new float[2 * (n / 2 + 1) * batch];
                return simple(() -> plan.forwardReal(input, out, batch), out);
            }
        };
    }

    private static Case realInverse(int n, int batch, long seed, Kernels scalar) {
        float[] original = BenchData.uniform(seed, n * batch, -1, 1);
        float[] spectrum = new float[2 * (n / 2 + 1) * batch];
        scalar.fftPlan(n).forwardReal(original, spectrum, batch);
        return new Case("rfft inverse", fftSize(n, batch), 1e-5) {
            Bound bind(Kernels k) {
                FftPlan plan = k.fftPlan(n);
                float[] out = new float[n * batch];
                return simple(() -> plan.inverseReal(spectrum, out, batch), out);
            }

            @Override
            double independentError(float[][] outputs) {
                return Errors.maxRelative(outputs[0], original); // round trip
            }
        };
    }

    // ---------------------------------------------------------------- Toeplitz

    private static Case toeplitz(int n, int cols, int batch, long seed) {
        float[] coeffs = BenchData.uniform(seed, batch * (2 * n - 1), -1, 1);
        float[] x = BenchData.uniform(seed + 100, batch * n * cols, -1, 1);
        String size = (batch > 1 ? batch + "x " : "") + "n=" + n + " cols=" + cols;
        // docs/contract.md#toeplitz-accuracy: 1e-4 against the float64 oracle on well-conditioned inputs.
        return new Case("toeplitzMatmul", size, 1e-4) {
            Bound bind(Kernels k) {
                float[] y = new float[batch * n * cols];
                return simple(() -> k.toeplitzMatmul(batch, n, cols, coeffs, x, y), y);
            }
        };
    }

    // ---------------------------------------------------------------- attention

    private static void attention(AttentionShape s, Kernels scalar, List<Case> cases) {
        String size = "b" + s.batch() + " n=" + s.length() + " h" + s.heads() + " d" + s.keyDim()
                + " f" + s.features();
        // Queries and keys of unit variance, scaled so that the softmax is neither flat nor one-hot.
        float[] q = BenchData.gaussian(31, s.keyLength(), 0.5);
        float[] kk = BenchData.gaussian(32, s.keyLength(), 0.5);
        float[] v = BenchData.gaussian(33, s.valueLength(), 1.0);
        float[] projection = BenchData.gaussian(34, s.projectionLength(), 1.0);
        float[] bias = BenchData.uniform(35, s.biasLength(), -1, 1);
        // Exponentials of dot products: 1e-4 against the float64 oracle (docs/contract.md#toeplitz-accuracy).
        cases.add(new Case("randomFeatures", size + " q+k", 1e-4) {
            Bound bind(Kernels k) {
                float[] phiQ = new float[s.featureLength()];
                float[] phiK = new float[s.featureLength()];
                return simple(() -> {
                    k.randomFeatures(s, q, projection, true, phiQ);
                    k.randomFeatures(s, kk, projection, false, phiK);
                }, phiQ, phiK);
            }
        });
        float[] phiQ = new float[s.featureLength()];
        float[] phiK = new float[s.featureLength()];
        scalar.randomFeatures(s, q, projection, true, phiQ);
        scalar.randomFeatures(s, kk, projection, false, phiK);
        cases.add(new Case("rpeAttention", size, 1e-4) {
            Bound bind(Kernels k) {
                float[] out = new float[s.valueLength()];
                return simple(() -> k.rpeAttention(s, phiQ, phiK, v, bias, out), out);
            }
        });
        cases.add(new Case("softmaxRpeAttention", size, 1e-4) {
            Bound bind(Kernels k) {
                float[] out = new float[s.valueLength()];
                return simple(() -> k.softmaxRpeAttention(s, q, kk, v, bias, out), out);
            }
        });
    }

    private static Bound simple(Runnable call, float[]... outputs) {
        return new Bound() {
            public void run() {
                call.run();
            }

            public float[][] outputs() {
                return outputs;
            }
        };
    }
}
