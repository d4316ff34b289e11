package dev.seqmix.internal.fft;

import java.util.Objects;

/**
 * An FFT of one size n. The complex transform is the subclass's; the checked entry points, the scratch sizes
 * and the real transforms built on it are here, shared by the reference {@link FftCore} and the simd backend's
 * FFT: even n through the half-length complex transform and a split (forward) or merge (inverse), odd n through
 * the full complex transform. Conventions: forward {@code exp(-2 pi i jk/n)}, inverse {@code exp(+...)}, both
 * unscaled; interleaved {@code [re, im]}; numpy {@code rfft} layout for the real transforms.
 */
public abstract class FftOfSize {
    /** The transform size. */
    protected final int n;

    protected FftOfSize(int n) {
        this.n = n;
    }

    /** The transform size n. */
    public final int size() {
        return n;
    }

    /** Number of scratch floats {@link #transform} needs. */
    public abstract int scratchFloats();

    /**
     * The complex transform in place on {@code data[off .. off + 2n)}, with its scratch at {@code scratch[so ..]}
     * (inner plans share the caller's scratch). No argument checks: for callers that have validated them.
     */
    public abstract void transform(float[] data, int off, boolean inverse, float[] scratch, int so);

    /** The plan of n/2 for the real transforms of even n (only on plans made with real tables). */
    protected abstract FftOfSize half();

    /** {@link FftCore#splitReal} of this n, or a version with the same bits. */
    protected abstract void split(float[] out, int o);

    /** {@link FftCore#mergeReal} of this n, or a version with the same bits. */
    protected abstract void merge(float[] in, int i0, float[] out, int o);

    /**
     * One complex transform in place on {@code data[off .. off + 2n)} (interleaved pairs),
     * forward ({@code exp(-...)}) or inverse ({@code exp(+...)}), unscaled.
     *
     * @param scratch at least {@link #scratchFloats()} floats; garbage on entry and on exit
     */
    public final void transform(float[] data, int off, boolean inverse, float[] scratch) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(scratch, "scratch");
        Objects.checkFromIndexSize(off, 2 * n, data.length);
        checkScratch(scratch, scratchFloats());
        transform(data, off, inverse, scratch, 0);
    }

    /** Number of scratch floats {@link #forwardReal} and {@link #inverseReal} need. */
    public final int realScratchFloats() {
        if (n == 1) {
            return 0;
        }
        if (n % 2 == 0) {
            return half().scratchFloats();
        }
        return 2 * n + scratchFloats();
    }

    /**
     * Real forward transform: {@code n} reals from {@code in[inOff ..]} to {@code n/2 + 1}
     * interleaved complex bins at {@code out[outOff ..]} (numpy {@code rfft} layout), unscaled.
     *
     * @param scratch at least {@link #realScratchFloats()} floats; garbage on entry and on exit
     */
    public final void forwardReal(float[] in, int inOff, float[] out, int outOff, float[] scratch) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(scratch, "scratch");
        Objects.checkFromIndexSize(inOff, n, in.length);
        Objects.checkFromIndexSize(outOff, 2 * (n / 2 + 1), out.length);
        checkScratch(scratch, realScratchFloats());
        if (n == 1) {
            out[outOff] = in[inOff];
            out[outOff + 1] = 0f;
        } else if (n % 2 == 0) {
            forwardRealEven(in, inOff, out, outOff, scratch);
        } else {
            forwardRealOdd(in, inOff, out, outOff, scratch);
        }
    }

    /**
     * Real inverse transform: {@code n/2 + 1} interleaved complex bins from {@code in[inOff ..]}
     * to {@code n} reals at {@code out[outOff ..]}, unscaled (numpy {@code irfft} times n). The
     * imaginary parts of bin 0 and, for even n, of bin n/2 are ignored. {@code in} is not modified
     * (unless it is {@code out}).
     *
     * @param scratch at least {@link #realScratchFloats()} floats; garbage on entry and on exit
     */
    public final void inverseReal(float[] in, int inOff, float[] out, int outOff, float[] scratch) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(scratch, "scratch");
        Objects.checkFromIndexSize(inOff, 2 * (n / 2 + 1), in.length);
        Objects.checkFromIndexSize(outOff, n, out.length);
        checkScratch(scratch, realScratchFloats());
        if (n == 1) {
            out[outOff] = in[inOff];
        } else if (n % 2 == 0) {
            inverseRealEven(in, inOff, out, outOff, scratch);
        } else {
            inverseRealOdd(in, inOff, out, outOff, scratch);
        }
    }

    /** An {@link IllegalArgumentException} naming {@code scratch} when it is shorter than {@code needed}. */
    protected static void checkScratch(float[] scratch, int needed) {
        if (scratch.length < needed) {
            throw new IllegalArgumentException(
                    "scratch: expected at least " + needed + " floats, got " + scratch.length);
        }
    }

    /**
     * Even n, h = n/2: z[j] = x[2j] + i x[2j+1], Z = DFT_h(z). With E = DFT_h(x_even) and
     * O = DFT_h(x_odd): E[k] = (Z[k] + conj Z[h-k]) / 2, O[k] = (Z[k] - conj Z[h-k]) / 2i,
     * X[k] = E[k] + W^k O[k] and X[h-k] = conj(E[k] - W^k O[k]), W = exp(-2 pi i / n).
     */
    private void forwardRealEven(float[] in, int inOff, float[] out, int o, float[] scratch) {
        System.arraycopy(in, inOff, out, o, n);   // the reals, read as h complex numbers
        half().transform(out, o, false, scratch, 0);
        split(out, o);
    }

    /**
     * Even n, h = n/2: the steps of {@link #forwardRealEven} backwards, without the halves:
     * Z[k] = (X[k] + conj X[h-k]) + i (X[k] - conj X[h-k]) conj(W^k); z = IDFT_h(Z) (unscaled)
     * holds x[2j] + i x[2j+1].
     */
    private void inverseRealEven(float[] in, int i0, float[] out, int o, float[] scratch) {
        merge(in, i0, out, o);
        half().transform(out, o, true, scratch, 0);
    }

    /** Odd n: the full complex transform of the reals, in scratch. */
    private void forwardRealOdd(float[] in, int inOff, float[] out, int o, float[] scratch) {
        for (int j = 0; j < n; j++) {
            scratch[2 * j] = in[inOff + j];
            scratch[2 * j + 1] = 0f;
        }
        transform(scratch, 0, false, scratch, 2 * n);
        System.arraycopy(scratch, 0, out, o, 2 * (n / 2 + 1));
    }

    /** Odd n: the Hermitian extension of the bins, inverted by the full complex transform. */
    private void inverseRealOdd(float[] in, int i0, float[] out, int o, float[] scratch) {
        scratch[0] = in[i0];
        scratch[1] = 0f;
        for (int k = 1; 2 * k < n; k++) {
            float re = in[i0 + 2 * k];
            float im = in[i0 + 2 * k + 1];
            scratch[2 * k] = re;
            scratch[2 * k + 1] = im;
            scratch[2 * (n - k)] = re;
            scratch[2 * (n - k) + 1] = -im;
        }
        transform(scratch, 0, true, scratch, 2 * n);
        for (int j = 0; j < n; j++) {
            out[o + j] = scratch[2 * j];
        }
    }
}
