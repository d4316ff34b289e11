package dev.seqmix.simd;

import dev.seqmix.internal.ScratchPool;
import dev.seqmix.internal.fft.BatchedFftPlan;
import dev.seqmix.spi.AbstractKernels;

/**
 * The simd backend's FFT plan. A range of transforms goes through {@link SimdFft#transformBatch} (lanes across
 * transforms for small n); one transform through {@link SimdFft#transform}.
 */
final class SimdFftPlan extends BatchedFftPlan {
    private final SimdFft fft;

    SimdFftPlan(SimdFft fft, AbstractKernels owner) {
        super(fft.size(), owner);
        this.fft = fft;
    }

    @Override
    protected void transformRange(float[] data, int from, int to, boolean inverse) {
        int count = to - from;
        float[] scratch = ScratchPool.floats(count == 1 ? fft.scratchFloats() : fft.batchScratchFloats(count));
        try {
            if (count == 1) {
                fft.transform(data, 2 * n * from, inverse, scratch);
            } else {
                fft.transformBatch(data, 2 * n * from, count, inverse, scratch);
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }

    @Override
    protected int realScratchFloats() {
        return fft.realScratchFloats();
    }

    @Override
    protected void forwardReal(float[] in, int i0, float[] out, int o0, float[] scratch) {
        fft.forwardReal(in, i0, out, o0, scratch);
    }

    @Override
    protected void inverseReal(float[] in, int i0, float[] out, int o0, float[] scratch) {
        fft.inverseReal(in, i0, out, o0, scratch);
    }
}
