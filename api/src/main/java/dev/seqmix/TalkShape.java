package dev.seqmix;

/**
 * Shape of a TaLK convolution. Sequence arrays ({@code x}, {@code out} and their gradients) are
 * {@code [batch][time][channels]}, row-major, channels contiguous; offset arrays ({@code left},
 * {@code right} and their gradients) are {@code [batch][time][heads]}. Head {@code h} owns channels
 * {@code h * channels/heads ... (h+1) * channels/heads - 1}, which share its offsets.
 *
 * <p>The window of step {@code t} reaches at most {@code maxLeft * left} steps back and
 * {@code maxRight * right} steps ahead; the sum is divided by {@code K = maxLeft + maxRight + 1}.
 * {@code maxRight == 0} is the causal (decoder) form.
 *
 * @param batch    independent sequences, at least 1
 * @param time     sequence length, at least 1
 * @param channels channels per step, at least 1, a multiple of {@code heads}
 * @param heads    offset groups, at least 1
 * @param maxLeft  largest left extent in steps, at least 0
 * @param maxRight largest right extent in steps, at least 0 (0: causal)
 */
public record TalkShape(int batch, int time, int channels, int heads, int maxLeft, int maxRight) {
    /**
     * Checks the dimensions.
     *
     * @throws IllegalArgumentException naming the field when a dimension is out of range, when
     *         {@code channels % heads != 0}, or when {@code batch * time * channels} overflows an int
     */
    public TalkShape {
        requireAtLeast("TalkShape.batch", batch, 1);
        requireAtLeast("TalkShape.time", time, 1);
        requireAtLeast("TalkShape.channels", channels, 1);
        requireAtLeast("TalkShape.heads", heads, 1);
        requireAtLeast("TalkShape.maxLeft", maxLeft, 0);
        requireAtLeast("TalkShape.maxRight", maxRight, 0);
        if (channels % heads != 0) {
            throw new IllegalArgumentException("TalkShape.channels: expected a multiple of heads ("
                    + heads + "), got " + channels);
        }
        if ((long) maxLeft + maxRight + 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TalkShape.maxLeft + maxRight + 1: expected at most "
                    + Integer.MAX_VALUE + ", got " + ((long) maxLeft + maxRight + 1));
        }
        long elements = (long) batch * time * channels;
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TalkShape.batch*time*channels: expected at most "
                    + Integer.MAX_VALUE + " elements, got " + elements);
        }
    }

    /** {@return the elements of a sequence array: {@code batch * time * channels}} */
    public int sequenceLength() {
        return batch * time * channels;
    }

    /** {@return the elements of an offset array: {@code batch * time * heads}} */
    public int offsetLength() {
        return batch * time * heads;
    }

    /** {@return the channels per head} */
    public int headChannels() {
        return channels / heads;
    }

    /** {@return the fixed divisor {@code K = maxLeft + maxRight + 1}} */
    public int windowSize() {
        return maxLeft + maxRight + 1;
    }

    /** {@return whether this is the causal form ({@code maxRight == 0})} */
    public boolean causal() {
        return maxRight == 0;
    }

    static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": expected at least " + min + ", got " + value);
        }
    }
}
