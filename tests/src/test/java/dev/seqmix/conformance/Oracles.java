package dev.seqmix.conformance;

/**
 * Float64 oracles, written plainly: direct window sums, O(n^2) DFT, O(n^2) Toeplitz and attention.
 * They share no code with any backend.
 */
public final class Oracles {
    private Oracles() {
    }

    // ---------------------------------------------------------------- scan

    public static double[] cumsum(int batch, int time, int channels, float[] x, boolean reverse) {
        double[] out = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                double acc = 0;
                for (int i = 0; i < time; i++) {
                    int t = reverse ? time - 1 - i : i;
                    int idx = (b * time + t) * channels + c;
                    acc += x[idx];
                    out[idx] = acc;
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- TaLK

    /** Window bounds of step t as real positions: {@code [lo - 1, hi]} after clamping lo and hi to [0, T-1]. */
    static double low(int t, double left, int maxLeft, int time) {
        return Math.min(Math.max(t - left * maxLeft, 0), time - 1);
    }

    static double high(int t, double right, int maxRight, int time) {
        return Math.min(Math.max(t + right * maxRight, 0), time - 1);
    }

    /** Length of {@code [a, b]} intersected with {@code [j-1, j]} (0 when empty). */
    static double overlap(double a, double b, int j) {
        return Math.max(0, Math.min(b, j) - Math.max(a, j - 1));
    }

    /**
     * TaLK forward by direct window sums: {@code out = (1/K) sum_j x[j] |[lo-1, hi] ∩ [j-1, j]|}, offsets
     * in double. {@code right} null means causal. Also returns, in {@code scale}, the same sum of |x|,
     * the natural size of float rounding errors of the element.
     */
    public static double[] talkForward(int batch, int time, int channels, int heads, int maxLeft, int maxRight,
                                       float[] x, double[] left, double[] right, double[] scale) {
        double[] out = new double[batch * time * channels];
        int hc = channels / heads;
        double k = maxLeft + maxRight + 1;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                for (int h = 0; h < heads; h++) {
                    int o = (b * time + t) * heads + h;
                    double lo = low(t, left[o], maxLeft, time);
                    double hi = right == null ? t : high(t, right[o], maxRight, time);
                    int first = Math.max(0, (int) Math.floor(lo - 1));
                    int last = Math.min(time - 1, (int) Math.ceil(hi));
                    for (int c = h * hc; c < (h + 1) * hc; c++) {
                        double sum = 0;
                        double abs = 0;
                        for (int j = first; j <= last; j++) {
                            double w = overlap(lo - 1, hi, j);
                            double v = x[(b * time + j) * channels + c];
                            sum += w * v;
                            abs += w * Math.abs(v);
                        }
                        out[(b * time + t) * channels + c] = sum / k;
                        if (scale != null) {
                            scale[(b * time + t) * channels + c] = abs / k;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** {@code gradX} of TaLK by the adjoint of the direct window sums: {@code (1/K) sum_t g[t] w_t(j)}. */
    public static double[] talkGradX(int batch, int time, int channels, int heads, int maxLeft, int maxRight,
                                     double[] left, double[] right, float[] gradOut) {
        double[] gx = new double[batch * time * channels];
        int hc = channels / heads;
        double k = maxLeft + maxRight + 1;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                for (int h = 0; h < heads; h++) {
                    int o = (b * time + t) * heads + h;
                    double lo = low(t, left[o], maxLeft, time);
                    double hi = right == null ? t : high(t, right[o], maxRight, time);
                    int first = Math.max(0, (int) Math.floor(lo - 1));
                    int last = Math.min(time - 1, (int) Math.ceil(hi));
                    for (int j = first; j <= last; j++) {
                        double w = overlap(lo - 1, hi, j) / k;
                        for (int c = h * hc; c < (h + 1) * hc; c++) {
                            gx[(b * time + j) * channels + c] += w * gradOut[(b * time + t) * channels + c];
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** {@code sum over the output of gradOut * out}, the scalar whose gradient talkBackward computes. */
    public static double talkLoss(int batch, int time, int channels, int heads, int maxLeft, int maxRight,
                                  float[] x, double[] left, double[] right, float[] gradOut) {
        double[] out = talkForward(batch, time, channels, heads, maxLeft, maxRight, x, left, right, null);
        double loss = 0;
        for (int i = 0; i < out.length; i++) {
            loss += out[i] * gradOut[i];
        }
        return loss;
    }

    // ---------------------------------------------------------------- FFT

    /** O(n^2) DFT in double, angles reduced exactly ({@code j*k mod n}). Interleaved complex. */
    public static double[] dft(float[] data, int off, int n, boolean inverse) {
        double[] out = new double[2 * n];
        double sign = inverse ? 1 : -1;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int m = 0; m < n; m++) {
            cos[m] = Math.cos(2 * Math.PI * m / n);
            sin[m] = sign * Math.sin(2 * Math.PI * m / n);
        }
        for (int k = 0; k < n; k++) {
            double re = 0;
            double im = 0;
            for (int j = 0; j < n; j++) {
                int m = (int) (((long) j * k) % n);
                double c = cos[m];
                double s = sin[m];
                double xr = data[off + 2 * j];
                double xi = data[off + 2 * j + 1];
                re += xr * c - xi * s;
                im += xr * s + xi * c;
            }
            out[2 * k] = re;
            out[2 * k + 1] = im;
        }
        return out;
    }

    /** Recursive radix-2 FFT in double (for n a power of two too large for the O(n^2) DFT). */
    public static double[] fftPowerOfTwo(float[] data, int off, int n, boolean inverse) {
        double[] re = new double[n];
        double[] im = new double[n];
        for (int j = 0; j < n; j++) {
            re[j] = data[off + 2 * j];
            im[j] = data[off + 2 * j + 1];
        }
        fftRecursive(re, im, inverse ? 1 : -1);
        double[] out = new double[2 * n];
        for (int k = 0; k < n; k++) {
            out[2 * k] = re[k];
            out[2 * k + 1] = im[k];
        }
        return out;
    }

    private static void fftRecursive(double[] re, double[] im, double sign) {
        int n = re.length;
        if (n == 1) {
            return;
        }
        double[] er = new double[n / 2];
        double[] ei = new double[n / 2];
        double[] or = new double[n / 2];
        double[] oi = new double[n / 2];
        for (int j = 0; j < n / 2; j++) {
            er[j] = re[2 * j];
            ei[j] = im[2 * j];
            or[j] = re[2 * j + 1];
            oi[j] = im[2 * j + 1];
        }
        fftRecursive(er, ei, sign);
        fftRecursive(or, oi, sign);
        for (int k = 0; k < n / 2; k++) {
            double angle = sign * 2 * Math.PI * k / n;
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            double tr = or[k] * c - oi[k] * s;
            double ti = or[k] * s + oi[k] * c;
            re[k] = er[k] + tr;
            im[k] = ei[k] + ti;
            re[k + n / 2] = er[k] - tr;
            im[k + n / 2] = ei[k] - ti;
        }
    }

    // ---------------------------------------------------------------- Toeplitz and attention

    /** {@code y[b][i][k] = sum_j coeffs[b][j - i + n - 1] x[b][j][k]}, O(n^2 cols), in double. */
    public static double[] toeplitz(int batch, int n, int cols, float[] coeffs, float[] x) {
        double[] y = new double[batch * n * cols];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double c = coeffs[b * (2 * n - 1) + j - i + n - 1];
                    for (int k = 0; k < cols; k++) {
                        y[(b * n + i) * cols + k] += c * x[(b * n + j) * cols + k];
                    }
                }
            }
        }
        return y;
    }

    static int row(int length, int heads, int b, int l, int h) {
        return (b * length + l) * heads + h;
    }

    /** Positive random features in double, as docs/contract.md#random-features writes them. */
    public static double[] randomFeatures(int batch, int length, int heads, int keyDim, int features, float[] x,
                                          float[] w, boolean queries) {
        double[] phi = new double[batch * length * heads * features];
        double[][] u = new double[length][features];
        double scale = 1 / Math.pow(keyDim, 0.25);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double keyMax = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < length; l++) {
                    int xr = row(length, heads, b, l, h) * keyDim;
                    double sq = 0;
                    for (int i = 0; i < keyDim; i++) {
                        sq += Math.pow(x[xr + i] * scale, 2);
                    }
                    for (int r = 0; r < features; r++) {
                        double dot = 0;
                        for (int i = 0; i < keyDim; i++) {
                            dot += w[r * keyDim + i] * (x[xr + i] * scale);
                        }
                        u[l][r] = dot - sq / 2;
                        keyMax = Math.max(keyMax, u[l][r]);
                    }
                }
                for (int l = 0; l < length; l++) {
                    double s = keyMax;
                    if (queries) {
                        s = Double.NEGATIVE_INFINITY;
                        for (int r = 0; r < features; r++) {
                            s = Math.max(s, u[l][r]);
                        }
                    }
                    for (int r = 0; r < features; r++) {
                        phi[row(length, heads, b, l, h) * features + r] =
                                (Math.exp(u[l][r] - s) + 1e-6) / Math.sqrt(features);
                    }
                }
            }
        }
        return phi;
    }

    /** RPE kernelized attention, O(n^2), in double. */
    public static double[] rpeAttention(int batch, int length, int heads, int features, int valueDim, boolean causal,
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

    /** Softmax attention with relative position bias, O(n^2), in double. */
    public static double[] softmaxAttention(int batch, int length, int heads, int keyDim, int valueDim, boolean causal,
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
                            dot += (double) q[row(n, heads, b, i, h) * keyDim + d] * k[row(n, heads, b, j, h) * keyDim + d];
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
