package dev.seqmix.cli.report;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;

/**
 * The Toeplitz product {@code y[i][q] = sum_j coeffs[j - i + n - 1] x[j][q]} by FFT at any n, built from a backend's
 * public real FFT plan: the matrix is embedded in a circulant of size {@code N = 2^ceil(log2(2n - 1))}, the columns
 * of x are transposed into zero-padded rows, transformed in one batched call, multiplied by the circulant's
 * spectrum and transformed back. The backends' own {@code toeplitzMatmul} runs its direct product up to a crossover
 * size and gives no way to force the FFT path below it; this lets the report show the FFT path at every n, so
 * that the crossover can be seen. Buffers are made once: a call allocates nothing.
 */
final class ToeplitzByFft {
    private final int n;
    private final int cols;
    private final int size;
    private final FftPlan plan;
    private final float[] circulant;
    private final float[] circulantSpectrum;
    private final float[] columns;
    private final float[] spectra;
    private final float[] products;

    ToeplitzByFft(Kernels k, int n, int cols) {
        this.n = n;
        this.cols = cols;
        this.size = Math.max(2, Integer.highestOneBit(Math.max(1, 2 * n - 1) - 1) << 1);
        this.plan = k.fftPlan(size);
        int bins = size / 2 + 1;
        circulant = new float[size];
        circulantSpectrum = new float[2 * bins];
        columns = new float[cols * size]; // rows j >= n stay zero: the padding
        spectra = new float[cols * 2 * bins];
        products = new float[cols * size];
    }

    /** The circulant size N. */
    int circulantSize() {
        return size;
    }

    void multiply(float[] coeffs, float[] x, float[] y) {
        // first column of the circulant: h[m] = coeffs[n - 1 - m] (m = i - j >= 0), h[N - m] = coeffs[n - 1 + m]
        for (int m = 0; m < n; m++) {
            circulant[m] = coeffs[n - 1 - m];
        }
        for (int m = 1; m < n; m++) {
            circulant[size - m] = coeffs[n - 1 + m];
        }
        plan.forwardReal(circulant, circulantSpectrum, 1);
        for (int j = 0; j < n; j++) {
            for (int q = 0; q < cols; q++) {
                columns[q * size + j] = x[j * cols + q];
            }
        }
        plan.forwardReal(columns, spectra, cols);
        float[] c = circulantSpectrum;
        for (int q = 0; q < cols; q++) { // spectrum of column q times the circulant's, bin by bin (complex)
            for (int i = q * c.length, j = 0; j < c.length; i += 2, j += 2) {
                float re = spectra[i];
                spectra[i] = re * c[j] - spectra[i + 1] * c[j + 1];
                spectra[i + 1] = re * c[j + 1] + spectra[i + 1] * c[j];
            }
        }
        plan.inverseReal(spectra, products, cols);
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < cols; q++) {
                y[i * cols + q] = products[q * size + i];
            }
        }
    }
}
