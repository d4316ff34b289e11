package dev.seqmix.simd;

import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Toeplitz products with columns as lanes. Direct below {@link #CROSSOVER}; above it the circulant
 * embedding of size N (see the scalar backend) with the coefficients' spectrum computed once per matrix
 * and reused for every column. Columns go through {@link LaneFft} in blocks of {@code 2 x lanes}: the
 * first {@code lanes} columns as real parts, the next as imaginary parts (the spectrum of real
 * coefficients is Hermitian, so the two products come back apart).
 */
final class SimdToeplitz {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    /** Largest n computed directly (measured: bench/RESULTS.md). */
    static final int CROSSOVER = 64;

    private SimdToeplitz() {
    }

    static void multiply(int batch, int n, int cols, float[] coeffs, float[] x, float[] y) {
        if (n <= CROSSOVER) {
            Parallel.Args a = Parallel.args().floats(coeffs, x, y).ints(n, cols);
            Parallel.run(Parallel.parts(batch * n, (long) n * cols), batch * n, a, DIRECT);
            return;
        }
        LaneFft fft = LaneFfts.get(LaneFfts.circulantSize(n));
        int size = fft.size();
        int lanes = FS.length();
        float[] spectra = ScratchPool.floats(2 * size * batch);
        try {
            long transformWork = 5L * size * lanes * Integer.numberOfTrailingZeros(size);
            Parallel.Args a = Parallel.args().with(fft).floats(coeffs, spectra).ints(n);
            Parallel.run(Parallel.parts(batch, transformWork), batch, a, SPECTRA);
            int blocks = (cols + 2 * lanes - 1) / (2 * lanes);
            int tasks = batch * blocks;
            a = Parallel.args().with(fft).floats(spectra, x, y).ints(n, cols, blocks);
            Parallel.run(Parallel.parts(tasks, 2 * transformWork), tasks, a, BLOCKS);
        } finally {
            ScratchPool.release(spectra);
        }
    }

    private static final Parallel.Body DIRECT = (a, from, to) -> directRows(a.i0, a.i1, a.f0, a.f1, a.f2, from, to);
    private static final Parallel.Body SPECTRA = (a, from, to) ->
            spectrumRange((LaneFft) a.o0, a.i0, a.f0, a.f1, from, to);
    private static final Parallel.Body BLOCKS = (a, from, to) ->
            blockRange((LaneFft) a.o0, a.i0, a.i1, a.i2, a.f0, a.f1, a.f2, from, to);

    /** Rows {@code [from, to)} of all products ({@code row = b * n + i}), directly. */
    private static void directRows(int n, int cols, float[] coeffs, float[] x, float[] y,
                                   int from, int to) {
        int lanes = FS.length();
        for (int r = from; r < to; r++) {
            int b = r / n;
            int i = r % n;
            int cOff = b * (2 * n - 1) + n - 1 - i;
            int xOff = b * n * cols;
            for (int k = 0; k < cols; k += lanes) {
                VectorMask<Float> m = FS.indexInRange(k, cols);
                FloatVector acc = FloatVector.zero(FS);
                for (int j = 0; j < n; j++) {
                    acc = FloatVector.fromArray(FS, x, xOff + j * cols + k, m).fma(FloatVector.broadcast(FS, coeffs[cOff + j]), acc);
                }
                acc.intoArray(y, r * cols + k, m);
            }
        }
    }

    /**
     * The spectrum of the circulant embedding of {@code t = coeffs[cOff .. cOff + 2n - 1)}, scaled by 1/N,
     * into {@code spec[specOff .. +N)} (real) and {@code spec[specOff + N .. +2N)} (imaginary), in the digit-reversed
     * order of {@link LaneFft#forward}, which {@link LaneFft#convolve} expects. Runs the lane FFT with the
     * coefficients in lane 0; {@code work} holds {@code fft.bufferFloats()} floats.
     */
    static void spectrum(LaneFft fft, float[] coeffs, int cOff, int n, float[] spec,
                         int specOff, float[] work) {
        int size = fft.size();
        int lanes = FS.length();
        int plane = fft.plane();
        java.util.Arrays.fill(work, 0, 2 * plane, 0f);
        float scale = 1.0f / size;
        for (int m = 0; m < n; m++) {
            work[m * lanes] = coeffs[cOff + n - 1 - m] * scale;
        }
        for (int m = 1; m < n; m++) {
            work[(size - m) * lanes] = coeffs[cOff + n - 1 + m] * scale;
        }
        fft.forward(work);
        for (int f = 0; f < size; f++) {
            spec[specOff + f] = work[f * lanes];
            spec[specOff + size + f] = work[plane + f * lanes];
        }
    }

    private static void spectrumRange(LaneFft fft, int n, float[] coeffs, float[] spectra,
                                      int from, int to) {
        float[] work = ScratchPool.floats(fft.bufferFloats());
        try {
            for (int b = from; b < to; b++) {
                spectrum(fft, coeffs, b * (2 * n - 1), n, spectra, 2 * fft.size() * b, work);
            }
        } finally {
            ScratchPool.release(work);
        }
    }

    /**
     * The circulant product of the block whose first {@code n} rows of both planes the caller has filled: zeros
     * after them up to the rows the convolution reads, then {@link LaneFft#convolve} with the spectrum at
     * {@code spec[specOff ..]}. Rows below n of both planes then hold the Toeplitz product of the block's
     * {@code 2 x lanes} columns.
     */
    static void circulantProduct(LaneFft fft, float[] buf, int n, float[] spec, int specOff) {
        int lanes = FS.length();
        int plane = fft.plane();
        int rows = fft.inputRows();
        java.util.Arrays.fill(buf, n * lanes, rows * lanes, 0f);
        java.util.Arrays.fill(buf, plane + n * lanes, plane + rows * lanes, 0f);
        fft.convolve(buf, spec, specOff);
    }

    /**
     * {@code buf[at ..+ lanes) = x[from ..+ valid)}, zeros after. A masked vector load whose full width would run
     * past the array's end is not intrinsified (the Vector API then loads lane by lane into boxed vectors): those
     * rows, at the end of the array, are copied as scalars. The mask is made here, not passed in: a mask handed to
     * a call C2 does not inline is an object.
     */
    private static void load(float[] x, int from, int valid, float[] buf, int at) {
        int lanes = FS.length();
        if (from + lanes <= x.length) {
            FloatVector.fromArray(FS, x, from, FS.indexInRange(0, valid)).intoArray(buf, at);
            return;
        }
        int count = Math.max(0, Math.min(valid, lanes));
        for (int l = 0; l < lanes; l++) {
            buf[at + l] = l < count ? x[from + l] : 0f;
        }
    }

    /** {@code y[to ..+ valid) = buf[at ..)}, by a masked store where its full width fits the array (see load). */
    private static void store(float[] buf, int at, float[] y, int to, int valid) {
        int lanes = FS.length();
        if (to + lanes <= y.length) {
            FloatVector.fromArray(FS, buf, at).intoArray(y, to, FS.indexInRange(0, valid));
            return;
        }
        int count = Math.max(0, Math.min(valid, lanes));
        for (int l = 0; l < count; l++) {
            y[to + l] = buf[at + l];
        }
    }

    private static void blockRange(LaneFft fft, int n, int cols, int blocks, float[] spectra,
                                   float[] x, float[] y, int from, int to) {
        int lanes = FS.length();
        int size = fft.size();
        int plane = fft.plane();
        float[] buf = ScratchPool.floats(fft.bufferFloats());
        try {
            for (int task = from; task < to; task++) {
                int b = task / blocks;
                int k0 = (task % blocks) * 2 * lanes;
                int xOff = b * n * cols;
                for (int j = 0; j < n; j++) {
                    load(x, xOff + j * cols + k0, cols - k0, buf, j * lanes);
                    load(x, xOff + j * cols + k0 + lanes, cols - k0 - lanes, buf, plane + j * lanes);
                }
                circulantProduct(fft, buf, n, spectra, 2 * size * b);
                for (int i = 0; i < n; i++) {
                    store(buf, i * lanes, y, xOff + i * cols + k0, cols - k0);
                    store(buf, plane + i * lanes, y, xOff + i * cols + k0 + lanes, cols - k0 - lanes);
                }
            }
        } finally {
            ScratchPool.release(buf);
        }
    }
}
