package dev.seqmix.reference;

/**
 * Gradients of the attention operations in double, from the definitions, every pair (i, j) formed directly in
 * O(n^2): the oracles of the backward passes (docs/contract.md#attention-backward). Layouts as in
 * {@link Attention}. Each method takes {@code g}, the gradient of a loss with respect to the forward's output, and
 * returns the gradients of the inputs.
 */
public final class AttentionGradients {
    private AttentionGradients() {
    }

    private static int row(int length, int heads, int b, int l, int h) {
        return (b * length + l) * heads + h;
    }

    /**
     * {@return the gradient with respect to x of {@code sum g . phi}, phi the random features, with the stabilizer
     * s held constant (no gradient through the maximum)}
     * {@code d phi[r] / d x = e[r] (w[r] - x') / keyDim^(1/4)}, {@code e[r] = exp(u[r] - s) / sqrt(features)}.
     *
     * @param batch    independent sequences
     * @param length   positions per sequence
     * @param heads    heads
     * @param keyDim   size of a query or key vector
     * @param features random features per head
     * @param x        queries or keys
     * @param w        the projection
     * @param queries  whether x are queries (stabilized per row) or keys (per sequence and head)
     * @param g        the gradient of the features
     */
    public static double[] randomFeatures(int batch, int length, int heads, int keyDim, int features, float[] x,
                                          float[] w, boolean queries, float[] g) {
        double[] grad = new double[batch * length * heads * keyDim];
        double scale = 1 / Math.pow(keyDim, 0.25);
        double[] stab = Attention.stabilizers(batch, length, heads, keyDim, features, x, w, queries);
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < length; l++) {
                for (int h = 0; h < heads; h++) {
                    int xr = row(length, heads, b, l, h) * keyDim;
                    int pr = row(length, heads, b, l, h) * features;
                    double[] xs = new double[keyDim];
                    double half = 0;
                    for (int d = 0; d < keyDim; d++) {
                        xs[d] = x[xr + d] * scale;
                        half += xs[d] * xs[d] / 2;
                    }
                    for (int r = 0; r < features; r++) {
                        double u = -half;
                        for (int d = 0; d < keyDim; d++) {
                            u += w[r * keyDim + d] * xs[d];
                        }
                        double e = Math.exp(u - stab[row(length, heads, b, l, h)]) / Math.sqrt(features);
                        for (int d = 0; d < keyDim; d++) {
                            grad[xr + d] += g[pr + r] * e * (w[r * keyDim + d] - xs[d]) * scale;
                        }
                    }
                }
            }
        }
        return grad;
    }

    /** Gradients of the kernelized attention: phiQ, phiK, v and bias, in the layouts of the inputs. */
    public record RpeGradients(double[] phiQ, double[] phiK, double[] v, double[] bias) {
    }

    /**
     * {@return the gradients of {@code sum g . out} for kernelized RPE attention}
     * With {@code A[i][j] = c[j - i] (phiQ[i] . phiK[j])} ({@code j <= i} when causal), {@code den[i] = sum_j A},
     * {@code out[i] = sum_j A v[j] / den[i]}: {@code dL/dA[i][j] = (g[i] . v[j] - g[i] . out[i]) / den[i]} (0 for a
     * row whose den is not positive), and from it each input's gradient by the chain rule, the bias's through
     * {@code c[t] = exp(bias[t] - max bias)} including the maximum's own (zero in exact arithmetic) term.
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
     * @param g        the gradient of the output
     */
    public static RpeGradients rpe(int batch, int length, int heads, int features, int valueDim, boolean causal,
                                   float[] phiQ, float[] phiK, float[] v, float[] bias, float[] g) {
        int n = length;
        double[] gq = new double[phiQ.length];
        double[] gk = new double[phiK.length];
        double[] gv = new double[v.length];
        double[] gb = new double[bias.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int bo = h * (2 * n - 1);
                int argmax = 0;
                for (int t = 0; t < 2 * n - 1; t++) {
                    if (bias[bo + t] > bias[bo + argmax]) {
                        argmax = t;
                    }
                }
                double[] c = new double[2 * n - 1];
                for (int t = 0; t < 2 * n - 1; t++) {
                    c[t] = causal && t > n - 1 ? 0 : Math.exp(bias[bo + t] - bias[bo + argmax]);
                }
                double[] gc = new double[2 * n - 1];
                for (int i = 0; i < n; i++) {
                    double[] dot = new double[n];
                    double den = 0;
                    double[] num = new double[valueDim];
                    for (int j = 0; j < n; j++) {
                        for (int r = 0; r < features; r++) {
                            dot[j] += (double) phiQ[row(n, heads, b, i, h) * features + r]
                                    * phiK[row(n, heads, b, j, h) * features + r];
                        }
                        double a = c[j - i + n - 1] * dot[j];
                        den += a;
                        for (int e = 0; e < valueDim; e++) {
                            num[e] += a * v[row(n, heads, b, j, h) * valueDim + e];
                        }
                    }
                    if (!(den > 0)) {
                        continue;
                    }
                    double gOut = 0;
                    for (int e = 0; e < valueDim; e++) {
                        gOut += g[row(n, heads, b, i, h) * valueDim + e] * num[e] / den;
                    }
                    for (int j = 0; j < n; j++) {
                        double gv_ = 0;
                        for (int e = 0; e < valueDim; e++) {
                            gv_ += (double) g[row(n, heads, b, i, h) * valueDim + e] * v[row(n, heads, b, j, h) * valueDim + e];
                        }
                        double gA = (gv_ - gOut) / den;
                        double cij = c[j - i + n - 1];
                        double a = cij * dot[j];
                        for (int e = 0; e < valueDim; e++) {
                            gv[row(n, heads, b, j, h) * valueDim + e] += a * g[row(n, heads, b, i, h) * valueDim + e] / den;
                        }
                        for (int r = 0; r < features; r++) {
                            gq[row(n, heads, b, i, h) * features + r] += gA * cij * phiK[row(n, heads, b, j, h) * features + r];
                            gk[row(n, heads, b, j, h) * features + r] += gA * cij * phiQ[row(n, heads, b, i, h) * features + r];
                        }
                        gc[j - i + n - 1] += gA * dot[j];
                    }
                }
                double through = 0; // d/d bias[argmax] through the maximum: -sum_t c[t] gc[t]
                for (int t = 0; t < 2 * n - 1; t++) {
                    gb[bo + t] += c[t] * gc[t];
                    through += c[t] * gc[t];
                }
                gb[bo + argmax] -= through;
            }
        }
        return new RpeGradients(gq, gk, gv, gb);
    }

    /** Gradients of the softmax attention: q, k, v and bias, in the layouts of the inputs. */
    public record SoftmaxGradients(double[] q, double[] k, double[] v, double[] bias) {
    }

    /**
     * {@return the gradients of {@code sum g . out} for softmax RPE attention}
     * With {@code p[i][j]} the softmax weights: {@code ds[i][j] = p[i][j] (g[i] . v[j] - g[i] . out[i])};
     * {@code dq[i] = sum_j ds k[j] / sqrt(keyDim)}, {@code dk[j] = sum_i ds q[i] / sqrt(keyDim)},
     * {@code dv[j] = sum_i p g[i]}, {@code dbias[j - i] += ds}.
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
     * @param g        the gradient of the output
     */
    public static SoftmaxGradients softmax(int batch, int length, int heads, int keyDim, int valueDim, boolean causal,
                                           float[] q, float[] k, float[] v, float[] bias, float[] g) {
        int n = length;
        double[] gq = new double[q.length];
        double[] gk = new double[k.length];
        double[] gv = new double[v.length];
        double[] gb = new double[bias.length];
        double[] out = Attention.softmax(batch, length, heads, keyDim, valueDim, causal, q, k, v, bias);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    int last = causal ? i : n - 1;
                    double[] s = new double[last + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= last; j++) {
                        for (int d = 0; d < keyDim; d++) {
                            s[j] += (double) q[row(n, heads, b, i, h) * keyDim + d] * k[row(n, heads, b, j, h) * keyDim + d];
                        }
                        s[j] = s[j] / Math.sqrt(keyDim) + bias[h * (2 * n - 1) + j - i + n - 1];
                        max = Math.max(max, s[j]);
                    }
                    double den = 0;
                    for (int j = 0; j <= last; j++) {
                        den += Math.exp(s[j] - max);
                    }
                    double gOut = 0;
                    for (int e = 0; e < valueDim; e++) {
                        gOut += g[row(n, heads, b, i, h) * valueDim + e] * out[row(n, heads, b, i, h) * valueDim + e];
                    }
                    for (int j = 0; j <= last; j++) {
                        double p = Math.exp(s[j] - max) / den;
                        double dp = 0;
                        for (int e = 0; e < valueDim; e++) {
                            dp += (double) g[row(n, heads, b, i, h) * valueDim + e] * v[row(n, heads, b, j, h) * valueDim + e];
                            gv[row(n, heads, b, j, h) * valueDim + e] += p * g[row(n, heads, b, i, h) * valueDim + e];
                        }
                        double ds = p * (dp - gOut);
                        for (int d = 0; d < keyDim; d++) {
                            gq[row(n, heads, b, i, h) * keyDim + d] += ds * k[row(n, heads, b, j, h) * keyDim + d] / Math.sqrt(keyDim);
                            gk[row(n, heads, b, j, h) * keyDim + d] += ds * q[row(n, heads, b, i, h) * keyDim + d] / Math.sqrt(keyDim);
                        }
                        gb[h * (2 * n - 1) + j - i + n - 1] += ds;
                    }
                }
            }
        }
        return new SoftmaxGradients(gq, gk, gv, gb);
    }
}
