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

    private cl_mem prefix(TalkShape s, HostData x) {
        long n = s.sequenceLength();
        cl_mem xb = ctx.input("x", x, n);
        cl_mem p = ctx.buffers.get("talk.prefix", n * ACC_BYTES);
        ctx.kernel("talk", "talk_prefix").mem(xb).mem(p).i(s.time()).i(s.channels()).run(s.channels(), s.batch());
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
        cl_mem ds = ctx.buffers.get("talk.dS", n * ACC_BYTES);
        cl_mem gx = ctx.output("out", gradX, n);
        ctx.kernel("talk", "talk_grad_x").mem(lb).mem(rb).mem(gb).mem(ds).mem(gx).i(s.time()).i(s.channels())
                .i(s.heads()).i(s.maxLeft()).i(s.maxRight()).real(invK).run(s.channels(), s.batch());
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
