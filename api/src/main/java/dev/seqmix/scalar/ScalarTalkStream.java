package dev.seqmix.scalar;

import dev.seqmix.TalkShape;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.spi.AbstractTalkStream;
import dev.seqmix.internal.TalkPositions;

/**
 * Causal TaLK, one step at a time. Per batch row it keeps the last {@code maxLeft + 2} prefix values of
 * every channel in a ring (in double, accumulated in the same order as {@link TalkWindowSums}, so each
 * step gives the same bits as the causal forward pass).
 */
final class ScalarTalkStream extends AbstractTalkStream {
    private final int ring;
    private final double[] prefix; // [batch][ring][channels]
    private long step;

    ScalarTalkStream(TalkShape s, AbstractKernels owner) {
        super(s, owner);
        this.ring = s.maxLeft() + 2;
        this.prefix = new double[Math.multiplyExact(Math.multiplyExact(s.batch(), ring), s.channels())];
    }

    @Override
    protected void doStep(float[] xt, float[] leftT, float[] outT) {
        int channels = shape.channels();
        int heads = shape.heads();
        int hc = shape.headChannels();
        double k = shape.windowSize();
        long t = step;
        // P[t] sits in slot t % ring; P[0] = 0 is slot 0 (zeroed at reset)
        int prev = (int) (t % ring);
        int next = (int) ((t + 1) % ring);
        for (int b = 0; b < shape.batch(); b++) {
            int base = b * ring * channels;
            for (int c = 0; c < channels; c++) {
                prefix[base + next * channels + c] = prefix[base + prev * channels + c] + xt[b * channels + c] / k;
            }
            for (int h = 0; h < heads; h++) {
                double lo = TalkPositions.low(t, leftT[b * heads + h], shape.maxLeft(), Long.MAX_VALUE);
                long fl = (long) Math.floor(lo);
                long cl = (long) Math.ceil(lo);
                double aL = cl - lo;
                double aR = 0.0;
                int sFl = base + (int) (fl % ring) * channels + h * hc;
                int sCl = base + (int) (cl % ring) * channels + h * hc;
                int sHi = base + next * channels + h * hc;
                int o = b * channels + h * hc;
                for (int r = 0; r < hc; r++) {
                    double top = prefix[sHi + r];
                    outT[o + r] = (float) TalkWindowSums.interpolate(top, top, prefix[sFl + r], prefix[sCl + r], aL, aR);
                }
            }
        }
        step = t + 1;
    }

    @Override
    protected void doReset() {
        java.util.Arrays.fill(prefix, 0.0);
        step = 0;
    }
}
