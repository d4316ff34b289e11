package dev.seqmix.scalar;

import dev.seqmix.internal.fft.FftSizes;
import dev.seqmix.internal.fft.FftCore;

/**
 * Products of an {@code n x n} Toeplitz matrix with {@code n x cols} matrices:
 * {@code y[i][k] = sum_j t[(j - i) + n - 1] * x[j][k]}.
 *
 * <p>Above {@link #CROSSOVER} the matrix is embedded in a circulant of size {@code N = 2^ceil(log2(2n-1))}
 * with first column {@code c[m] = t[-m]} ({@code 0 <= m < n}) and {@code c[N-m] = t[m]} ({@code 0 < m < n});
 * {@code y = ifft(fft(c) * fft(x))} restricted to the first n rows. The coefficients' spectrum is
 * computed once per matrix and reused for every column, and two real columns ride in one complex
 * transform (column k as the real part, k+1 as the imaginary part: the spectrum of a real {@code c} is
 * Hermitian, so the two products come back separated in the real and imaginary parts).
 */
final class ToeplitzProduct {
    /** Largest n computed directly; measured with ToeplitzBenchmark (bench/RESULTS.md). */
    static final int CROSSOVER = 32;

    private ToeplitzProduct() {
    }

    static boolean useFft(int n) {
        return n > CROSSOVER;
    }

    /** The circulant size for {@code n}: the smallest power of two at least {@code 2n - 1}. */
    static int circulantSize(int n) {
        return FftSizes.convolution(n);
    }

    /** Direct product, {@code O(n^2 cols)}. */
    static void direct(float[] coeffs, int cOff, int n, int cols, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            int yRow = yOff + i * cols;
            for (int k = 0; k < cols; k++) {
                y[yRow + k] = 0f;
            }
            for (int j = 0; j < n; j++) {
                float c = coeffs[cOff + j - i + n - 1];
                int xRow = xOff + j * cols;
                for (int k = 0; k < cols; k++) {
                    y[yRow + k] += c * x[xRow + k];
                }
            }
        }
    }

    /**
     * The spectrum of the circulant embedding, scaled by {@code 1/N} so that the inverse transform needs
     * no further scaling: {@code spec[0..2N)} interleaved complex.
     */
    static void spectrum(FftCore fft, float[] coeffs, int cOff, int n, float[] spec, float[] fftScratch) {
        spectrum(fft, coeffs, cOff, n, spec, 0, fftScratch, 0);
    }

    /** {@link #spectrum(FftCore, float[], int, int, float[], float[])} into {@code spec[specOff ..]}, scratch at {@code so}. */
    static void spectrum(FftCore fft, float[] coeffs, int cOff, int n, float[] spec, int specOff, float[] fftScratch,
                         int so) {
        int size = fft.size();
        java.util.Arrays.fill(spec, specOff, specOff + 2 * size, 0f);
        float scale = 1.0f / size;
        for (int m = 0; m < n; m++) {
            spec[specOff + 2 * m] = coeffs[cOff + n - 1 - m] * scale;
        }
        for (int m = 1; m < n; m++) {
            spec[specOff + 2 * (size - m)] = coeffs[cOff + n - 1 + m] * scale;
        }
        fft.transform(spec, specOff, false, fftScratch, so);
    }

    /**
     * Columns {@code k0} and {@code k0 + 1} (the latter only if {@code k0 + 1 < cols}) of the product by
     * FFT, given the spectrum from {@link #spectrum}; {@code work} holds {@code 2N} floats.
     */
    static void fftColumnPair(FftCore fft, float[] spec, int n, int cols, int k0, float[] x, int xOff,
                              float[] y, int yOff, float[] work, float[] fftScratch) {
        fftColumnPair(fft, spec, 0, n, cols, k0, x, xOff, y, yOff, work, 0, fftScratch, 0);
    }

    /**
     * {@link #fftColumnPair(FftCore, float[], int, int, int, float[], int, float[], int, float[], float[])} with the
     * spectrum at {@code spec[specOff ..]}, the work row at {@code work[workOff ..]} and the scratch at {@code so}.
     */
    static void fftColumnPair(FftCore fft, float[] spec, int specOff, int n, int cols, int k0, float[] x, int xOff,
                              float[] y, int yOff, float[] work, int workOff, float[] fftScratch, int so) {
        int size = fft.size();
        boolean pair = k0 + 1 < cols;
        loadPair(x, xOff, n, cols, k0, size, work, workOff);
        fft.transform(work, workOff, false, fftScratch, so);
        for (int f = 0; f < size; f++) {
            float ar = work[workOff + 2 * f];
            float ai = work[workOff + 2 * f + 1];
            float br = spec[specOff + 2 * f];
            float bi = spec[specOff + 2 * f + 1];
            work[workOff + 2 * f] = ar * br - ai * bi;
            work[workOff + 2 * f + 1] = ar * bi + ai * br;
        }
        fft.transform(work, workOff, true, fftScratch, so);
        for (int i = 0; i < n; i++) {
            y[yOff + i * cols + k0] = work[workOff + 2 * i];
            if (pair) {
                y[yOff + i * cols + k0 + 1] = work[workOff + 2 * i + 1];
            }
        }
    }

    /**
     * Columns {@code k0} (as real parts) and {@code k0 + 1} (as imaginary parts, zero when it does not exist) of
     * the {@code [n][cols]} matrix at {@code x[xOff ..]} into {@code work[at ..]}, zero-padded to {@code size}.
     */
    static void loadPair(float[] x, int xOff, int n, int cols, int k0, int size, float[] work, int at) {
        boolean pair = k0 + 1 < cols;
        for (int j = 0; j < n; j++) {
            work[at + 2 * j] = x[xOff + j * cols + k0];
            work[at + 2 * j + 1] = pair ? x[xOff + j * cols + k0 + 1] : 0f;
        }
        java.util.Arrays.fill(work, at + 2 * n, at + 2 * size, 0f);
    }
}
