package dev.seqmix.opencl;

import dev.seqmix.TalkShape;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.spi.AbstractTalkStream;
import java.util.Arrays;

/**
 * Causal TaLK one step at a time. A step is a few multiply-adds per channel, far less than a device round
 * trip, so it runs on the host: per batch row a ring of the last maxLeft + 2 prefix sums per channel,
 * accumulated in the device's order and precision and read through {@link TalkMath}, the host mirror of
 * talk.cl. Like the device (reduce then scan by blocks of {@link TalkKernels#PREFIX_BLOCK} steps), a block's
 * prefix runs on from the sum of the finished blocks' own sums, and each block is also summed from zero. So
 * a step gives exactly the bits of the device's causal {@code talkForward} row.
 *
 * <p>Steps of one stream are serialized (synchronized); streams are independent of each other.
 */
final class OpenClTalkStream extends AbstractTalkStream {
    private final boolean fp64;
    private final int ring;
    private final int channels;
    private final int heads;
    private final int maxLeft;
    private final double invK;
    /** fp64: prefix sums [batch][ring][channels]; else float-float pairs [batch][ring][channels][2]. */
    private final double[] sums;
    private final float[] pairs;
    /**
     * Per (batch, channel), pairs without fp64: the sum of the finished blocks' totals (talk_block_bases) and
     * the running block's total from zero (talk_block_totals). The prefix itself (talk_block_scan) runs on in
     * the ring.
     */
    private final double[] base;
    private final double[] local;
    private final float[] basePairs;
    private final float[] localPairs;
    private long t;

    OpenClTalkStream(TalkShape s, AbstractKernels owner, boolean fp64) {
        super(s, owner);
        this.fp64 = fp64;
        this.ring = s.maxLeft() + 2;
        this.channels = s.channels();
        this.heads = s.heads();
        this.maxLeft = s.maxLeft();
        this.invK = TalkKernels.invK(s, fp64);
        long cells = (long) s.batch() * ring * channels;
        this.sums = fp64 ? new double[Math.toIntExact(cells)] : null;
        this.pairs = fp64 ? null : new float[Math.toIntExact(2 * cells)];
        int columns = s.batch() * channels;
        this.base = fp64 ? new double[columns] : null;
        this.local = fp64 ? new double[columns] : null;
        this.basePairs = fp64 ? null : new float[2 * columns];
        this.localPairs = fp64 ? null : new float[2 * columns];
    }

    private int cell(int b, long k, int c) {
        return (b * ring + (int) (k % ring)) * channels + c;
    }

    @Override
    protected synchronized void doStep(float[] xt, float[] leftT, float[] outT) {
        int per = channels / heads;
        boolean newBlock = t % TalkKernels.PREFIX_BLOCK == 0;
        for (int b = 0; b < shape.batch(); b++) {
            for (int c = 0; c < channels; c++) {
                float x = xt[b * channels + c];
                int col = b * channels + c;
                int now = cell(b, t, c);
                // talk_block_totals, talk_block_bases and talk_block_scan, in their order
                // a block's prefix runs on from the previous step's, or at a block's start from the new base
                if (fp64) {
                    double prev;
                    if (newBlock) {
                        base[col] = base[col] + local[col];
                        local[col] = 0.0;
                        prev = base[col];
                    } else {
                        prev = sums[cell(b, t - 1, c)];
                    }
                    local[col] = local[col] + (double) x;
                    sums[now] = prev + (double) x;
                } else {
                    int at = 2 * col;
                    float[] from;
                    int prev;
                    if (newBlock) {
                        TalkMath.sumFloat(basePairs[at], basePairs[at + 1], localPairs[at], localPairs[at + 1],
                                basePairs, at);
                        localPairs[at] = 0f;
                        localPairs[at + 1] = 0f;
                        from = basePairs;
                        prev = at;
                    } else {
                        from = pairs;
                        prev = 2 * cell(b, t - 1, c);
                    }
                    TalkMath.addFloat(localPairs[at], localPairs[at + 1], x, localPairs, at);
                    TalkMath.addFloat(from[prev], from[prev + 1], x, pairs, 2 * now);
                }
            }
            for (int h = 0; h < heads; h++) {
                float left = leftT[b * heads + h];
                for (int r = 0; r < per; r++) {
                    int c = h * per + r;
                    outT[b * channels + c] = fp64 ? stepDouble(b, c, left) : stepFloat(b, c, left);
                }
            }
        }
        t++;
    }

    private float stepDouble(int b, int c, float left) {
        TalkMath.Left w = TalkMath.leftDouble(t, left, maxLeft);
        double pt = sums[cell(b, t, c)];
        double flm = w.fl() >= 1 ? sums[cell(b, w.fl() - 1, c)] : 0.0;
        double clm = w.cl() >= 1 ? sums[cell(b, w.cl() - 1, c)] : 0.0;
        return TalkMath.valueDouble(pt, flm, clm, w.aL(), invK);
    }

    private float stepFloat(int b, int c, float left) {
        TalkMath.Left w = TalkMath.leftFloat(t, left, maxLeft);
        int pt = 2 * cell(b, t, c);
        float flmHi = 0f;
        float flmLo = 0f;
        float clmHi = 0f;
        float clmLo = 0f;
        if (w.fl() >= 1) {
            int i = 2 * cell(b, w.fl() - 1, c);
            flmHi = pairs[i];
            flmLo = pairs[i + 1];
        }
        if (w.cl() >= 1) {
            int i = 2 * cell(b, w.cl() - 1, c);
            clmHi = pairs[i];
            clmLo = pairs[i + 1];
        }
        return TalkMath.valueFloat(pairs[pt], pairs[pt + 1], flmHi, flmLo, clmHi, clmLo, (float) w.aL(),
                (float) invK);
    }

    @Override
    protected synchronized void doReset() {
        t = 0;
        if (fp64) {
            Arrays.fill(sums, 0.0);
            Arrays.fill(base, 0.0);
            Arrays.fill(local, 0.0);
        } else {
            Arrays.fill(pairs, 0f);
            Arrays.fill(basePairs, 0f);
            Arrays.fill(localPairs, 0f);
        }
    }
}
