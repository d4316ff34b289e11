package dev.seqmix.opencl;

import dev.seqmix.TalkShape;
import org.jocl.cl_mem;

/**
 * TaLK forward and backward on the device (talk.cl). The prefix sums stay on the device between the
 * launches; host data (a float[] or a MemorySegment) is written once and the outputs read once.
 */
final class TalkKernels {
    /** Bytes of one acc_t (double, or a float-float pair). */
    static final int ACC_BYTES = 8;
    /** Most work-items that share one position's offset gradients (a power of two). */
    static final int OFFSET_LANES = 64;
    /**
     * Steps of one prefix-sum block: the forward's prefix restarts at every multiple of it and the blocks'
     * bases are added after, so the prefix is parallel over blocks as well as columns. {@link OpenClTalkStream}
     * adds in the same order (the same bits as the device's forward pass).
     */
    static final int PREFIX_BLOCK = 64;
    /**
     * Shortest block of gradX: a block evaluates the windows of its steps and of {@code reach} steps either
     * side, so longer blocks waste less (1.26x the windows at reach 33) while leaving enough blocks in flight.
     */
    static final int GRAD_BLOCK = 256;
    /** Work-items of one work-group of the flat TaLK launches (the tail beyond the shape is guarded). */
    static final int GROUP = 64;

    private final OpenClContext ctx;

