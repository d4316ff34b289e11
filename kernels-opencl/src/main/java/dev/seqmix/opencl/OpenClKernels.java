package dev.seqmix.opencl;

import dev.seqmix.AttentionShape;
import dev.seqmix.BackendInfo;
import dev.seqmix.FftPlan;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.internal.SizeCache;
import java.lang.foreign.MemorySegment;

/**
 * The OpenCL backend: one context and queue ({@link OpenClContext}) per instance; every operation uploads
 * its inputs, runs its kernels and reads its outputs under the context's lock (so an instance may be used
 * from many threads; see {@link OpenClContext}). Array and segment forms share one path: host data is a
 * {@link HostData} (a {@code float[]} or a {@code MemorySegment}), native segments are transferred directly,
 * without staging.
 */
final class OpenClKernels extends AbstractKernels {
    private final OpenClContext ctx;
    private final BackendInfo info;
    private final ScanKernels scan;
    private final TalkKernels talk;
    private final FftKernels fft;
    private final ToeplitzKernels toeplitz;
    private final AttentionKernels attention;
    private final AttentionBackwardKernels attentionBackward;
    private final SizeCache<FftPlan> plans;

    OpenClKernels(OpenClDevice device) {
        this(new OpenClContext(device));
    }

    OpenClKernels(OpenClContext ctx) {
        this.ctx = ctx;
        this.info = new BackendInfo(OpenClProvider.NAME, true, ctx.device.describe());
        this.scan = new ScanKernels(ctx);
        this.talk = new TalkKernels(ctx);
        this.fft = new FftKernels(ctx);
        this.toeplitz = new ToeplitzKernels(ctx, fft);
        this.attention = new AttentionKernels(ctx, fft);
        this.attentionBackward = new AttentionBackwardKernels(ctx, fft, attention);
        this.plans = new SizeCache<>(size -> new OpenClFftPlan(size, this, ctx, fft));
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    /** Device time of all kernels so far, in nanoseconds, when run with -Dseqmix.opencl.profile=true; else 0. */
    long kernelNanos() {
        return ctx.kernelNanos();
    }

    OpenClContext context() {
        return ctx;
    }

    @Override
    protected void release() {
        plans.clear();
        ctx.release();
    }

    // ---------------------------------------------------------------- scan

    @Override
    protected void doScan(int batch, int time, int channels, float[] x, float[] out, boolean reverse) {
        ctx.exec("cumsum", () -> scan.scan(batch, time, channels, HostData.of(x), HostData.of(out), reverse));
    }

    @Override
    protected void doScan(int batch, int time, int channels, MemorySegment x, MemorySegment out, boolean reverse) {
        ctx.exec("cumsum", () -> scan.scan(batch, time, channels, HostData.of(x), HostData.of(out), reverse));
    }

    // ---------------------------------------------------------------- TaLK

    @Override
    protected void doTalkForward(TalkShape s, float[] x, float[] left, float[] right, float[] out) {
        ctx.exec("talkForward", () ->
                talk.forward(s, HostData.of(x), HostData.of(left), HostData.of(right), HostData.of(out)));
    }

    @Override
    protected void doTalkForward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right,
                                 MemorySegment out) {
        ctx.exec("talkForward", () ->
                talk.forward(s, HostData.of(x), HostData.of(left), HostData.of(right), HostData.of(out)));
    }

