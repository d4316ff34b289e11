package dev.seqmix.simd;

import dev.seqmix.AttentionShape;
import dev.seqmix.BackendInfo;
import dev.seqmix.FftPlan;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;
import dev.seqmix.internal.SizeCache;

/**
 * The Vector API backend. Work is split over (batch, head) slices, transforms or column blocks when
 * large (see {@link Parallel}); each piece is computed by the same code on whichever thread, so the
 * results do not depend on the split.
 */
final class SimdKernels extends AbstractKernels {
    private final BackendInfo info;
    private final SimdScan scan;
    private final SimdAttention attention;
    private final SizeCache<FftPlan> plans = new SizeCache<>(size -> new SimdFftPlan(SimdFfts.get(size), this));

    SimdKernels() {
        this.info = SimdSupport.probe();
        this.scan = new SimdScan();
        this.attention = new SimdAttention();
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    /** Lets go of this instance's plans; the shared FFT tables stay in their bounded process-wide cache. */
    @Override
    protected void release() {
        plans.clear();
    }

    // ---------------------------------------------------------------- scan

    @Override
    protected void doScan(int batch, int time, int channels, float[] x, float[] out, boolean reverse) {
        int parts = Parallel.parts(batch, (long) time * channels);
        if (parts == 1) {
            scan.scan(time, channels, x, out, reverse, 0, batch);
        } else {
            Parallel.run(parts, batch, (from, to) -> scan.scan(time, channels, x, out, reverse, from, to));
        }
    }

    // ---------------------------------------------------------------- TaLK

    /** The ring rows a call needs: windows reach at most E steps from their step. */
    private static int ringRows(TalkShape s, float[] left, float[] right) {
        long e = TalkRing.extent(left, s.offsetLength(), s.maxLeft());
        if (right != null) {
            e = Math.max(e, TalkRing.extent(right, s.offsetLength(), s.maxRight()));
        }
        return TalkRing.ringRows(Math.min(e, s.time()));
    }

    @Override
    protected void doTalkForward(TalkShape s, float[] x, float[] left, float[] right, float[] out) {
        int rows = ringRows(s, left, right);
        int slices = s.batch() * s.heads();
        int parts = Parallel.parts(slices, (long) s.time() * s.headChannels() * 4);
        if (parts == 1) {
            talkForwardRange(s, x, left, right, out, rows, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) -> talkForwardRange(s, x, left, right, out, rows, from, to));
        }
    }

    private void talkForwardRange(TalkShape s, float[] x, float[] left, float[] right, float[] out, int rows,
                                  int from, int to) {
        float[] ring = ScratchPool.floats(TalkRing.forwardScratchFloats(rows, s.time()));
        int[] slots = ScratchPool.ints(4 * s.time());
        try {
            for (int slice = from; slice < to; slice++) {
                TalkRing.forward(s, x, left, right, out, slice / s.heads(), slice % s.heads(), ring, slots, rows);
            }
        } finally {
            ScratchPool.release(ring);
            ScratchPool.release(slots);
        }
    }

    @Override
    protected void doTalkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                  float[] gradX, float[] gradLeft, float[] gradRight) {
        int rows = ringRows(s, left, right);
        int slices = s.batch() * s.heads();
        int parts = Parallel.parts(slices, (long) s.time() * s.headChannels() * 8);
        if (parts == 1) {
            talkBackwardRange(s, x, left, right, gradOut, gradX, gradLeft, gradRight, rows, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) ->
                    talkBackwardRange(s, x, left, right, gradOut, gradX, gradLeft, gradRight, rows, from, to));
        }
    }

    private void talkBackwardRange(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                   float[] gradX, float[] gradLeft, float[] gradRight, int rows, int from, int to) {
        float[] scratch = ScratchPool.floats(TalkRing.backwardScratchFloats(rows, s.time()));
        int[] slots = ScratchPool.ints(4 * s.time());
        try {
            for (int slice = from; slice < to; slice++) {
                TalkRing.backward(s, x, left, right, gradOut, gradX, gradLeft, gradRight, slice / s.heads(),
                        slice % s.heads(), scratch, slots, rows);
            }
        } finally {
            ScratchPool.release(scratch);
            ScratchPool.release(slots);
        }
    }

    @Override
    protected TalkStream createTalkStream(TalkShape s) {
        return new SimdTalkStream(s, this);
    }

    // ---------------------------------------------------------------- FFT

    @Override
    protected FftPlan plan(int n) {
        return plans.get(n);
    }

    // ---------------------------------------------------------------- Toeplitz

    @Override
    protected void doToeplitzMatmul(int batch, int n, int cols, float[] coeffs, float[] x, float[] y) {
        SimdToeplitz.multiply(batch, n, cols, coeffs, x, y);
    }

    // ---------------------------------------------------------------- attention

    @Override
    protected void doRandomFeatures(AttentionShape s, float[] x, float[] projection, boolean queries, float[] phi) {
        float[] wt = ScratchPool.floats(SimdAttention.featuresScratch(s));
        try {
            SimdAttention.transpose(projection, s.features(), s.keyDim(), wt);
            int slices = s.batch() * s.heads();
            int parts = Parallel.parts(slices, (long) s.length() * s.features() * s.keyDim());
            if (parts == 1) {
                featuresRange(s, x, wt, queries, phi, 0, slices);
            } else {
                Parallel.run(parts, slices, (from, to) -> featuresRange(s, x, wt, queries, phi, from, to));
            }
        } finally {
            ScratchPool.release(wt);
        }
    }

    private void featuresRange(AttentionShape s, float[] x, float[] wt, boolean queries, float[] phi, int from,
                               int to) {
        for (int slice = from; slice < to; slice++) {
            attention.randomFeatures(s, x, wt, queries, phi, slice / s.heads(), slice % s.heads());
        }
    }

    @Override
    protected void doRpeAttention(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] out) {
        SimdRpeAttention.attend(s, phiQ, phiK, v, bias, out);
    }

    @Override
    protected void doSoftmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                         float[] out) {
        int slices = s.batch() * s.heads();
        long n = s.length();
        int parts = Parallel.parts(slices, n * n * (s.keyDim() + s.valueDim()));
        if (parts == 1) {
            softmaxRange(s, q, k, v, bias, out, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) -> softmaxRange(s, q, k, v, bias, out, from, to));
        }
    }

    private void softmaxRange(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out, int from,
                              int to) {
        float[] scratch = ScratchPool.floats(SimdAttention.softmaxScratch(s));
        try {
            for (int slice = from; slice < to; slice++) {
                attention.softmax(s, q, k, v, bias, out, slice / s.heads(), slice % s.heads(), scratch);
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }
}
