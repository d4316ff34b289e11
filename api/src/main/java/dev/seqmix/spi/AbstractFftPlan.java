package dev.seqmix.spi;

import dev.seqmix.FftPlan;
import java.lang.foreign.MemorySegment;

/**
 * Base of every backend's {@link FftPlan}: validates arguments in one place, then calls the protected
 * kernels (see {@link AbstractKernels} for their contract). Segment forms copy into pooled arrays by
 * default.
 */
public abstract class AbstractFftPlan implements FftPlan {
    private static final Operation FORWARD_REAL = new Operation()
            .in("in", 0, "n*batch").out("out", 1, "2*(n/2+1)*batch");
    private static final Operation INVERSE_REAL = new Operation()
            .in("in", 0, "2*(n/2+1)*batch").out("out", 1, "n*batch");
    private final int n;
    private final AbstractKernels owner;

    /**
     * A plan of size {@code n}.
     *
     * @param n     the transform size, valid
     * @param owner the backend that made it: every call checks that it is still open
     */
    protected AbstractFftPlan(int n, AbstractKernels owner) {
        this.n = n;
        this.owner = owner;
    }

    @Override
    public final int size() {
        return n;
    }

    private int complexLength(int batch) {
        owner.ensureOpen();
        Checks.dimension("batch", batch);
        return Checks.elements("2*n*batch", 2, n, batch);
    }

    private int realLength(int batch) {
        owner.ensureOpen();
        Checks.dimension("batch", batch);
        Checks.elements("2*(n/2+1)*batch", 2, n / 2 + 1, batch);
        return Checks.elements("n*batch", n, batch);
    }

    private int spectrumLength(int batch) {
        return 2 * (n / 2 + 1) * batch;
    }

    @Override
    public final void forward(float[] data, int batch) {
        Checks.array("data", data, complexLength(batch), "2*n*batch");
        doTransform(data, batch, false);
    }

    @Override
    public final void inverse(float[] data, int batch) {
        Checks.array("data", data, complexLength(batch), "2*n*batch");
        doTransform(data, batch, true);
    }

    @Override
    public final void forwardReal(float[] in, float[] out, int batch) {
        int len = realLength(batch);
        FORWARD_REAL.arrays(len, spectrumLength(batch), 0, 0, 0, in, out, null, null, null, null, null, null);
        doForwardReal(in, out, batch);
    }

    @Override
    public final void inverseReal(float[] in, float[] out, int batch) {
        int len = realLength(batch);
        INVERSE_REAL.arrays(spectrumLength(batch), len, 0, 0, 0, in, out, null, null, null, null, null, null);
        doInverseReal(in, out, batch);
    }

    @Override
    public final void forward(MemorySegment data, int batch) {
        int len = complexLength(batch);
        Checks.output("data", data, len, "2*n*batch");
        doTransform(data, batch, false);
    }

    @Override
    public final void inverse(MemorySegment data, int batch) {
        int len = complexLength(batch);
        Checks.output("data", data, len, "2*n*batch");
        doTransform(data, batch, true);
    }

    @Override
    public final void forwardReal(MemorySegment in, MemorySegment out, int batch) {
        int len = realLength(batch);
        FORWARD_REAL.segments(len, spectrumLength(batch), 0, 0, 0, in, out, null, null, null, null, null, null);
        doForwardReal(in, out, batch);
    }

    @Override
    public final void inverseReal(MemorySegment in, MemorySegment out, int batch) {
        int len = realLength(batch);
        INVERSE_REAL.segments(spectrumLength(batch), len, 0, 0, 0, in, out, null, null, null, null, null, null);
        doInverseReal(in, out, batch);
    }

    /**
     * In-place complex transforms; the inverse is scaled by {@code 1/n}.
     *
     * @param data    {@code [batch][n][re, im]}, transformed in place
     * @param batch   the number of vectors
     * @param inverse the inverse transform (scaled by {@code 1/n}) instead of the forward one
     */
    protected abstract void doTransform(float[] data, int batch, boolean inverse);

    /**
     * Real forward transforms, {@code [batch][n] -> [batch][n/2+1][re,im]}.
     *
     * @param in    {@code [batch][n]}
     * @param out   output {@code [batch][n/2+1][re,im]}
     * @param batch the number of vectors
     */
    protected abstract void doForwardReal(float[] in, float[] out, int batch);

    /**
     * Real inverse transforms scaled by {@code 1/n}; must not modify {@code in}.
     *
     * @param in    {@code [batch][n/2+1][re,im]}, not modified
     * @param out   output {@code [batch][n]}
     * @param batch the number of vectors
     */
    protected abstract void doInverseReal(float[] in, float[] out, int batch);

    /**
     * The segment form of {@link #doTransform(float[], int, boolean) doTransform}: by default copies into pooled arrays and runs the array form.
     *
     * @param data    {@code [batch][n][re, im]}, transformed in place
     * @param batch   the number of vectors
     * @param inverse the inverse transform (scaled by {@code 1/n}) instead of the forward one
     */
    protected void doTransform(MemorySegment data, int batch, boolean inverse) {
        int per = 2 * n;
        Segments.inChunks(batch, per, (b, nb) -> {
            float[] a = Segments.load(data, (long) b * per, nb * per);
            try {
                doTransform(a, nb, inverse);
                Segments.store(a, data, (long) b * per, nb * per);
            } finally {
                Segments.release(a);
            }
        });
    }

    /**
     * The segment form of {@link #doForwardReal(float[], float[], int) doForwardReal}: by default copies into pooled arrays and runs the array form.
     *
     * @param in    {@code [batch][n]}
     * @param out   output {@code [batch][n/2+1][re,im]}
     * @param batch the number of vectors
     */
    protected void doForwardReal(MemorySegment in, MemorySegment out, int batch) {
        realInChunks(in, out, batch, n, 2 * (n / 2 + 1), false);
    }

    /**
     * The segment form of {@link #doInverseReal(float[], float[], int) doInverseReal}: by default copies into pooled arrays and runs the array form.
     *
     * @param in    {@code [batch][n/2+1][re,im]}, not modified
     * @param out   output {@code [batch][n]}
     * @param batch the number of vectors
     */
    protected void doInverseReal(MemorySegment in, MemorySegment out, int batch) {
        realInChunks(in, out, batch, 2 * (n / 2 + 1), n, true);
    }

    private void realInChunks(MemorySegment in, MemorySegment out, int batch, int perIn, int perOut, boolean inverse) {
        Segments.inChunks(batch, Math.max(perIn, perOut), (b, nb) -> {
            float[] ia = Segments.load(in, (long) b * perIn, nb * perIn);
            float[] oa = Segments.scratch(out, nb * perOut);
            try {
                if (inverse) {
                    doInverseReal(ia, oa, nb);
                } else {
                    doForwardReal(ia, oa, nb);
                }
                Segments.store(oa, out, (long) b * perOut, nb * perOut);
            } finally {
                Segments.release(ia);
                Segments.release(oa);
            }
        });
    }
}
