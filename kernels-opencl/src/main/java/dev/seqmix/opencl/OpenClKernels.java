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
}
