package dev.seqmix.opencl;

import dev.seqmix.spi.AbstractFftPlan;
import org.jocl.cl_mem;

/**
 * An FFT plan of one size on the device. Its constants live in the context ({@link FftKernels}); the plan
 * itself holds nothing else, so plans of a {@code Kernels} are cached per size and shared by threads.
 * Real transforms go through the complex transform of length n (imaginary parts zero in, Hermitian
 * completion back), all on the device.
 */
final class OpenClFftPlan extends AbstractFftPlan {
    private final OpenClContext ctx;
    private final FftKernels fft;

    OpenClFftPlan(int n, OpenClKernels owner, OpenClContext ctx, FftKernels fft) {
        super(n, owner);
        this.ctx = ctx;
        this.fft = fft;
        ctx.exec("fftPlan(" + n + ")", () -> fft.prepare(n));
    }

    private void complex(Object data, int batch, boolean inverse) {
        int n = size();
        long floats = 2L * n * batch;
        ctx.exec(inverse ? "fft inverse" : "fft forward", () -> {
            cl_mem a = ctx.input("fft.data", data, floats); // in place: the data's own buffer is the output too
            cl_mem r = fft.transform(a, n, batch, inverse);
            ctx.collect(r, data, floats);
        });
    }

    private void realForward(Object in, Object out, int batch) {
        int n = size();
        int half = n / 2 + 1;
        ctx.exec("fft forwardReal", () -> {
            cl_mem real = ctx.input("fft.real", in, (long) n * batch);
            cl_mem a = ctx.buffers.get("fft.data", 2L * n * batch * Float.BYTES);
            cl_mem h = ctx.output("fft.half", out, 2L * half * batch);
            ctx.kernel("fft", "real_to_complex").mem(real).mem(a).i(n).run(n, batch);
            cl_mem r = fft.transform(a, n, batch, false);
            ctx.kernel("fft", "complex_to_half").mem(r).mem(h).i(n).run(half, batch);
            ctx.collect(h, out, 2L * half * batch);
        });
    }

    private void realInverse(Object in, Object out, int batch) {
        int n = size();
        int half = n / 2 + 1;
        ctx.exec("fft inverseReal", () -> {
            cl_mem h = ctx.input("fft.half", in, 2L * half * batch);
            cl_mem a = ctx.buffers.get("fft.data", 2L * n * batch * Float.BYTES);
            cl_mem real = ctx.output("fft.real", out, (long) n * batch);
            ctx.kernel("fft", "half_to_complex").mem(h).mem(a).i(n).run(n, batch);
            cl_mem r = fft.transform(a, n, batch, true);
            ctx.kernel("fft", "complex_to_real").mem(r).mem(real).i(n).f(1.0f).run(n, batch);
            ctx.collect(real, out, (long) n * batch);
        });
    }

    @Override
    protected void doTransform(float[] data, int batch, boolean inverse) {
        complex(data, batch, inverse);
    }

    @Override
    protected void doTransform(java.lang.foreign.MemorySegment data, int batch, boolean inverse) {
        complex(data, batch, inverse);
    }

    @Override
    protected void doForwardReal(float[] in, float[] out, int batch) {
        realForward(in, out, batch);
    }

    @Override
    protected void doForwardReal(java.lang.foreign.MemorySegment in, java.lang.foreign.MemorySegment out, int batch) {
        realForward(in, out, batch);
    }

    @Override
    protected void doInverseReal(float[] in, float[] out, int batch) {
        realInverse(in, out, batch);
    }

    @Override
    protected void doInverseReal(java.lang.foreign.MemorySegment in, java.lang.foreign.MemorySegment out,
                                 int batch) {
        realInverse(in, out, batch);
    }
}
