package dev.seqmix.simd;

import dev.seqmix.spi.AbstractFftPlan;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;

/**
 * The simd backend's FFT plan. Batches go through {@link SimdFft#transformBatch} (lanes across
 * transforms for small n), split over threads in contiguous ranges of transforms when large.
 */
final class SimdFftPlan extends AbstractFftPlan {
    private final SimdFft fft;
    private final int n;
    private final long workPerTransform;

    SimdFftPlan(SimdFft fft, AbstractKernels owner) {
        super(fft.size(), owner);
        this.fft = fft;
        this.n = fft.size();
        this.workPerTransform = 5L * n * Math.max(1, 32 - Integer.numberOfLeadingZeros(n));
    }

    @Override
    protected void doTransform(float[] data, int batch, boolean inverse) {
        int parts = Parallel.parts(batch, workPerTransform);
        if (parts == 1) {
            transformRange(data, inverse, 0, batch);
        } else {
            Parallel.run(parts, batch, (from, to) -> transformRange(data, inverse, from, to));
        }
    }

    private void transformRange(float[] data, boolean inverse, int from, int to) {
        int count = to - from;
        float[] scratch = ScratchPool.floats(count == 1 ? fft.scratchFloats() : fft.batchScratchFloats(count));
        try {
            if (count == 1) {
                fft.transform(data, 2 * n * from, inverse, scratch);
            } else {
                fft.transformBatch(data, 2 * n * from, count, inverse, scratch);
            }
            if (inverse) {
                float scale = 1.0f / n;
                for (int i = 2 * n * from; i < 2 * n * to; i++) {
                    data[i] *= scale;
                }
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }

    @Override
    protected void doForwardReal(float[] in, float[] out, int batch) {
        int parts = Parallel.parts(batch, workPerTransform / 2);
        if (parts == 1) {
            realRange(in, out, false, 0, batch);
        } else {
            Parallel.run(parts, batch, (from, to) -> realRange(in, out, false, from, to));
        }
    }

    @Override
    protected void doInverseReal(float[] in, float[] out, int batch) {
        int parts = Parallel.parts(batch, workPerTransform / 2);
        if (parts == 1) {
            realRange(in, out, true, 0, batch);
        } else {
            Parallel.run(parts, batch, (from, to) -> realRange(in, out, true, from, to));
        }
    }

    private void realRange(float[] in, float[] out, boolean inverse, int from, int to) {
        float[] scratch = ScratchPool.floats(fft.realScratchFloats());
        int bins = 2 * (n / 2 + 1);
        try {
            float scale = 1.0f / n;
            for (int b = from; b < to; b++) {
                if (inverse) {
                    fft.inverseReal(in, b * bins, out, b * n, scratch);
                    for (int i = b * n; i < (b + 1) * n; i++) {
                        out[i] *= scale;
                    }
                } else {
                    fft.forwardReal(in, b * n, out, b * bins, scratch);
                }
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }
}
