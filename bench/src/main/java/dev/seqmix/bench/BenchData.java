package dev.seqmix.bench;

import dev.seqmix.AttentionShape;
import dev.seqmix.TalkShape;
import java.util.SplittableRandom;

/** Deterministic inputs for the benchmarks, and the direct (quadratic or windowed) baselines they are compared with. */
public final class BenchData {
    private BenchData() {
    }

    /**
     * Sets {@code -Dseqmix.threads} from a benchmark's {@code threads} parameter. It must run before the first
     * seqmix call of the JVM (seqmix reads it once); JMH runs every parameter combination in a fresh fork, so a
     * {@code @Setup} that calls this first gives each combination its thread count.
     */
    public static void useThreads(String threads) {
        System.setProperty("seqmix.threads", threads);
    }

    public static float[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    public static float[] gaussian(long seed, int n, double sigma) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i += 2) {
            double m = Math.sqrt(-2 * Math.log(1.0 - r.nextDouble())) * sigma;
            double phase = 2 * Math.PI * r.nextDouble();
            a[i] = (float) (m * Math.cos(phase));
            if (i + 1 < n) {
                a[i + 1] = (float) (m * Math.sin(phase));
            }
        }
        return a;
    }

    /** The inputs of an attention call: queries, keys, values, RPE bias and the random-feature projection. */
    public record AttentionInputs(float[] q, float[] k, float[] v, float[] bias, float[] projection) {
    }

    /** Attention inputs of shape {@code s}: q and k Gaussian with sigma 0.5, v and the projection 1, bias in [-1, 1]. */
    public static AttentionInputs attentionInputs(AttentionShape s) {
        return new AttentionInputs(gaussian(1, s.keyLength(), 0.5), gaussian(2, s.keyLength(), 0.5),
                gaussian(3, s.valueLength(), 1.0), uniform(4, s.biasLength(), -1, 1),
                gaussian(5, s.projectionLength(), 1.0));
    }

    /**
     * TaLK forward the direct way: for every step, the weighted sum of the up to {@code maxLeft + maxRight + 2}
     * elements its window touches, {@code out = (1/K) sum_j x[j] |[lo-1, hi] intersected with [j-1, j]|}
     * (docs/contract.md#talk-forward), accumulated in float. O(n K) against the prefix-sum form's O(n).
     */
    public static void talkForwardDirect(TalkShape s, float[] x, float[] left, float[] right, float[] out) {
        int time = s.time();
        int channels = s.channels();
        int heads = s.heads();
        int hc = s.headChannels();
        double k = s.windowSize();
        java.util.Arrays.fill(out, 0f);
        for (int b = 0; b < s.batch(); b++) {
            for (int t = 0; t < time; t++) {
                int row = (b * time + t) * channels;
                for (int h = 0; h < heads; h++) {
                    int o = (b * time + t) * heads + h;
                    double lo = Math.min(Math.max(t - (double) left[o] * s.maxLeft(), 0.0), time - 1);
                    double hi = right == null ? t
                            : Math.min(Math.max(t + (double) right[o] * s.maxRight(), 0.0), time - 1);
                    int first = (int) Math.floor(lo);
                    int last = (int) Math.ceil(hi);
                    int outBase = row + h * hc;
                    for (int j = first; j <= last; j++) {
                        double w = Math.min(hi, j) - Math.max(lo - 1, j - 1);
                        if (w <= 0) {
                            continue;
                        }
                        float weight = (float) (w / k);
                        int xBase = (b * time + j) * channels + h * hc;
                        for (int r = 0; r < hc; r++) {
                            out[outBase + r] += weight * x[xBase + r];
                        }
                    }
                }
            }
        }
    }

    /**
     * The direct Toeplitz product {@code y[b][i][k] = sum_j coeffs[b][j - i + n - 1] x[b][j][k]}, O(n^2 cols),
     * in the loop order of the scalar backend's direct path (row of y, then row of x, then the columns).
     */
    public static void toeplitzDirect(int batch, int n, int cols, float[] coeffs, float[] x, float[] y) {
        for (int b = 0; b < batch; b++) {
            int cOff = b * (2 * n - 1);
            int off = b * n * cols;
            for (int i = 0; i < n; i++) {
                int yRow = off + i * cols;
                java.util.Arrays.fill(y, yRow, yRow + cols, 0f);
                for (int j = 0; j < n; j++) {
                    float c = coeffs[cOff + j - i + n - 1];
                    int xRow = off + j * cols;
                    for (int q = 0; q < cols; q++) {
                        y[yRow + q] += c * x[xRow + q];
                    }
                }
            }
        }
    }
}
