package dev.seqmix.reference;

/**
 * TaLK (time-aware large kernel) convolution in double by direct window sums, as docs/contract.md#talk-forward
 * writes it: step t of head h averages x over the real window {@code [lo - 1, hi]} with
 * {@code lo = clamp(t - left * maxLeft)}, {@code hi = clamp(t + right * maxRight)} (positions clamped to
 * {@code [0, T-1]}; {@code hi = t} in the causal form), each element j weighted by the length of
 * {@code [lo - 1, hi]} intersected with {@code [j - 1, j]}, and divided by {@code K = maxLeft + maxRight + 1}.
 * A reversed window ({@code lo - 1 > hi}, only with negative offsets) is the oriented integral from
 * {@code lo - 1} to {@code hi}, as the contract's prefix-sum formula gives it: minus the weights of
 * {@code [hi, lo - 1]}. No prefix sums: every window is summed on its own.
 *
 * <p>Layouts: x, out and gradients {@code [batch][time][channels]}; offsets {@code [batch][time][heads]}; head h
 * owns channels {@code [h * channels / heads, (h + 1) * channels / heads)}. A null {@code right} is the causal
 * form.
 */
public final class Talk {
    private Talk() {
    }

    /** Lower window bound of step t: {@code t - left * maxLeft} clamped to {@code [0, T-1]}. */
    private static double low(int t, double left, int maxLeft, int time) {
        return Math.min(Math.max(t - left * maxLeft, 0), time - 1);
    }

    /** Upper window bound of step t: {@code t + right * maxRight} clamped to {@code [0, T-1]}. */
    private static double high(int t, double right, int maxRight, int time) {
        return Math.min(Math.max(t + right * maxRight, 0), time - 1);
    }

    /**
     * Length of {@code [a, b]} intersected with {@code [j-1, j]} (0 when empty); for {@code a > b} minus that of
     * {@code [b, a]}: the integral from a to b of the indicator of {@code [j-1, j]}.
     */
    private static double overlap(double a, double b, int j) {
        if (a > b) {
            return -overlap(b, a, j);
        }
        return Math.max(0, Math.min(b, j) - Math.max(a, j - 1));
    }

    /**
     * {@return TaLK forward, {@code out = (1/K) sum_j x[j] |[lo-1, hi] ∩ [j-1, j]|}} Also writes, into
     * {@code scale} unless it is null, the same sum of {@code |x|}: the natural size of the float rounding errors
     * of each element.
     *
     * @param batch    independent sequences
     * @param time     steps T
     * @param channels channels C, a multiple of heads
     * @param heads    heads H
     * @param maxLeft  largest left reach
     * @param maxRight largest right reach (0 in the causal form)
     * @param x        the input
     * @param left     left offsets in [0, 1] (may be outside: positions are clamped)
     * @param right    right offsets, or null for the causal form
     * @param scale    receives the window sums of |x| / K, or null
     */
    public static double[] forward(int batch, int time, int channels, int heads, int maxLeft, int maxRight,
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
                    int first = Math.max(0, (int) Math.floor(Math.min(lo - 1, hi)));
                    int last = Math.min(time - 1, (int) Math.ceil(Math.max(lo - 1, hi)));
                    for (int c = h * hc; c < (h + 1) * hc; c++) {
                        double sum = 0;
                        double abs = 0;
                        for (int j = first; j <= last; j++) {
                            double w = overlap(lo - 1, hi, j);
                            double v = x[(b * time + j) * channels + c];
                            sum += w * v;
                            abs += Math.abs(w * v);
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

    /**
     * {@return the gradient with respect to x of {@code sum gradOut * out}: the adjoint of the window sums,
     * {@code gradX[j] = (1/K) sum_t gradOut[t] |[lo_t - 1, hi_t] ∩ [j-1, j]|}}
     *
     * @param batch    independent sequences
     * @param time     steps T
     * @param channels channels C, a multiple of heads
     * @param heads    heads H
     * @param maxLeft  largest left reach
     * @param maxRight largest right reach (0 in the causal form)
     * @param left     left offsets
     * @param right    right offsets, or null for the causal form
     * @param gradOut  the gradient of the output
     */
    public static double[] gradX(int batch, int time, int channels, int heads, int maxLeft, int maxRight,
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
                    int first = Math.max(0, (int) Math.floor(Math.min(lo - 1, hi)));
                    int last = Math.min(time - 1, (int) Math.ceil(Math.max(lo - 1, hi)));
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

    /**
     * {@return {@code sum over the output of gradOut * out}, the scalar whose gradient TaLK backward computes}
     * Its derivatives with respect to the offsets, by finite differences, judge the offset gradients.
     *
     * @param batch    independent sequences
     * @param time     steps T
     * @param channels channels C, a multiple of heads
     * @param heads    heads H
     * @param maxLeft  largest left reach
     * @param maxRight largest right reach (0 in the causal form)
     * @param x        the input
     * @param left     left offsets
     * @param right    right offsets, or null for the causal form
     * @param gradOut  the weights of the output elements
     */
    public static double loss(int batch, int time, int channels, int heads, int maxLeft, int maxRight,
                              float[] x, double[] left, double[] right, float[] gradOut) {
        double[] out = forward(batch, time, channels, heads, maxLeft, maxRight, x, left, right, null);
        double loss = 0;
        for (int i = 0; i < out.length; i++) {
            loss += out[i] * gradOut[i];
        }
        return loss;
    }
}
