package dev.seqmix.simd;

import dev.seqmix.TalkShape;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.spi.AbstractTalkStream;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal TaLK one step at a time: per (batch row, head) a ring of {@code maxLeft + 2} (rounded up to a
 * power of two) double prefix rows, advanced and read by the same {@link TalkRing} code as the forward
 * pass, so each step gives the bits of the causal {@code talkForward} row.
 */
final class SimdTalkStream extends AbstractTalkStream {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    private static final VectorSpecies<Double> DS = SimdSupport.DOUBLES;
    private final int rows;
    private final int stride;
    private final double[] ring; // [batch][heads][rows][stride]
    private long step;

    SimdTalkStream(TalkShape s, AbstractKernels owner) {
        super(s, owner);
        this.rows = TalkRing.ringRows(s.maxLeft());
        this.stride = TalkRing.roundUp(s.headChannels(), FS.length());
        this.ring = new double[Math.multiplyExact(Math.multiplyExact(s.batch() * s.heads(), rows), stride)];
    }

    @Override
    protected void doStep(float[] xt, float[] leftT, float[] outT) {
        int channels = shape.channels();
        int heads = shape.heads();
        int hc = shape.headChannels();
        int mask = rows - 1;
        double invK = 1.0 / shape.windowSize();
        long t = step;
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < heads; h++) {
                int base = (b * heads + h) * rows * stride;
                int row = b * channels + h * hc;
                TalkRing.advance(ring, base + (int) (t & mask) * stride, base + (int) ((t + 1) & mask) * stride,
                        xt, row, hc);
                double lo = TalkRing.low(t, leftT[b * heads + h], shape.maxLeft(), Long.MAX_VALUE);
                long fl = (long) Math.floor(lo);
                long cl = (long) Math.ceil(lo);
                int top = base + (int) ((t + 1) & mask) * stride;
                TalkRing.window(ring, top, top, base + (int) (fl & mask) * stride,
                        base + (int) (cl & mask) * stride, cl - lo, 0.0, invK, outT, row, hc);
            }
        }
        step = t + 1;
    }

    @Override
    protected void doReset() {
        java.util.Arrays.fill(ring, 0.0);
        step = 0;
    }
}
