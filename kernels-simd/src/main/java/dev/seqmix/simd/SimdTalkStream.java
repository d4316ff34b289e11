package dev.seqmix.simd;

import dev.seqmix.TalkShape;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.spi.AbstractTalkStream;
import dev.seqmix.internal.TalkPositions;

/**
 * Causal TaLK one step at a time. Per (batch row, head) it keeps a ring of {@code 2 maxLeft + 2} (rounded up
 * to a power of two) rows of the forward's restarted prefix R, a row of zeros, and as many input rows (for the
 * fractional left edge); it restarts R at the forward's block steps and assembles each window from the same
 * rows in the same order ({@link TalkRing#blockWindow}), so each step gives the bits of the causal
 * {@code talkForward} row.
 */
final class SimdTalkStream extends AbstractTalkStream {
    private final int rows;
    private final int stride;
    private final int block;
    private final float[] prefix; // [batch][heads][rows + 1][stride]: R rows, then zeros
    private final float[] inputs; // [batch][heads][rows][stride]
    private final int[] window;   // one step's window rows, TalkRing.blockWindow's layout
    private long step;

    SimdTalkStream(TalkShape s, AbstractKernels owner) {
        super(s, owner);
        this.rows = TalkRing.ringRows(s.maxLeft());
        this.stride = SimdSupport.roundUp(s.headChannels(), SimdSupport.SPECIES.length());
        this.block = TalkRing.blockSteps(s);
        int slices = s.batch() * s.heads();
        this.prefix = new float[Math.multiplyExact(slices, (rows + 1) * this.stride)];
        this.inputs = new float[Math.multiplyExact(Math.multiplyExact(slices, rows), stride)];
        this.window = new int[5 + rows / block + 2];
    }

    @Override
    protected void doStep(float[] xt, float[] leftT, float[] outT) {
        int channels = shape.channels();
        int heads = shape.heads();
        int hc = shape.headChannels();
        int mask = rows - 1;
        float invK = (float) (1.0 / shape.windowSize());
        long t = step;
        int now = (int) (t & mask);
        int next = (int) ((t + 1) & mask);
        boolean restart = t % block == 0;
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < heads; h++) {
                int slice = b * heads + h;
                int p = slice * (rows + 1) * stride;
                int in = slice * rows * stride;
                int xRow = b * channels + h * hc;
                System.arraycopy(xt, xRow, inputs, in + now * stride, hc);
                TalkRing.extend(prefix, p + now * stride, p + next * stride, xt, xRow, hc, restart);
                double lo = TalkPositions.low(t, leftT[b * heads + h], shape.maxLeft(), Long.MAX_VALUE);
                long fl = (long) Math.floor(lo);
                long cl = (long) Math.ceil(lo);
                TalkRing.blockWindow(t + 1, cl, block, mask, stride, rows * stride, window, 0);
                TalkRing.blockWindowSum(prefix, p, window, inputs, in + now * stride, in + (int) (fl & mask) * stride,
                        0f, (float) (cl - lo), invK, outT, xRow, hc);
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
