package dev.seqmix.internal;

/**
 * The window positions of TaLK (docs/contract.md#talk-forward), shared by every backend that computes them on
 * the host: {@code lo = clamp(t - left * maxLeft, 0, T-1)}, {@code hi = clamp(t + right * maxRight, 0, T-1)},
 * in double. Offsets are not clamped, only positions. With a 53-bit mantissa the fraction of a position
 * near 2^27 is still exact to about 1e-8.
 */
public final class TalkPositions {
    private TalkPositions() {
    }

    /**
     * The window's low end.
     *
     * @param t       the time step
     * @param left    the step's left offset
     * @param maxLeft the largest left extent
     * @param time    the sequence length
     * @return {@code clamp(t - left * maxLeft, 0, time - 1)}
     */
    public static double low(long t, float left, int maxLeft, long time) {
        return Math.min(Math.max(t - (double) left * maxLeft, 0.0), time - 1);
    }

    /**
     * The window's high end.
     *
     * @param t        the time step
     * @param right    the step's right offset
     * @param maxRight the largest right extent
     * @param time     the sequence length
     * @return {@code clamp(t + right * maxRight, 0, time - 1)}
     */
    public static double high(long t, float right, int maxRight, long time) {
        return Math.min(Math.max(t + (double) right * maxRight, 0.0), time - 1);
    }
}