    TalkKernels(OpenClContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Work-items per position of talk_grad_offsets: the head's channels rounded up to a power of two, at most
     * {@link #OFFSET_LANES} and the kernel's work-group limit. Fixed by the shape and device, so the reduction
     * tree, and the bits, are the same on every run.
     */
    static long offsetLanes(int channelsPerHead, long maxGroup) {
        long lanes = Math.min(OFFSET_LANES, Long.highestOneBit(Math.max(1, 2L * channelsPerHead - 1)));
        while (lanes > Math.max(1, maxGroup)) {
            lanes /= 2;
        }
        return lanes;
    }

    /** 1/K as the kernels receive it (a real_t): double with fp64, else rounded to float. */
    static double invK(TalkShape s, boolean fp64) {
        double inv = 1.0 / (s.maxLeft() + s.maxRight() + 1);
        return fp64 ? inv : (float) inv;
    }

    /** Blocks of {@code block} steps that cover {@code time}. */
    static int blocks(int time, int block) {
        return (time + block - 1) / block;
    }

    /**
     * How far (in steps, either way) a window edge can lie from its step: an edge lies between the step and
     * its unclamped position, so {@code ceil(max |offset| * max extent)}, plus 1 for the left edge's {@code - 1}
     * and 1 for the device's float rounding of the product; at most {@code time}.
     */
    static int reach(TalkShape s, HostData left, HostData right) {
        long m = s.offsetLength();
        double far = left.maxAbs(m) * s.maxLeft();
        if (right != null) {
            far = Math.max(far, right.maxAbs(m) * s.maxRight());
        }
        return (int) Math.min(s.time(), Math.ceil(far) + 2);
    }

    /**
     * Launches over {@code channels x rows} in work-groups of {@link #GROUP} items: as many channels as there
     * are (up to the group), the rest of the group along rows; both sizes padded to whole groups.
     */
    private static void columns(OpenClContext.Launch launch, int channels, long rows) {
        long lx = Math.min(GROUP, Long.highestOneBit(Math.max(1, 2L * channels - 1)));
        long ly = GROUP / lx;
        launch.runGroups(new long[] {(channels + lx - 1) / lx * lx, (rows + ly - 1) / ly * ly},
                new long[] {lx, ly});
    }

    private cl_mem prefix(TalkShape s, HostData x) {
        long n = s.sequenceLength();
        int blocks = blocks(s.time(), PREFIX_BLOCK);
        long rows = (long) s.batch() * blocks;
        cl_mem xb = ctx.input("x", x, n);
        cl_mem p = ctx.buffers.get("talk.prefix", n * ACC_BYTES);
        cl_mem bases = ctx.buffers.get("talk.blocks", rows * s.channels() * ACC_BYTES);
        columns(ctx.kernel("talk", "talk_block_totals").mem(xb).mem(bases).i(s.time()).i(s.channels())
                .i(s.batch()).i(PREFIX_BLOCK), s.channels(), rows);
        columns(ctx.kernel("talk", "talk_block_bases").mem(bases).i(blocks).i(s.channels()).i(s.batch()).i(0),
                s.channels(), s.batch());
        columns(ctx.kernel("talk", "talk_block_scan").mem(xb).mem(p).mem(bases).i(s.time()).i(s.channels())
                .i(s.batch()).i(PREFIX_BLOCK), s.channels(), rows);
        return p;
    }

    /** {@code right} is null when causal. */
    void forward(TalkShape s, HostData x, HostData left, HostData right, HostData out) {
        long n = s.sequenceLength();
        long m = s.offsetLength();
        cl_mem p = prefix(s, x);
        cl_mem lb = ctx.input("left", left, m);
        cl_mem rb = lb; // a placeholder when causal: the kernel does not read it
        if (right != null) {
            rb = ctx.input("right", right, m);
        }
        cl_mem ob = ctx.output("out", out, n);
        ctx.kernel("talk", "talk_forward").mem(p).mem(lb).mem(rb).mem(ob).i(s.time()).i(s.channels()).i(s.heads())
                .i(s.maxLeft()).i(s.maxRight()).real(invK(s, ctx.device.fp64()))
                .run(s.channels(), s.time(), s.batch());
        ctx.collect(ob, out, n);
    }

    /** {@code right} is null when causal; {@code gradRight} may then be null (else it gets zeros). */
    void backward(TalkShape s, HostData x, HostData left, HostData right, HostData gradOut, HostData gradX,
                  HostData gradLeft, HostData gradRight) {
        long n = s.sequenceLength();
        long m = s.offsetLength();
        double invK = invK(s, ctx.device.fp64());
        cl_mem p = prefix(s, x);
        cl_mem lb = ctx.input("left", left, m);
        cl_mem rb = lb;
        if (right != null) {
            rb = ctx.input("right", right, m);
        }
        cl_mem gb = ctx.input("gradOut", gradOut, n);
        // gradX by blocks of at least twice an edge's reach: each block evaluates at most twice its own windows
        int reach = reach(s, left, right);
        int block = Math.min(s.time(), Math.max(GRAD_BLOCK, 2 * reach));
        int blocks = blocks(s.time(), block);
        long rows = (long) s.batch() * blocks;
        cl_mem ds = ctx.buffers.get("talk.dS", n * ACC_BYTES);
        cl_mem bases = ctx.buffers.get("talk.gradBlocks", rows * s.channels() * ACC_BYTES);
        cl_mem gx = ctx.output("out", gradX, n);
        columns(ctx.kernel("talk", "talk_grad_block").mem(lb).mem(rb).mem(gb).mem(ds).mem(bases).i(s.time())
                .i(s.channels()).i(s.heads()).i(s.batch()).i(s.maxLeft()).i(s.maxRight()).i(block).i(reach)
                .i(reach), s.channels(), rows);
        columns(ctx.kernel("talk", "talk_block_bases").mem(bases).i(blocks).i(s.channels()).i(s.batch()).i(1),
                s.channels(), s.batch());
        columns(ctx.kernel("talk", "talk_grad_x_scan").mem(ds).mem(bases).mem(gx).i(s.time()).i(s.channels())
                .i(s.batch()).i(block).real(invK), s.channels(), rows);
        cl_mem gl = ctx.output("gradLeft", gradLeft, m);
        cl_mem gr = gradRight != null ? ctx.output("gradRight", gradRight, m) : gl; // unused when null
        OpenClContext.Launch offsets = ctx.kernel("talk", "talk_grad_offsets");
        long lanes = offsetLanes(s.channels() / s.heads(), offsets.maxGroup());
        offsets.mem(p).mem(lb).mem(rb).mem(gb).mem(gl).mem(gr).i(s.time()).i(s.channels()).i(s.heads())
                .i(s.maxLeft()).i(s.maxRight()).real(invK).i(gradRight != null ? 1 : 0)
                .local(2 * lanes * (ctx.device.fp64() ? Double.BYTES : Float.BYTES))
                .runGroups(new long[] {m * lanes}, new long[] {lanes});
        ctx.collect(gx, gradX, n);
        ctx.collect(gl, gradLeft, m);
        if (gradRight != null) {
            ctx.collect(gr, gradRight, m);
        }
    }
}
