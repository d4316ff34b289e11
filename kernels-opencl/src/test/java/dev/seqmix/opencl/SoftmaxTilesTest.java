package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Softmax attention's two kernels against a float64 loop written here: the tiled one (local memory, online
 * softmax; the default, also held by the conformance suite) and the row-by-row fallback for head dimensions that
 * do not fit local memory, which only a device with little local memory would otherwise reach.
 */
class SoftmaxTilesTest {

    @Test
    void tiledAndRowKernelsMatchTheOracle() {
        OpenClDevice device = OpenClFaultsTest.device();
        // a lone row, a tile and a half, several key blocks with a tail; causal and not
        int[][] shapes = {{1, 1, 1, 1, 1}, {2, 47, 3, 5, 7}, {1, 203, 2, 9, 4}};
        for (int[] sh : shapes) {
            for (boolean causal : new boolean[] {false, true}) {
                AttentionShape s = new AttentionShape(sh[0], sh[1], sh[2], sh[3], sh[4], 1, causal);
                SplittableRandom rnd = new SplittableRandom(sh[1] * 31L + (causal ? 1 : 0));
                float[] q = uniform(rnd, s.keyLength(), 2);
                float[] k = uniform(rnd, s.keyLength(), 2);
                float[] v = uniform(rnd, s.valueLength(), 1);
                float[] bias = uniform(rnd, s.biasLength(), 2);
                double[] ref = oracle(s, q, k, v, bias);
                float[] tiled = new float[s.valueLength()];
                try (OpenClKernels kernels = new OpenClKernels(device)) {
                    kernels.softmaxRpeAttention(s, q, k, v, bias, tiled);
                }
                float[] rows = new float[s.valueLength()];
                String old = System.getProperty(AttentionKernels.SOFTMAX_TILES_PROPERTY);
                System.setProperty(AttentionKernels.SOFTMAX_TILES_PROPERTY, "false");
                try (OpenClKernels kernels = new OpenClKernels(device)) {
                    kernels.softmaxRpeAttention(s, q, k, v, bias, rows);
                } finally {
                    if (old == null) {
                        System.clearProperty(AttentionKernels.SOFTMAX_TILES_PROPERTY);
                    } else {
                        System.setProperty(AttentionKernels.SOFTMAX_TILES_PROPERTY, old);
                    }
                }
                // weighted means of values in [-1, 1]: float rounding over a few hundred terms is near 1e-6
                for (int i = 0; i < ref.length; i++) {
                    assertTrue(Math.abs(tiled[i] - ref[i]) < 1e-5, s + " tiled, element " + i + ": " + tiled[i] + " vs " + ref[i]);
                    assertTrue(Math.abs(rows[i] - ref[i]) < 1e-5, s + " rows, element " + i + ": " + rows[i] + " vs " + ref[i]);
                }
            }
        }
    }

    private static float[] uniform(SplittableRandom rnd, int n, double r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-r, r);
        }
        return a;
    }

    /** out[i] = sum_j w_ij v_j / sum_j w_ij, w_ij = exp(q_i . k_j / sqrt(dk) + bias[h][j - i + n - 1] - max), in double. */
    private static double[] oracle(AttentionShape s, float[] q, float[] k, float[] v, float[] bias) {
        int n = s.length();
        int heads = s.heads();
        int dk = s.keyDim();
        int dv = s.valueDim();
        double[] out = new double[s.valueLength()];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    int last = s.causal() ? i : n - 1;
                    double[] w = new double[last + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= last; j++) {
                        double dot = 0;
                        for (int c = 0; c < dk; c++) {
                            dot += (double) q[((b * n + i) * heads + h) * dk + c] * k[((b * n + j) * heads + h) * dk + c];
                        }
                        w[j] = dot / Math.sqrt(dk) + bias[h * (2 * n - 1) + j - i + n - 1];
                        max = Math.max(max, w[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= last; j++) {
                        w[j] = Math.exp(w[j] - max);
                        sum += w[j];
                    }
                    for (int e = 0; e < dv; e++) {
                        double acc = 0;
                        for (int j = 0; j <= last; j++) {
                            acc += w[j] * v[((b * n + j) * heads + h) * dv + e];
                        }
                        out[((b * n + i) * heads + h) * dv + e] = acc / sum;
                    }
                }
            }
        }
        return out;
    }
}
