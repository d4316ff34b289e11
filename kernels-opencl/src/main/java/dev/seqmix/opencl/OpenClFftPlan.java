package dev.seqmix.opencl;

import dev.seqmix.spi.AbstractFftPlan;
import org.jocl.cl_mem;

/**
 * An FFT plan of one size on the device. Its constants live in the context ({@link FftKernels}); the plan
 * itself holds nothing else, so plans of a {@code Kernels} are cached per size and shared by threads.
 * Real transforms of even n go through a complex transform of n/2 (split and merge kernels), of odd n
 * through the complex transform of n; all on the device.
 */
final class OpenClFftPlan extends AbstractFftPlan {
    private final OpenClContext ctx;
    private final FftKernels fft;

    OpenClFftPlan(int n, OpenClKernels owner, OpenClContext ctx, FftKernels fft) {
        super(n, owner);
        this.ctx = ctx;
        this.fft = fft;
        ctx.exec("fftPlan(" + n + ")", () -> {
            fft.prepare(n);
            fft.prepareReal(n);
        });
    }

    private void complex(HostData data, int batch, boolean inverse) {
        int n = size();
        long floats = 2L * n * batch;
        ctx.exec(inverse ? "fft inverse" : "fft forward", () -> {
            cl_mem a = ctx.input("fft.data", data, floats); // in place: the data's own buffer is the output too
            cl_mem r = fft.transform(a, a, n, batch, inverse, inverse ? 1.0f / n : 1.0f);
            ctx.collect(r, data, floats);
        });
    }

    private void realForward(HostData in, HostData out, int batch) {
        int n = size();
        long bins = 2L * (n / 2 + 1) * batch;
        ctx.exec("fft forwardReal", () -> {
            cl_mem real = ctx.input("fft.real", in, (long) n * batch);
            cl_mem half = ctx.output("fft.half", out, bins);
            fft.forwardReal(real, half, n, batch);
            ctx.collect(half, out, bins);
        });
    }

    private void realInverse(HostData in, HostData out, int batch) {
        int n = size();
        long bins = 2L * (n / 2 + 1) * batch;
        ctx.exec("fft inverseReal", () -> {
            cl_mem half = ctx.input("fft.half", in, bins);
            cl_mem real = ctx.output("fft.real", out, (long) n * batch);
            fft.inverseReal(half, real, n, batch);
            ctx.collect(real, out, (long) n * batch);
        });
    }

    @Override
    protected void doTransform(float[] data, int batch, boolean inverse) {
        complex(HostData.of(data), batch, inverse);
    }

    @Override
    protected void doTransform(java.lang.foreign.MemorySegment data, int batch, boolean inverse) {
        complex(HostData.of(data), batch, inverse);
    }

    @Override
    protected void doForwardReal(float[] in, float[] out, int batch) {
        realForward(HostData.of(in), HostData.of(out), batch);
    }

    @Override
    protected void doForwardReal(java.lang.foreign.MemorySegment in, java.lang.foreign.MemorySegment out, int batch) {
        realForward(HostData.of(in), HostData.of(out), batch);
    }

    @Override
    protected void doInverseReal(float[] in, float[] out, int batch) {
        realInverse(HostData.of(in), HostData.of(out), batch);
    }

    @Override
    protected void doInverseReal(java.lang.foreign.MemorySegment in, java.lang.foreign.MemorySegment out,
                                 int batch) {
        realInverse(HostData.of(in), HostData.of(out), batch);
    }
}
