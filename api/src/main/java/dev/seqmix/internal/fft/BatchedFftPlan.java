package dev.seqmix.internal.fft;

import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;
import dev.seqmix.spi.AbstractFftPlan;
import dev.seqmix.spi.AbstractKernels;

/**
 * An FFT plan of the host backends: a batch of transforms, split over threads in contiguous ranges of transforms
 * when large, the inverse scaled by {@code 1/n} after the unscaled transform. The backend supplies the transforms
 * of a range; the split, the scratch and the scaling are here, once.
 */
public abstract class BatchedFftPlan extends AbstractFftPlan {
    /** The transform size. */
    protected final int n;
    private final long workPerTransform;

    /**
     * A plan of size {@code n}.
     *
     * @param n     the transform size
     * @param owner the instance the plan belongs to
     */
    protected BatchedFftPlan(int n, AbstractKernels owner) {
        super(n, owner);
        this.n = n;
        this.workPerTransform = 5L * n * Math.max(1, 32 - Integer.numberOfLeadingZeros(n));
    }

    /**
     * Transforms {@code data}'s complex transforms {@code [from, to)} in place, unscaled.
     *
     * @param data    interleaved complex data of the whole batch
     * @param from    the first transform
     * @param to      one past the last
     * @param inverse the inverse (unscaled) transform
     */
    protected abstract void transformRange(float[] data, int from, int to, boolean inverse);

    /** {@return floats of scratch one real transform needs} */
    protected abstract int realScratchFloats();

    /**
     * One real forward transform: {@code n} reals at {@code in[i0]} to {@code n/2 + 1} complex bins at
     * {@code out[o0]}.
     *
     * @param in      the reals
     * @param i0      where they start
     * @param out     the bins
     * @param o0      where they start
     * @param scratch {@link #realScratchFloats()} floats
     */
    protected abstract void forwardReal(float[] in, int i0, float[] out, int o0, float[] scratch);

    /**
     * One real inverse transform, unscaled: {@code n/2 + 1} bins at {@code in[i0]} to {@code n} reals at
     * {@code out[o0]}.
     *
     * @param in      the bins
     * @param i0      where they start
     * @param out     the reals
     * @param o0      where they start
     * @param scratch {@link #realScratchFloats()} floats
     */
    protected abstract void inverseReal(float[] in, int i0, float[] out, int o0, float[] scratch);

    @Override
    protected final void doTransform(float[] data, int batch, boolean inverse) {
        Parallel.Args a = Parallel.args().floats(data).flag(inverse);
        Parallel.run(Parallel.parts(batch, workPerTransform), batch, a, scaled);
    }

    private final Parallel.Body scaled = (a, from, to) -> scaledRange(a.f0, a.b0, from, to);

    private void scaledRange(float[] data, boolean inverse, int from, int to) {
        transformRange(data, from, to, inverse);
        if (inverse) {
            float scale = 1.0f / n;
            for (int i = 2 * n * from; i < 2 * n * to; i++) {
                data[i] *= scale;
            }
        }
    }

    @Override
    protected final void doForwardReal(float[] in, float[] out, int batch) {
        real(in, out, false, batch);
    }

    @Override
    protected final void doInverseReal(float[] in, float[] out, int batch) {
        real(in, out, true, batch);
    }

    private void real(float[] in, float[] out, boolean inverse, int batch) {
        Parallel.Args a = Parallel.args().floats(in, out).flag(inverse);
        Parallel.run(Parallel.parts(batch, workPerTransform / 2), batch, a, real);
    }

    private final Parallel.Body real = (a, from, to) -> realRange(a.f0, a.f1, a.b0, from, to);

    private void realRange(float[] in, float[] out, boolean inverse, int from, int to) {
        float[] scratch = ScratchPool.floats(realScratchFloats());
        int bins = 2 * (n / 2 + 1);
        try {
            float scale = 1.0f / n;
            for (int b = from; b < to; b++) {
                if (inverse) {
                    inverseReal(in, b * bins, out, b * n, scratch);
                    for (int i = b * n; i < (b + 1) * n; i++) {
                        out[i] *= scale;
                    }
                } else {
                    forwardReal(in, b * n, out, b * bins, scratch);
                }
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }
}
