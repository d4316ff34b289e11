package dev.seqmix.scalar;

import dev.seqmix.internal.ScratchPool;
import dev.seqmix.internal.fft.BatchedFftPlan;
import dev.seqmix.internal.fft.FftCore;
import dev.seqmix.spi.AbstractKernels;

/** The scalar backend's FFT plan: batches of {@link FftCore} transforms, one at a time. */
final class ScalarFftPlan extends BatchedFftPlan {
    private final FftCore core;

    ScalarFftPlan(FftCore core, AbstractKernels owner) {
        super(core.size(), owner);
        this.core = core;
    }

    @Override
    protected void transformRange(float[] data, int from, int to, boolean inverse) {
        float[] scratch = ScratchPool.floats(core.scratchFloats());
        try {
            for (int b = from; b < to; b++) {
                core.transform(data, 2 * n * b, inverse, scratch);
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }

    @Override
    protected int realScratchFloats() {
        return core.realScratchFloats();
    }

    @Override
    protected void forwardReal(float[] in, int i0, float[] out, int o0, float[] scratch) {
        core.forwardReal(in, i0, out, o0, scratch);
    }

    @Override
    protected void inverseReal(float[] in, int i0, float[] out, int o0, float[] scratch) {
        core.inverseReal(in, i0, out, o0, scratch);
    }
}
