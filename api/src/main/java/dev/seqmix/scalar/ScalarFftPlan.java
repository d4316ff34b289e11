package dev.seqmix.scalar;

import dev.seqmix.internal.fft.FftCore;
import dev.seqmix.spi.AbstractFftPlan;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;

/** The scalar backend's FFT plan: batches of {@link FftCore} transforms, split over threads when large. */
final class ScalarFftPlan extends AbstractFftPlan {
    private final FftCore core;
    private final int n;
    private final long workPerTransform;

    ScalarFftPlan(FftCore core, AbstractKernels owner) {
        super(core.size(), owner);
        this.core = core;
        this.n = core.size();
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
        float[] scratch = ScratchPool.floats(core.scratchFloats());
        try {
            float scale = 1.0f / n;
            for (int b = from; b < to; b++) {
                int off = 2 * n * b;
                core.transform(data, off, inverse, scratch);
                if (inverse) {
                    for (int i = off; i < off + 2 * n; i++) {
                        data[i] *= scale;
                    }
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
        float[] scratch = ScratchPool.floats(core.realScratchFloats());
        int bins = 2 * (n / 2 + 1);
        try {
            float scale = 1.0f / n;
            for (int b = from; b < to; b++) {
                if (inverse) {
                    core.inverseReal(in, b * bins, out, b * n, scratch);
                    for (int i = b * n; i < (b + 1) * n; i++) {
                        out[i] *= scale;
                    }
                } else {
                    core.forwardReal(in, b * n, out, b * bins, scratch);
                }
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }
}