    @Override
    protected void doTalkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                  float[] gradX, float[] gradLeft, float[] gradRight) {
        ctx.exec("talkBackward", () ->
                talk.backward(s, HostData.of(x), HostData.of(left), HostData.of(right), HostData.of(gradOut),
                        HostData.of(gradX), HostData.of(gradLeft), HostData.of(gradRight)));
    }

    @Override
    protected void doTalkBackward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right,
                                  MemorySegment gradOut, MemorySegment gradX, MemorySegment gradLeft,
                                  MemorySegment gradRight) {
        ctx.exec("talkBackward", () ->
                talk.backward(s, HostData.of(x), HostData.of(left), HostData.of(right), HostData.of(gradOut),
                        HostData.of(gradX), HostData.of(gradLeft), HostData.of(gradRight)));
    }

    @Override
    protected TalkStream createTalkStream(TalkShape s) {
        return new OpenClTalkStream(s, this, ctx.device.fp64());
    }

    // ---------------------------------------------------------------- FFT

    @Override
    protected FftPlan plan(int n) {
        return plans.get(n);
    }

    // ---------------------------------------------------------------- Toeplitz

    @Override
    protected void doToeplitzMatmul(int batch, int n, int cols, float[] coeffs, float[] x, float[] y) {
        ctx.exec("toeplitzMatmul", () ->
                toeplitz.multiply(batch, n, cols, HostData.of(coeffs), HostData.of(x), HostData.of(y)));
    }

    @Override
    protected void doToeplitzMatmul(int batch, int n, int cols, MemorySegment coeffs, MemorySegment x,
                                    MemorySegment y) {
        ctx.exec("toeplitzMatmul", () ->
                toeplitz.multiply(batch, n, cols, HostData.of(coeffs), HostData.of(x), HostData.of(y)));
    }

    // ---------------------------------------------------------------- attention

    @Override
    protected void doRandomFeatures(AttentionShape s, float[] x, float[] projection, boolean queries, float[] phi) {
        ctx.exec("randomFeatures", () ->
                attention.randomFeatures(s, HostData.of(x), HostData.of(projection), queries, HostData.of(phi)));
    }

    @Override
    protected void doRandomFeatures(AttentionShape s, MemorySegment x, MemorySegment projection, boolean queries,
                                    MemorySegment phi) {
        ctx.exec("randomFeatures", () ->
                attention.randomFeatures(s, HostData.of(x), HostData.of(projection), queries, HostData.of(phi)));
    }

    @Override
    protected void doRpeAttention(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                  float[] out) {
        ctx.exec("rpeAttention", () ->
                attention.rpe(s, HostData.of(phiQ), HostData.of(phiK), HostData.of(v), HostData.of(bias),
                        HostData.of(out)));
    }

    @Override
    protected void doRpeAttention(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                                  MemorySegment bias, MemorySegment out) {
        ctx.exec("rpeAttention", () ->
                attention.rpe(s, HostData.of(phiQ), HostData.of(phiK), HostData.of(v), HostData.of(bias),
                        HostData.of(out)));
    }

    @Override
    protected void doSoftmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                         float[] out) {
        ctx.exec("softmaxRpeAttention", () ->
                attention.softmax(s, HostData.of(q), HostData.of(k), HostData.of(v), HostData.of(bias),
                        HostData.of(out)));
    }

    @Override
    protected void doSoftmaxRpeAttention(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                         MemorySegment bias, MemorySegment out) {
        ctx.exec("softmaxRpeAttention", () ->
                attention.softmax(s, HostData.of(q), HostData.of(k), HostData.of(v), HostData.of(bias),
                        HostData.of(out)));
    }

    // ---------------------------------------------------------------- attention backward

    @Override
    protected void doRandomFeaturesBackward(AttentionShape s, float[] x, float[] projection, boolean queries,
                                            float[] gradPhi, float[] gradX) {
        ctx.exec("randomFeaturesBackward", () -> attentionBackward.randomFeatures(s, HostData.of(x),
                HostData.of(projection), queries, HostData.of(gradPhi), HostData.of(gradX)));
    }

    @Override
    protected void doRandomFeaturesBackward(AttentionShape s, MemorySegment x, MemorySegment projection,
                                            boolean queries, MemorySegment gradPhi, MemorySegment gradX) {
        ctx.exec("randomFeaturesBackward", () -> attentionBackward.randomFeatures(s, HostData.of(x),
                HostData.of(projection), queries, HostData.of(gradPhi), HostData.of(gradX)));
    }

    @Override
    protected void doRpeAttentionBackward(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                          float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV,
                                          float[] gradBias, boolean accumulateBias) {
        ctx.exec("rpeAttentionBackward", () -> attentionBackward.rpe(s, HostData.of(phiQ), HostData.of(phiK),
                HostData.of(v), HostData.of(bias), HostData.of(gradOut), HostData.of(gradPhiQ),
                HostData.of(gradPhiK), HostData.of(gradV), HostData.of(gradBias), accumulateBias));
    }

    @Override
    protected void doRpeAttentionBackward(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                                          MemorySegment bias, MemorySegment gradOut, MemorySegment gradPhiQ,
                                          MemorySegment gradPhiK, MemorySegment gradV, MemorySegment gradBias) {
        ctx.exec("rpeAttentionBackward", () -> attentionBackward.rpe(s, HostData.of(phiQ), HostData.of(phiK),
                HostData.of(v), HostData.of(bias), HostData.of(gradOut), HostData.of(gradPhiQ),
                HostData.of(gradPhiK), HostData.of(gradV), HostData.of(gradBias), false));
    }

    /** On the device where its tiles fit the local memory; else the host implementation (the default). */
    @Override
    protected void doSoftmaxRpeAttentionBackward(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                                 float[] gradOut, float[] gradQ, float[] gradK, float[] gradV,
                                                 float[] gradBias, boolean accumulateBias) {
        boolean done = ctx.locked("softmaxRpeAttentionBackward", () -> attentionBackward.softmax(s, HostData.of(q),
                HostData.of(k), HostData.of(v), HostData.of(bias), HostData.of(gradOut), HostData.of(gradQ),
                HostData.of(gradK), HostData.of(gradV), HostData.of(gradBias), accumulateBias));
        if (!done) {
            super.doSoftmaxRpeAttentionBackward(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, gradBias,
                    accumulateBias);
        }
    }

    @Override
    protected void doSoftmaxRpeAttentionBackward(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                                 MemorySegment bias, MemorySegment gradOut, MemorySegment gradQ,
                                                 MemorySegment gradK, MemorySegment gradV, MemorySegment gradBias) {
        boolean done = ctx.locked("softmaxRpeAttentionBackward", () -> attentionBackward.softmax(s, HostData.of(q),
                HostData.of(k), HostData.of(v), HostData.of(bias), HostData.of(gradOut), HostData.of(gradQ),
                HostData.of(gradK), HostData.of(gradV), HostData.of(gradBias), false));
        if (!done) {
            super.doSoftmaxRpeAttentionBackward(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, gradBias);
        }
    }
}
