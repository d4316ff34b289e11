package dev.seqmix.simd;

import dev.seqmix.TalkShape;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.spi.AbstractTalkStream;
import dev.seqmix.internal.TalkPositions;

/**
 * Causal TaLK one step at a time. Per (batch row, head) it keeps a ring of {@code maxLeft + 2} (rounded up
 * to a power of two) Kahan prefix rows and as many input rows (for the fractional left edge), advanced
 * and read by {@link TalkRing#streamStep}, the forward pass's Kahan step and window fused with the same
 * operations, so each step gives the bits of the causal {@code talkForward} row.
 */
final class SimdTalkStream extends AbstractTalkStream {
    private final int rows;
    private final int stride;
    private final float[] prefix; // [batch][heads][rows][s | c], each stride wide
    private final float[] inputs; // [batch][heads][rows][stride]
    private long step;

    SimdTalkStream(TalkShape s, AbstractKernels owner) {
        super(s, owner);
        this.rows = TalkRing.ringRows(s.maxLeft());
        this.stride = SimdSupport.roundUp(s.headChannels(), SimdSupport.SPECIES.length());
        int slices = s.batch() * s.heads();
        this.prefix = new float[Math.multiplyExact(slices, rows * 2 * this.stride)];
        this.inputs = new float[Math.multiplyExact(Math.multiplyExact(slices, rows), stride)];
    }

    @Override
    protected void doStep(float[] xt, float[] leftT, float[] outT) {
        int channels = shape.channels();
        int heads = shape.heads();
        int hc = shape.headChannels();
        int mask = rows - 1;
        int row = 2 * stride;
        float invK = (float) (1.0 / shape.windowSize());
        long t = step;
        int now = (int) (t & mask);
        int next = (int) ((t + 1) & mask);
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < heads; h++) {
                int slice = b * heads + h;
                int p = slice * rows * row;
                int in = slice * rows * stride;
                int xRow = b * channels + h * hc;
                double lo = TalkPositions.low(t, leftT[b * heads + h], shape.maxLeft(), Long.MAX_VALUE);
                long fl = (long) Math.floor(lo);
                long cl = (long) Math.ceil(lo);
                TalkRing.streamStep(prefix, p + now * row, p + next * row, p + (int) (cl & mask) * row, stride, xt,
                        xRow, inputs, in + now * stride, in + (int) (fl & mask) * stride, (float) (cl - lo), invK,
                        outT, hc);
            }
        }
        step = t + 1;
    }

    @Override
    protected void doReset() {
        java.util.Arrays.fill(prefix, 0f);
        step = 0;
    }
}
