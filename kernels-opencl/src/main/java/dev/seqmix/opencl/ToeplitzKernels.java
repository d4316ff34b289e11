package dev.seqmix.opencl;

import dev.seqmix.internal.fft.FftSizes;
import org.jocl.cl_mem;

/**
 * Toeplitz products on the device (toeplitz.cl): direct below {@link #CROSSOVER}, otherwise by the
 * circulant embedding of size N (a power of two >= 2n - 1): one spectrum per matrix, one complex transform
 * per pair of columns (real and imaginary part; the coefficients are real, so the products stay apart),
 * products and inverse transforms without leaving the device.
 */
final class ToeplitzKernels {
    /** Largest n done directly (the scalar backend's crossover). */
    static final int CROSSOVER = 32;

    private final OpenClContext ctx;
    private final FftKernels fft;

    ToeplitzKernels(OpenClContext ctx, FftKernels fft) {
        this.ctx = ctx;
        this.fft = fft;
    }

    void multiply(int batch, int n, int cols, HostData coeffs, HostData x, HostData y) {
        long c = (long) batch * (2L * n - 1);
        long m = (long) batch * n * cols;
        cl_mem cb = ctx.input("coeffs", coeffs, c);
        cl_mem xb = ctx.input("x", x, m);
        cl_mem yb = ctx.output("out", y, m);
        if (n <= CROSSOVER) {
            ctx.kernel("toeplitz", "toeplitz_direct").mem(cb).mem(xb).mem(yb).i(n).i(cols).run(cols, n, batch);
        } else {
            int big = FftSizes.convolution(n);
            long spectra = (long) batch * big;
            long pairs = (long) batch * ((cols + 1) / 2);
            long columns = pairs * big;
            cl_mem cs = ctx.buffers.get("toeplitz.c", spectra * 8);
            cl_mem cs2 = ctx.buffers.get("toeplitz.c2", spectra * 8);
            cl_mem xs = ctx.buffers.get("toeplitz.x", columns * 8);
            cl_mem xs2 = ctx.buffers.get("toeplitz.x2", columns * 8);
            ctx.kernel("toeplitz", "toeplitz_embed_coeffs").mem(cb).mem(cs).i(n).i(big).run(big, batch);
            cl_mem spec = fft.powerOfTwo(cs, cs2, big, batch, false);
            ctx.kernel("toeplitz", "toeplitz_embed_x").mem(xb).mem(xs).i(n).i(cols).i(big)
                    .run(big, (cols + 1) / 2, batch);
            cl_mem r = fft.powerOfTwo(xs, xs2, big, pairs, false);
            ctx.kernel("toeplitz", "toeplitz_spectrum_mul").mem(r).mem(spec).i(big).i((cols + 1) / 2).run(big, pairs);
            cl_mem r2 = fft.powerOfTwo(r, r == xs ? xs2 : xs, big, pairs, true);
            ctx.kernel("toeplitz", "toeplitz_extract").mem(r2).mem(yb).i(n).i(cols).i(big).f(1.0f / big)
                    .run(cols, n, batch);
        }
        ctx.collect(yb, y, m);
    }
}
