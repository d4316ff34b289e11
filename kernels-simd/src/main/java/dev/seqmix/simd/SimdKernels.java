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
        Parallel.Args a = Parallel.args().with(scan).floats(x, out).ints(time, channels).flag(reverse);
        Parallel.run(Parallel.parts(batch, (long) time * channels), batch, a, SCAN);
    }

    private static final Parallel.Body SCAN = (a, from, to) ->
            ((SimdScan) a.o0).scan(a.i0, a.i1, a.f0, a.f1, a.b0, from, to);

    // ---------------------------------------------------------------- TaLK

    /** The ring rows a call needs: windows reach at most E steps from their step. */
    private static int ringRows(TalkShape s, float[] left, float[] right) {
        long e = TalkRing.extent(left, s.offsetLength(), s.maxLeft());
        if (right != null) {
            e = Math.max(e, TalkRing.extent(right, s.offsetLength(), s.maxRight()));
        }
        return TalkRing.ringRows(Math.min(e, s.time()));
    }

    /**
     * Head groups per batch row of a TaLK split: 1 when there are batch rows enough for the threads, else
     * enough groups to give every thread one. A task is a batch row's group of heads, walked row-major: split
     * finer (a head a task, as chunks of single slices would be), each task would walk a row of all channels
     * a step again, 2 KiB apart for 512 channels, and two threads ran no faster than one.
     */
    private static int headGroups(TalkShape s) {
        return Math.min(s.heads(), Math.max(1, (Parallel.threads() + s.batch() - 1) / s.batch()));
    }

    @Override
    protected void doTalkForward(TalkShape s, float[] x, float[] left, float[] right, float[] out) {
        int rows = ringRows(s, left, right);
        int groups = headGroups(s);
        int tasks = s.batch() * groups;
        Parallel.Args a = Parallel.args().with(s).floats(x, left, right, out).ints(rows, groups);
        Parallel.run(Parallel.parts(tasks, (long) s.time() * s.channels() / groups * 4), tasks, a, TALK_FORWARD);
    }

    private static final Parallel.Body TALK_FORWARD = (a, from, to) ->
            talkForwardRange((TalkShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.i0, a.i1, from, to);

    /** Tasks {@code [from, to)}: task = (batch row, group of heads), each walked a time step at a time. */
    private static void talkForwardRange(TalkShape s, float[] x, float[] left, float[] right, float[] out, int rows,
                                  int groups, int from, int to) {
        float[] ring = ScratchPool.floats(TalkRing.forwardScratchFloats(s, rows));
        try {
            for (int task = from; task < to; task++) {
                int g = task % groups;
                TalkRing.forward(s, x, left, right, out, task / groups, g * s.heads() / groups,
                        (g + 1) * s.heads() / groups, ring, rows);
            }
        } finally {
            ScratchPool.release(ring);
        }
    }

    @Override
    protected void doTalkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                  float[] gradX, float[] gradLeft, float[] gradRight) {
        int rows = ringRows(s, left, right);
        int groups = headGroups(s);
        int tasks = s.batch() * groups;
        Parallel.Args a = Parallel.args().with(s)
                .floats(x, left, right, gradOut, gradX, gradLeft, gradRight).ints(rows, groups);
        Parallel.run(Parallel.parts(tasks, (long) s.time() * s.channels() / groups * 8), tasks, a, TALK_BACKWARD);
    }

    private static final Parallel.Body TALK_BACKWARD = (a, from, to) ->
            talkBackwardRange((TalkShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.f4, a.f5, a.f6, a.i0, a.i1, from, to);

    /** Tasks {@code [from, to)} as the forward's. */
    private static void talkBackwardRange(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                   float[] gradX, float[] gradLeft, float[] gradRight, int rows, int groups,
                                   int from, int to) {
        float[] scratch = ScratchPool.floats(TalkRing.backwardRowsScratchFloats(s, rows));
        try {
            for (int task = from; task < to; task++) {
                int g = task % groups;
                TalkRing.backwardRows(s, x, left, right, gradOut, gradX, gradLeft, gradRight, task / groups,
                        g * s.heads() / groups, (g + 1) * s.heads() / groups, scratch, rows);
            }
        } finally {
            ScratchPool.release(scratch);
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
            Parallel.Args a = Parallel.args().with(s).floats(x, wt, phi).flag(queries);
            Parallel.run(Parallel.parts(slices, (long) s.length() * s.features() * s.keyDim()), slices, a,
                    featuresBody);
        } finally {
            ScratchPool.release(wt);
        }
    }

    @Override
    protected void doRandomFeaturesBackward(AttentionShape s, float[] x, float[] projection, boolean queries,
                                            float[] gradPhi, float[] gradX) {
        float[] wt = ScratchPool.floats(SimdAttention.featuresScratch(s));
        try {
            SimdAttention.transpose(projection, s.features(), s.keyDim(), wt);
            int slices = s.batch() * s.heads();
            Parallel.Args a = Parallel.args().with(s).floats(x, wt, projection, gradPhi, gradX).flag(queries);
            Parallel.run(Parallel.parts(slices, 3L * s.length() * s.features() * s.keyDim()), slices, a,
                    featuresBackwardBody);
        } finally {
            ScratchPool.release(wt);
        }
    }

    private final Parallel.Body featuresBackwardBody = (a, from, to) ->
            featuresBackwardRange((AttentionShape) a.o0, a.f0, a.f1, a.f2, a.b0, a.f3, a.f4, from, to);

    private void featuresBackwardRange(AttentionShape s, float[] x, float[] wt, float[] w, boolean queries,
                                       float[] gradPhi, float[] gradX, int from, int to) {
        float[] sc = ScratchPool.floats(SimdAttention.featuresBackwardScratch(s));
        try {
            for (int slice = from; slice < to; slice++) {
                attention.randomFeaturesBackward(s, x, wt, w, queries, gradPhi, gradX, slice / s.heads(),
                        slice % s.heads(), sc);
            }
        } finally {
            ScratchPool.release(sc);
        }
    }

    private final Parallel.Body featuresBody = (a, from, to) ->
            featuresRange((AttentionShape) a.o0, a.f0, a.f1, a.b0, a.f2, from, to);

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
    protected void doRpeAttentionBackward(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                          float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV,
                                          float[] gradBias, boolean accumulateBias) {
        SimdRpeAttentionBackward.run(s, phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, gradBias,
                accumulateBias);
    }

    @Override
    protected void doSoftmaxRpeAttentionBackward(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                                 float[] gradOut, float[] gradQ, float[] gradK, float[] gradV,
                                                 float[] gradBias, boolean accumulateBias) {
        SimdSoftmaxBackward.run(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, gradBias, accumulateBias);
    }

    @Override
    protected void doSoftmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                         float[] out) {
        int slices = s.batch() * s.heads();
        long n = s.length();
        Parallel.Args a = Parallel.args().with(s).floats(q, k, v, bias, out);
        Parallel.run(Parallel.parts(slices, n * n * (s.keyDim() + s.valueDim())), slices, a, softmaxBody);
    }

    private final Parallel.Body softmaxBody = (a, from, to) ->
            softmaxRange((AttentionShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.f4, from, to);

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
