package dev.seqmix.internal;

import dev.seqmix.AttentionShape;

/**
 * The batch sum of an attention backward pass's bias gradient, the same on every backend: each (batch, head) slice
 * writes its own row of partial sums, and the rows are added in batch order, in float. A chunked call (a segment
 * form run over batch entries in pieces) continues the same sum from where the previous chunk left it, so that it
 * gives the same bits as one call.
 */
public final class BiasGradients {
    private BiasGradients() {
    }

    /**
     * {@code gradBias[h] (+)= sum_b partial[b][h]}, in batch order, in float.
     *
     * @param s          the shape (batch, heads, length)
     * @param partial    {@code [batch][heads][2*length-1]}, each slice's own gradient
     * @param gradBias   {@code [heads][2*length-1]}, the output
     * @param accumulate continue the sum from what {@code gradBias} holds instead of from zero
     */
    public static void sumOverBatch(AttentionShape s, float[] partial, float[] gradBias, boolean accumulate) {
        int biasRow = 2 * s.length() - 1;
        if (!accumulate) {
            java.util.Arrays.fill(gradBias, 0, s.heads() * biasRow, 0f);
        }
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                int p = (b * s.heads() + h) * biasRow;
                int g = h * biasRow;
                for (int t = 0; t < biasRow; t++) {
                    gradBias[g + t] += partial[p + t];
                }
            }
        }
    }
}
