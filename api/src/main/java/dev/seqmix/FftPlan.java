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

    /** {@return the transform size {@code n}} */
    int size();

    /**
     * In-place forward transforms of {@code batch} interleaved complex vectors.
     *
     * @param data  {@code [batch][n][re, im]}, {@code data.length == 2*n*batch}; overwritten by the spectra
     * @param batch the number of vectors, at least 1
     */
    void forward(float[] data, int batch);

    /**
     * In-place inverse transforms, scaled by {@code 1/n}.
     *
     * @param data  {@code [batch][n][re, im]}, {@code data.length == 2*n*batch}; overwritten by the signals
     * @param batch the number of vectors, at least 1
     */
    void inverse(float[] data, int batch);

    /**
     * Real forward transforms.
     *
     * @param in    {@code [batch][n]}
     * @param out   output {@code [batch][n/2+1][re,im]}
     * @param batch the number of vectors, at least 1
     */
    void forwardReal(float[] in, float[] out, int batch);

    /**
     * Real inverse, scaled by {@code 1/n}: {@code in} is {@code [batch][n/2+1][re,im]}, {@code out} is
     * {@code [batch][n]}. The imaginary parts of bin 0 and, for even n, of bin n/2 are ignored.
     *
     * @param in    {@code [batch][n/2+1][re,im]}
     * @param out   output {@code [batch][n]}
     * @param batch the number of vectors, at least 1
     */
    void inverseReal(float[] in, float[] out, int batch);

    /**
     * {@link #forward(float[], int)} on a segment.
     *
     * @param data  {@code 2*n*batch} floats, transformed in place
     * @param batch the number of vectors, at least 1
     */
    void forward(MemorySegment data, int batch);

    /**
     * {@link #inverse(float[], int)} on a segment.
     *
     * @param data  {@code 2*n*batch} floats, transformed in place
     * @param batch the number of vectors, at least 1
     */
    void inverse(MemorySegment data, int batch);

    /**
     * {@link #forwardReal(float[], float[], int)} on segments.
     *
     * @param in    {@code [batch][n]}
     * @param out   output {@code [batch][n/2+1][re,im]}
     * @param batch the number of vectors, at least 1
     */
    void forwardReal(MemorySegment in, MemorySegment out, int batch);

    /**
     * {@link #inverseReal(float[], float[], int)} on segments.
     *
     * @param in    {@code [batch][n/2+1][re,im]}
     * @param out   output {@code [batch][n]}
     * @param batch the number of vectors, at least 1
     */
    void inverseReal(MemorySegment in, MemorySegment out, int batch);
}
