package dev.seqmix.reference;

/**
 * Attention in double, every score formed and summed directly in O(n^2). Layouts, row-major: q, k
 * {@code [batch][length][heads][keyDim]}; v and the output {@code [batch][length][heads][valueDim]}; phiQ, phiK
 * {@code [batch][length][heads][features]}; the projection {@code [features][keyDim]}; the relative position bias
 * {@code [heads][2 length - 1]}, offset {@code j - i} at index {@code j - i + length - 1}.
 */
public final class Attention {
    private Attention() {
    }

    /** Row of position l, head h of sequence b in a {@code [batch][length][heads][...]} array. */
    private static int row(int length, int heads, int b, int l, int h) {
        return (b * length + l) * heads + h;
    }

    /**
     * {@return the positive random features of x, as docs/contract.md#random-features writes them}
     * With {@code x' = x / keyDim^(1/4)} and {@code u[r] = w[r] . x' - |x'|^2 / 2}:
     * {@code phi[r] = (exp(u[r] - s) + 1e-6) / sqrt(features)}, where s is the largest u of the row for queries
     * and the largest u of the whole (sequence, head) for keys.
     *
     * @param batch    independent sequences
     * @param length   positions per sequence
     * @param heads    heads
     * @param keyDim   size of a query or key vector
     * @param features random features per head
     * @param x        queries or keys
     * @param w        the projection
     * @param queries  whether x are queries (stabilized per row) or keys (per sequence and head)
     */
    public static double[] randomFeatures(int batch, int length, int heads, int keyDim, int features, float[] x,
                                          float[] w, boolean queries) {
        return randomFeatures(batch, length, heads, keyDim, features, x, w,
                stabilizers(batch, length, heads, keyDim, features, x, w, queries));
    }

