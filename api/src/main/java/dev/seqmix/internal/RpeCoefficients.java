package dev.seqmix.internal;

import dev.seqmix.AttentionShape;

/**
 * The Toeplitz coefficients of RPE attention for one head, from its relative-position biases: {@code c[t] =
 * exp(bias[h][t] - max_t bias[h][t])} for the offsets {@code t = j - i + n - 1} in {@code [0, 2n - 1)}, with the
 * offsets {@code j > i} set to 0 when the attention is causal. Subtracting the maximum keeps every coefficient in
 * {@code (0, 1]}; the common factor cancels between numerator and denominator. Every backend that computes the
 * kernelized attention on the host uses this one definition.
 */
public final class RpeCoefficients {
    private RpeCoefficients() {
    }

    /**
     * Writes the {@code 2n - 1} coefficients of head {@code h} into {@code dst[at ..]}.
     *
     * @param s    the shape (its length n and whether it is causal)
     * @param bias {@code [heads][2n - 1]} biases
     * @param h    the head
     * @param dst  where to write
     * @param at   the first index written
     */
    public static void of(AttentionShape s, float[] bias, int h, float[] dst, int at) {
        int n = s.length();
        int bOff = h * (2 * n - 1);
        double maxBias = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < 2 * n - 1; t++) {
            maxBias = Math.max(maxBias, bias[bOff + t]);
        }
        for (int t = 0; t < 2 * n - 1; t++) {
            boolean masked = s.causal() && t > n - 1;
            dst[at + t] = masked ? 0f : (float) Math.exp(bias[bOff + t] - maxBias);
        }
    }
}
