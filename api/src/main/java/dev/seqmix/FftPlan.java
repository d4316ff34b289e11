package dev.seqmix;

import java.lang.foreign.MemorySegment;

/**
 * A fast Fourier transform of one size {@code n}, holding its twiddles. Thread-safe and immutable;
 * obtained from {@link Kernels#fftPlan(int)}.
 *
 * <p>Layout: complex data is interleaved, {@code [batch][n][re, im]} ({@code 2 * n * batch} floats).
 * Forward {@code X[k] = sum_j x[j] exp(-2 pi i j k / n)}, unscaled; inverse uses {@code exp(+...)}
 * and is scaled by {@code 1/n} (numpy's default). Real transforms use numpy's {@code rfft} layout:
 * {@code [batch][n/2 + 1][re, im]}.
 *
 * <p>Errors as in {@link Kernels}: null arrays give {@link NullPointerException}, {@code batch < 1}
 * or a wrong length {@link IllegalArgumentException}, use after the owning {@link Kernels} is closed
 * {@link IllegalStateException}.
 */
public interface FftPlan {

    /** The transform size {@code n}. */
    int size();

    /** In-place forward transforms of {@code batch} interleaved complex vectors; {@code data.length == 2*n*batch}. */
    void forward(float[] data, int batch);

    /** In-place inverse transforms, scaled by {@code 1/n}; {@code data.length == 2*n*batch}. */
    void inverse(float[] data, int batch);

    /** Real forward: {@code in} is {@code [batch][n]}, {@code out} is {@code [batch][n/2+1][re,im]}. */
    void forwardReal(float[] in, float[] out, int batch);

    /**
     * Real inverse, scaled by {@code 1/n}: {@code in} is {@code [batch][n/2+1][re,im]}, {@code out} is
     * {@code [batch][n]}. The imaginary parts of bin 0 and, for even n, of bin n/2 are ignored.
     */
    void inverseReal(float[] in, float[] out, int batch);

    /** {@link #forward(float[], int)} on a segment of {@code 2*n*batch} floats. */
    void forward(MemorySegment data, int batch);

    /** {@link #inverse(float[], int)} on a segment of {@code 2*n*batch} floats. */
    void inverse(MemorySegment data, int batch);

    /** {@link #forwardReal(float[], float[], int)} on segments. */
    void forwardReal(MemorySegment in, MemorySegment out, int batch);

    /** {@link #inverseReal(float[], float[], int)} on segments. */
    void inverseReal(MemorySegment in, MemorySegment out, int batch);
}