    /**
     * {@return the random features of x with the stabilizer of each row given: {@code stab[(b * length + l) * heads
     * + h]}} (the gradient's finite differences hold it fixed).
     *
     * @param batch    independent sequences
     * @param length   positions per sequence
     * @param heads    heads
     * @param keyDim   size of a query or key vector
     * @param features random features per head
     * @param x        queries or keys
     * @param w        the projection
     * @param stab     the stabilizer s of every row
     */
    public static double[] randomFeatures(int batch, int length, int heads, int keyDim, int features, float[] x,
                                          float[] w, double[] stab) {
        double[] phi = new double[batch * length * heads * features];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int l = 0; l < length; l++) {
                    double[] u = exponents(length, heads, keyDim, features, x, w, b, l, h);
                    for (int r = 0; r < features; r++) {
                        phi[row(length, heads, b, l, h) * features + r] =
                                (Math.exp(u[r] - stab[row(length, heads, b, l, h)]) + 1e-6) / Math.sqrt(features);
                    }
                }
            }
        }
        return phi;
    }

    /**
     * {@return the stabilizer s of every row: the largest {@code u[r]} of the row for queries, of the whole
     * (sequence, head) for keys}
     *
     * @param batch    independent sequences
     * @param length   positions per sequence
     * @param heads    heads
     * @param keyDim   size of a query or key vector
     * @param features random features per head
     * @param x        queries or keys
     * @param w        the projection
     * @param queries  whether x are queries (stabilized per row) or keys (per sequence and head)
     */
    public static double[] stabilizers(int batch, int length, int heads, int keyDim, int features, float[] x,
                                       float[] w, boolean queries) {
        double[] stab = new double[batch * length * heads];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double keyMax = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < length; l++) {
                    double rowMax = Double.NEGATIVE_INFINITY;
                    for (double u : exponents(length, heads, keyDim, features, x, w, b, l, h)) {
                        rowMax = Math.max(rowMax, u);
                    }
                    stab[row(length, heads, b, l, h)] = rowMax;
                    keyMax = Math.max(keyMax, rowMax);
                }
                if (!queries) {
                    for (int l = 0; l < length; l++) {
                        stab[row(length, heads, b, l, h)] = keyMax;
                    }
                }
            }
        }
        return stab;
    }

    /** {@code u[r] = w[r] . x' - |x'|^2 / 2} of one row, {@code x' = x / keyDim^(1/4)}. */
    private static double[] exponents(int length, int heads, int keyDim, int features, float[] x, float[] w, int b,
                                      int l, int h) {
        double scale = 1 / Math.pow(keyDim, 0.25);
        int xr = row(length, heads, b, l, h) * keyDim;
        double sq = 0;
        for (int i = 0; i < keyDim; i++) {
            sq += Math.pow(x[xr + i] * scale, 2);
        }
        double[] u = new double[features];
        for (int r = 0; r < features; r++) {
            double dot = 0;
            for (int i = 0; i < keyDim; i++) {
                dot += w[r * keyDim + i] * (x[xr + i] * scale);
            }
            u[r] = dot - sq / 2;
        }
        return u;
    }

    /**
     * {@return RPE kernelized attention: {@code out[i] = sum_j c[j-i] (phiQ[i] . phiK[j]) v[j] / sum_j c[j-i]
     * (phiQ[i] . phiK[j])} with {@code c = exp(bias - max bias of the head)}, 0 where the denominator is 0}
     *
     * @param batch    independent sequences
     * @param length   positions per sequence
     * @param heads    heads
     * @param features random features per head
     * @param valueDim size of a value vector
     * @param causal   whether position i sees only {@code j <= i}
     * @param phiQ     query features
     * @param phiK     key features
     * @param v        values
     * @param bias     relative position bias
     */
    public static double[] rpe(int batch, int length, int heads, int features, int valueDim, boolean causal,
                               float[] phiQ, float[] phiK, float[] v, float[] bias) {
        double[] out = new double[batch * length * heads * valueDim];
        int n = length;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < 2 * n - 1; t++) {
                    max = Math.max(max, bias[h * (2 * n - 1) + t]);
                }
                for (int i = 0; i < n; i++) {
                    double[] num = new double[valueDim];
                    double den = 0;
                    for (int j = 0; j < n; j++) {
                        if (causal && j > i) {
                            continue;
                        }
                        double c = Math.exp(bias[h * (2 * n - 1) + j - i + n - 1] - max);
                        double dot = 0;
                        for (int r = 0; r < features; r++) {
                            dot += (double) phiQ[row(n, heads, b, i, h) * features + r]
                                    * phiK[row(n, heads, b, j, h) * features + r];
                        }
                        den += c * dot;
                        for (int e = 0; e < valueDim; e++) {
                            num[e] += c * dot * v[row(n, heads, b, j, h) * valueDim + e];
                        }
                    }
                    for (int e = 0; e < valueDim; e++) {
                        out[row(n, heads, b, i, h) * valueDim + e] = den > 0 ? num[e] / den : 0;
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@return softmax attention with relative position bias: {@code out[i] = sum_j softmax_j(q[i] . k[j] /
     * sqrt(keyDim) + bias[j - i]) v[j]}}
     *
     * @param batch    independent sequences
     * @param length   positions per sequence
     * @param heads    heads
     * @param keyDim   size of a query or key vector
     * @param valueDim size of a value vector
     * @param causal   whether position i sees only {@code j <= i}
     * @param q        queries
     * @param k        keys
     * @param v        values
     * @param bias     relative position bias
     */
    public static double[] softmax(int batch, int length, int heads, int keyDim, int valueDim, boolean causal,
                                   float[] q, float[] k, float[] v, float[] bias) {
        double[] out = new double[batch * length * heads * valueDim];
        int n = length;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] s = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    int last = causal ? i : n - 1;
                    for (int j = 0; j <= last; j++) {
                        double dot = 0;
                        for (int d = 0; d < keyDim; d++) {
                            dot += (double) q[row(n, heads, b, i, h) * keyDim + d]
                                    * k[row(n, heads, b, j, h) * keyDim + d];
                        }
                        s[j] = dot / Math.sqrt(keyDim) + bias[h * (2 * n - 1) + j - i + n - 1];
                        max = Math.max(max, s[j]);
                    }
                    double den = 0;
                    double[] num = new double[valueDim];
                    for (int j = 0; j <= last; j++) {
                        double w = Math.exp(s[j] - max);
                        den += w;
                        for (int e = 0; e < valueDim; e++) {
                            num[e] += w * v[row(n, heads, b, j, h) * valueDim + e];
                        }
                    }
                    for (int e = 0; e < valueDim; e++) {
                        out[row(n, heads, b, i, h) * valueDim + e] = num[e] / den;
                    }
                }
            }
        }
        return out;
    }
}
