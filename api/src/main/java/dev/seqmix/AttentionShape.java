package dev.seqmix;

/**
 * Shape of a kernelized or softmax attention call. Layouts, all row-major:
 * <ul>
 *   <li>{@code q}, {@code k}: {@code [batch][length][heads][keyDim]}</li>
 *   <li>{@code v}, {@code out}: {@code [batch][length][heads][valueDim]}</li>
 *   <li>{@code projection}: {@code [features][keyDim]}</li>
 *   <li>{@code phiQ}, {@code phiK}: {@code [batch][length][heads][features]}</li>
 *   <li>{@code bias}: {@code [heads][2*length-1]}, relative offset {@code j - i} at index {@code j - i + length - 1}</li>
 * </ul>
 * Every field is at least 1, also where an operation does not use it.
 *
 * @param batch    independent sequences, at least 1
 * @param length   positions per sequence, at least 1
 * @param heads    attention heads, at least 1
 * @param keyDim   size of a query or key vector per head, at least 1
 * @param valueDim size of a value vector per head, at least 1
 * @param features random features per head (the last dimension of {@code phiQ} and {@code phiK}), at least 1
 * @param causal   whether position {@code i} attends only to positions {@code j <= i}
 */
public record AttentionShape(int batch, int length, int heads, int keyDim, int valueDim,
                             int features, boolean causal) {
    /**
     * Checks the dimensions.
     *
     * @throws IllegalArgumentException naming the field when a dimension is below 1 or an array size
     *         overflows an int
     */
    public AttentionShape {
        TalkShape.requireAtLeast("AttentionShape.batch", batch, 1);
        TalkShape.requireAtLeast("AttentionShape.length", length, 1);
        TalkShape.requireAtLeast("AttentionShape.heads", heads, 1);
        TalkShape.requireAtLeast("AttentionShape.keyDim", keyDim, 1);
        TalkShape.requireAtLeast("AttentionShape.valueDim", valueDim, 1);
        TalkShape.requireAtLeast("AttentionShape.features", features, 1);
        long rows = (long) batch * length * heads;
        checkFits("AttentionShape.batch*length*heads*keyDim", rows * keyDim);
        checkFits("AttentionShape.batch*length*heads*valueDim", rows * valueDim);
        checkFits("AttentionShape.batch*length*heads*features", rows * features);
        checkFits("AttentionShape.features*keyDim", (long) features * keyDim);
        checkFits("AttentionShape.heads*(2*length-1)", (long) heads * (2L * length - 1));
    }

    private static void checkFits(String name, long elements) {
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected at most " + Integer.MAX_VALUE
                    + " elements, got " + elements);
        }
    }

    /** {@return the rows of a per-position array: {@code batch * length * heads}} */
    public int rows() {
        return batch * length * heads;
    }

    /** {@return the elements of {@code q} or {@code k}} */
    public int keyLength() {
        return rows() * keyDim;
    }

    /** {@return the elements of {@code v} or {@code out}} */
    public int valueLength() {
        return rows() * valueDim;
    }

    /** {@return the elements of {@code phiQ} or {@code phiK}} */
    public int featureLength() {
        return rows() * features;
    }

    /** {@return the elements of {@code projection}} */
    public int projectionLength() {
        return features * keyDim;
    }

    /** {@return the elements of {@code bias}} */
    public int biasLength() {
        return heads * (2 * length - 1);
    }
}
