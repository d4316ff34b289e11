package dev.seqmix.opencl;

import dev.seqmix.TalkShape;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.spi.AbstractTalkStream;
import java.util.Arrays;

/**
 * Causal TaLK one step at a time. A step is a few multiply-adds per channel, far less than a device round
 * trip, so it runs on the host: per batch row a ring of the last maxLeft + 2 prefix sums per channel,
 * accumulated in the device's order and precision and read through {@link TalkMath}, the host mirror of
 * talk.cl. So a step gives exactly the bits of the device's causal {@code talkForward} row.
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
    }

    private int cell(int b, long k, int c) {
        return (b * ring + (int) (k % ring)) * channels + c;
    }

    @Override
    protected synchronized void doStep(float[] xt, float[] leftT, float[] outT) {
        int per = channels / heads;
        for (int b = 0; b < shape.batch(); b++) {
            for (int c = 0; c < channels; c++) {
                float x = xt[b * channels + c];
                int now = cell(b, t, c);
                if (fp64) {
                    double prev = t == 0 ? 0.0 : sums[cell(b, t - 1, c)];
                    sums[now] = prev + (double) x;
                } else {
                    float hi = 0f;
                    float lo = 0f;
                    if (t > 0) {
                        int p = 2 * cell(b, t - 1, c);
                        hi = pairs[p];
                        lo = pairs[p + 1];
                    }
                    TalkMath.addFloat(hi, lo, x, pairs, 2 * now);
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
        if (sums != null) {
            Arrays.fill(sums, 0.0);
        } else {
            Arrays.fill(pairs, 0f);
        }
    }
}
