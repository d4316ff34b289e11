package dev.seqmix.simd;

import dev.seqmix.internal.fft.FftCore;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Circular convolutions of power-of-two size N on one vector's worth of independent complex columns at once,
 * lanes = columns: the engine of the simd Toeplitz product and kernelized RPE attention. Data is split
 * real/imaginary, {@code [N][lanes]} row-major (row j holds element j of every column), in two planes
 * {@link #plane} floats apart. Every butterfly is a scalar radix-4 (or radix-2) butterfly on whole rows with a
 * broadcast twiddle: one vector a row, no shuffles, no loop over columns (a loop run once per row cost C2's loop
 * overhead on every butterfly, 2.3x at N = 2048).
 *
 * <p>Nobody reads the spectrum in natural order, so nothing is reordered: the forward transform is a
 * decimation in frequency in place (natural order in, base-4 digit-reversed order out), the coefficients' spectrum
 * is computed by the same transform (so it lies in the same order), and the inverse is the exact mirror, a
 * decimation in time that takes the digit-reversed spectrum back to natural order. In place means two planes
 * instead of the four a Stockham transform ping-pongs between, and it makes the transform cache-blockable: after
 * a forward pass of span L the data falls into four independent spans of L/4, so the convolution runs depth
 * first: a span's forward pass, its four quarters to the end, its inverse pass. A span that fits L2 is read from
 * L2 by all its passes, and a span of at most {@link #blockRows} (32 KiB, L1) runs its remaining forward passes,
 * the spectrum product and the inverse's first passes in one go. Only the passes of spans larger than L2 stream
 * the buffer from further out. The convolution's input has its upper half zero (a Toeplitz block
 * of n rows in a circulant of N >= 2n - 1) and only its lower half is read back, so the first forward pass reads
 * half the rows and the last inverse pass writes half.
 *
 * <p>The planes lie a cache line more than a power of two bytes apart: planes a power of two apart put a pass's
 * loads and stores at the same address modulo 4 KiB, which the core takes for a dependence (4K aliasing, 20-29 %
 * of a transform when measured). The butterflies are written out in each pass, not shared through a helper: a
 * helper taking vectors boxes them whenever C2 does not inline it (docs/design.md).
 */
final class LaneFft {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    /** Floats between one plane's end and the next plane's start: one cache line. */
    private static final int PLANE_PAD = 16;
    /** Bytes of a block that stays in L1 through its inner passes (both planes): 32 KiB, L1 on every x86 since 2011. */
    private static final int BLOCK_BYTES = 32 * 1024;
    private final int size;
    /** The forward passes' spans, largest first: N, N/4, ... down to 4, then 2 when log2 N is odd. */
    private final int[] spans;
    /** Passes of span above the block: they run over the whole buffer. */
    private final int bigPasses;
    /** exp(-2 pi i m / N) for m in [0, N), computed in double and rounded once. */
    private final float[] cos;
    private final float[] sin;

    LaneFft(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size: expected a power of two, got " + size);
        }
        this.size = size;
        int log = Integer.numberOfTrailingZeros(size);
        this.spans = new int[(log + 1) / 2];
        for (int p = 0, span = size; p < spans.length; p++, span /= 4) {
            spans[p] = span;
        }
        int big = 0;
        while (big < spans.length && spans[big] > blockRows()) {
            big++;
        }
        this.bigPasses = big;
        this.cos = new float[size];
        this.sin = new float[size];
        double[] cs = new double[2];
        for (int m = 0; m < size; m++) {
            // the shared twiddle of every backend: exact reduction to the first octant, then cos/sin in double
            FftCore.unitRoot(m, size, cs);
            cos[m] = (float) cs[0];
            sin[m] = (float) -cs[1];
        }
    }

    /** Rows of a block that stays in L1: 256 on 16 lanes, 512 on 8. */
    static int blockRows() {
        return BLOCK_BYTES / (2 * Float.BYTES * FS.length());
    }

    int size() {
        return size;
    }

    /** Rows of the input {@link #convolve} reads and of the output it leaves: N / 2, or 1 when N = 1. */
    int inputRows() {
        return Math.max(1, size / 2);
    }

    /** Floats from one plane's start to the next: {@code N x lanes} and a cache line. */
    int plane() {
        return size * FS.length() + PLANE_PAD;
    }

    /** Floats of the buffer the transforms work in: two planes of {@code N x lanes}, {@link #plane} apart. */
    int bufferFloats() {
        return 2 * plane();
    }

    /**
     * The forward transform in place of the {@code lanes} columns in {@code buf} (real parts in plane 0, imaginary
     * parts in plane 1, all N rows), {@code exp(-2 pi i jk/N)}, unscaled, its output in digit-reversed order: the
     * order {@link #convolve} expects a spectrum in.
     */
    void forward(float[] buf) {
        int plane = plane();
        for (int span : spans) {
            for (int base = 0; base < size; base += span) {
                forwardPass(buf, plane, base, span, 0);
            }
        }
    }

    /**
     * The circular convolution in place of the {@code lanes} columns in {@code buf} (the {@link #inputRows} rows of
     * both planes, N/2 (1 when N = 1); the rows above are taken as zero and not read) with the sequence whose {@link #forward} spectrum, scaled by
     * 1/N, is {@code spec[specOff + f] + i spec[specOff + N + f]}. The same rows of both planes then hold the
     * result; the rows above are left undefined.
     */
    void convolve(float[] buf, float[] spec, int specOff) {
        int plane = plane();
        if (size < 4) {
            // no radix-4 pass to take the zero half: N = 1 (n = 1) or 2 (never a circulant size)
            int lanes = FS.length();
            java.util.Arrays.fill(buf, inputRows() * lanes, size * lanes, 0f);
            java.util.Arrays.fill(buf, plane + inputRows() * lanes, plane + size * lanes, 0f);
            forward(buf);
            multiply(buf, plane, 0, size, spec, specOff);
            if (size == 2) {
                inverseRadix2(buf, plane, 0);
            }
            return;
        }
        convolve(buf, spec, specOff, null, null, 0, null, plane, 0, 0);
    }

    /**
     * {@link #convolve(float[], float[], int)} of {@code buf}, with a second block of columns, {@code other} (laid
     * out as {@code buf}, its upper half likewise zero), transformed forward alongside: before {@code buf}'s
     * spectrum is multiplied, {@code corr[f] += conj(BUF[f]) * OTHER[f]} for every row f of both planes of the
     * (digit-reversed) spectra. The inverse of {@code corr} ({@link #inverse}) is then the cross-correlation
     * {@code sum_i buf[i] other[i + t]} at row {@code t mod N}, summed over the rows' columns: the gradient of a
     * convolution's coefficients. {@code other} is left holding its spectrum.
     */
    void convolveCorrelate(float[] buf, float[] other, float[] corr, float[] spec, int specOff) {
        if (size < 4) {
            smallPair(buf, spec, specOff, other, null, 0, corr);
            return;
        }
        convolve(buf, spec, specOff, other, null, 0, corr, plane(), 0, 0);
    }

    /** {@link #convolvePair} (or, {@code otherSpec} null, {@link #convolveCorrelate}) for N below 4: whole rows. */
    private void smallPair(float[] buf, float[] spec, int specOff, float[] other, float[] otherSpec, int otherSpecOff,
                           float[] corr) {
        int plane = plane();
        int lanes = FS.length();
        int from = inputRows() * lanes;
        java.util.Arrays.fill(buf, from, size * lanes, 0f);
        java.util.Arrays.fill(buf, plane + from, plane + size * lanes, 0f);
        java.util.Arrays.fill(other, from, size * lanes, 0f);
        java.util.Arrays.fill(other, plane + from, plane + size * lanes, 0f);
        forward(buf);
        forward(other);
        correlate(buf, other, corr, plane, 0, size);
        multiply(buf, plane, 0, size, spec, specOff);
        if (otherSpec != null) {
            multiply(other, plane, 0, size, otherSpec, otherSpecOff);
        }
        if (size == 2) {
            inverseRadix2(buf, plane, 0);
            if (otherSpec != null) {
                inverseRadix2(other, plane, 0);
            }
        }
    }

    /**
     * {@link #convolveCorrelate} with {@code other} convolved too, with its own spectrum ({@code otherSpec} at
     * {@code otherSpecOff}), in the same depth-first walk: both blocks' products and the correlation of their spectra
     * for the price of one pass over the data. Rows below {@link #inputRows} of both hold their results.
     */
    void convolvePair(float[] buf, float[] spec, int specOff, float[] other, float[] otherSpec, int otherSpecOff,
                      float[] corr) {
        if (size < 4) {
            smallPair(buf, spec, specOff, other, otherSpec, otherSpecOff, corr);
            return;
        }
        convolve(buf, spec, specOff, other, otherSpec, otherSpecOff, corr, plane(), 0, 0);
    }

    /**
     * The unscaled inverse of {@link #forward} in place, all N rows: digit-reversed spectrum in, natural order out
     * ({@code exp(+2 pi i jk/N)}).
     */
    void inverse(float[] buf) {
        int plane = plane();
        for (int p = spans.length - 1; p >= 0; p--) {
            int span = spans[p];
            for (int base = 0; base < size; base += span) {
                inversePass(buf, plane, base, span, false);
            }
        }
    }

    /**
     * The convolution of the span {@code spans[p]} at row {@code base}, depth first: its forward pass, the four
     * quarters each to the end, its inverse pass. A span of at most {@link #blockRows} runs its remaining passes
     * in one go ({@link #blockPasses}). Depth first, each pass finds its rows where the previous one left them:
     * a span that fits L2 is read from L2 by all its passes, and only the passes of spans larger than L2 stream
     * the buffer from further out (cache-oblivious, the order of FFTW's recursive plans). {@code other} and
     * {@code corr}: see {@link #convolveCorrelate}; null for a plain convolution.
     */
    private void convolve(float[] buf, float[] spec, int specOff, float[] other, float[] otherSpec,
                          int otherSpecOff, float[] corr, int plane, int base, int p) {
        int span = spans[p];
        if (p >= bigPasses) {
            blockPasses(buf, spec, specOff, other, otherSpec, otherSpecOff, corr, plane, base, span);
            return;
        }
        forwardPass(buf, plane, base, span, p == 0 ? 1 : 0);
        if (other != null) {
            forwardPass(other, plane, base, span, p == 0 ? 1 : 0);
        }
        int quarter = span / 4;
        for (int q = 0; q < 4; q++) {
            convolve(buf, spec, specOff, other, otherSpec, otherSpecOff, corr, plane, base + q * quarter, p + 1);
        }
        inversePass(buf, plane, base, span, p == 0);
        if (otherSpec != null) {
            inversePass(other, plane, base, span, p == 0);
        }
    }

    /**
     * The passes of spans up to {@code block} on rows {@code [base, base + block)}: forward (both blocks), the
     * correlation, the products, inverse (each block that has a spectrum).
     */
    private void blockPasses(float[] buf, float[] spec, int specOff, float[] other, float[] otherSpec,
                             int otherSpecOff, float[] corr, int plane, int base, int block) {
        for (int p = bigPasses; p < spans.length; p++) {
            int span = spans[p];
            for (int b = base; b < base + block; b += span) {
                forwardPass(buf, plane, b, span, p == 0 ? 1 : 0);
                if (other != null) {
                    forwardPass(other, plane, b, span, p == 0 ? 1 : 0);
                }
            }
        }
        if (corr != null) {
            correlate(buf, other, corr, plane, base, block);
        }
        multiply(buf, plane, base, block, spec, specOff);
        if (otherSpec != null) {
            multiply(other, plane, base, block, otherSpec, otherSpecOff);
        }
        for (int p = spans.length - 1; p >= bigPasses; p--) {
            int span = spans[p];
            for (int b = base; b < base + block; b += span) {
                inversePass(buf, plane, b, span, p == 0);
                if (otherSpec != null) {
                    inversePass(other, plane, b, span, p == 0);
                }
            }
        }
    }

    /** {@code corr[f] += conj(a[f]) * b[f]} for rows {@code [base, base + count)} of both planes. */
    private void correlate(float[] a, float[] b, float[] corr, int plane, int base, int count) {
        int lanes = FS.length();
        for (int f = base; f < base + count; f++) {
            int r = f * lanes;
            int i = plane + r;
            FloatVector ar = FloatVector.fromArray(FS, a, r);
            FloatVector ai = FloatVector.fromArray(FS, a, i);
            FloatVector br = FloatVector.fromArray(FS, b, r);
            FloatVector bi = FloatVector.fromArray(FS, b, i);
            // re: ar br + ai bi; im: ar bi - ai br
            ar.fma(br, ai.fma(bi, FloatVector.fromArray(FS, corr, r))).intoArray(corr, r);
            ar.fma(bi, FloatVector.fromArray(FS, corr, i).sub(ai.mul(br))).intoArray(corr, i);
        }
    }

    /**
     * One forward pass of span {@code span} on rows {@code [base, base + span)}: radix 4 ({@code upperZero} 1: the
     * upper half of the span is zero and not read), or radix 2 for span 2 (no twiddles).
     */
    private void forwardPass(float[] buf, int plane, int base, int span, int upperZero) {
        if (span == 2) {
            radix2(buf, plane, base);
        } else if (upperZero == 1) {
            forwardHalfZero(buf, plane, base, span);
        } else {
            forwardRadix4(buf, plane, base, span);
        }
    }

    private void inversePass(float[] buf, int plane, int base, int span, boolean lowerHalfOut) {
        if (span == 2) {
            inverseRadix2(buf, plane, base);
        } else {
            inverseRadix4(buf, plane, base, span, lowerHalfOut);
        }
    }

    /**
     * Decimation in frequency, radix 4, span L: rows {@code base + j + q L/4} (q = 0..3) go through the 4-point DFT
     * and output q is multiplied by {@code w^(qj)}, {@code w = exp(-2 pi i / L)}, in place.
     */
    private void forwardRadix4(float[] buf, int plane, int base, int span) {
        int lanes = FS.length();
        int quarter = span / 4;
        int step = size / span;
        int e = quarter * lanes;
        for (int j = 0; j < quarter; j++) {
            int r = (base + j) * lanes;
            int i = plane + r;
            FloatVector a0r = FloatVector.fromArray(FS, buf, r);
            FloatVector a0i = FloatVector.fromArray(FS, buf, i);
            FloatVector a1r = FloatVector.fromArray(FS, buf, r + e);
            FloatVector a1i = FloatVector.fromArray(FS, buf, i + e);
            FloatVector a2r = FloatVector.fromArray(FS, buf, r + 2 * e);
            FloatVector a2i = FloatVector.fromArray(FS, buf, i + 2 * e);
            FloatVector a3r = FloatVector.fromArray(FS, buf, r + 3 * e);
            FloatVector a3i = FloatVector.fromArray(FS, buf, i + 3 * e);
            FloatVector s02r = a0r.add(a2r);
            FloatVector s02i = a0i.add(a2i);
            FloatVector d02r = a0r.sub(a2r);
            FloatVector d02i = a0i.sub(a2i);
            FloatVector s13r = a1r.add(a3r);
            FloatVector s13i = a1i.add(a3i);
            FloatVector d13r = a1r.sub(a3r);
            FloatVector d13i = a1i.sub(a3i);
            int m = j * step;
            float w1r = cos[m];
            float w1i = sin[m];
            float w2r = cos[2 * m];
            float w2i = sin[2 * m];
            float w3r = cos[3 * m];
            float w3i = sin[3 * m];
            s02r.add(s13r).intoArray(buf, r);
            s02i.add(s13i).intoArray(buf, i);
            // y1 = d02 - i d13, y2 = s02 - s13, y3 = d02 + i d13, each times its twiddle
            FloatVector yr = d02r.add(d13i);
            FloatVector yi = d02i.sub(d13r);
            yr.mul(w1r).sub(yi.mul(w1i)).intoArray(buf, r + e);
            yr.mul(w1i).add(yi.mul(w1r)).intoArray(buf, i + e);
            yr = s02r.sub(s13r);
            yi = s02i.sub(s13i);
            yr.mul(w2r).sub(yi.mul(w2i)).intoArray(buf, r + 2 * e);
            yr.mul(w2i).add(yi.mul(w2r)).intoArray(buf, i + 2 * e);
            yr = d02r.sub(d13i);
            yi = d02i.add(d13r);
            yr.mul(w3r).sub(yi.mul(w3i)).intoArray(buf, r + 3 * e);
            yr.mul(w3i).add(yi.mul(w3r)).intoArray(buf, i + 3 * e);
        }
    }

    /** {@link #forwardRadix4} with rows {@code q = 2, 3} zero: the 4-point DFT of (a0, a1, 0, 0), half the loads. */
    private void forwardHalfZero(float[] buf, int plane, int base, int span) {
        int lanes = FS.length();
        int quarter = span / 4;
        int step = size / span;
        int e = quarter * lanes;
        for (int j = 0; j < quarter; j++) {
            int r = (base + j) * lanes;
            int i = plane + r;
            FloatVector a0r = FloatVector.fromArray(FS, buf, r);
            FloatVector a0i = FloatVector.fromArray(FS, buf, i);
            FloatVector a1r = FloatVector.fromArray(FS, buf, r + e);
            FloatVector a1i = FloatVector.fromArray(FS, buf, i + e);
            int m = j * step;
            float w1r = cos[m];
            float w1i = sin[m];
            float w2r = cos[2 * m];
            float w2i = sin[2 * m];
            float w3r = cos[3 * m];
            float w3i = sin[3 * m];
            a0r.add(a1r).intoArray(buf, r);
            a0i.add(a1i).intoArray(buf, i);
            // y1 = a0 - i a1, y2 = a0 - a1, y3 = a0 + i a1, each times its twiddle
            FloatVector yr = a0r.add(a1i);
            FloatVector yi = a0i.sub(a1r);
            yr.mul(w1r).sub(yi.mul(w1i)).intoArray(buf, r + e);
            yr.mul(w1i).add(yi.mul(w1r)).intoArray(buf, i + e);
            yr = a0r.sub(a1r);
            yi = a0i.sub(a1i);
            yr.mul(w2r).sub(yi.mul(w2i)).intoArray(buf, r + 2 * e);
            yr.mul(w2i).add(yi.mul(w2r)).intoArray(buf, i + 2 * e);
            yr = a0r.sub(a1i);
            yi = a0i.add(a1r);
            yr.mul(w3r).sub(yi.mul(w3i)).intoArray(buf, r + 3 * e);
            yr.mul(w3i).add(yi.mul(w3r)).intoArray(buf, i + 3 * e);
        }
    }

    /**
     * The mirror of {@link #forwardRadix4}, unscaled: rows q = 1..3 multiplied by {@code conj(w^(qj))}, then the
     * inverse 4-point DFT ({@code exp(+2 pi i / 4)}), in place; with {@code lowerHalf} only rows q = 0, 1 written.
     */
    private void inverseRadix4(float[] buf, int plane, int base, int span, boolean lowerHalf) {
        int lanes = FS.length();
        int quarter = span / 4;
        int step = size / span;
        int e = quarter * lanes;
        for (int j = 0; j < quarter; j++) {
            int r = (base + j) * lanes;
            int i = plane + r;
            int m = j * step;
            float w1r = cos[m];
            float w1i = sin[m];
            float w2r = cos[2 * m];
            float w2i = sin[2 * m];
            float w3r = cos[3 * m];
            float w3i = sin[3 * m];
            FloatVector y0r = FloatVector.fromArray(FS, buf, r);
            FloatVector y0i = FloatVector.fromArray(FS, buf, i);
            FloatVector tr = FloatVector.fromArray(FS, buf, r + e);
            FloatVector ti = FloatVector.fromArray(FS, buf, i + e);
            FloatVector y1r = tr.mul(w1r).add(ti.mul(w1i));
            FloatVector y1i = ti.mul(w1r).sub(tr.mul(w1i));
            tr = FloatVector.fromArray(FS, buf, r + 2 * e);
            ti = FloatVector.fromArray(FS, buf, i + 2 * e);
            FloatVector y2r = tr.mul(w2r).add(ti.mul(w2i));
            FloatVector y2i = ti.mul(w2r).sub(tr.mul(w2i));
            tr = FloatVector.fromArray(FS, buf, r + 3 * e);
            ti = FloatVector.fromArray(FS, buf, i + 3 * e);
            FloatVector y3r = tr.mul(w3r).add(ti.mul(w3i));
            FloatVector y3i = ti.mul(w3r).sub(tr.mul(w3i));
            FloatVector s02r = y0r.add(y2r);
            FloatVector s02i = y0i.add(y2i);
            FloatVector d02r = y0r.sub(y2r);
            FloatVector d02i = y0i.sub(y2i);
            FloatVector s13r = y1r.add(y3r);
            FloatVector s13i = y1i.add(y3i);
            FloatVector d13r = y1r.sub(y3r);
            FloatVector d13i = y1i.sub(y3i);
            // a0 = s02 + s13, a1 = d02 + i d13, a2 = s02 - s13, a3 = d02 - i d13
            s02r.add(s13r).intoArray(buf, r);
            s02i.add(s13i).intoArray(buf, i);
            d02r.sub(d13i).intoArray(buf, r + e);
            d02i.add(d13r).intoArray(buf, i + e);
            if (!lowerHalf) { // the last pass of a convolution: rows q = 2, 3 (the upper half) are never read
                d02r.add(d13i).intoArray(buf, r + 3 * e);
                d02i.sub(d13r).intoArray(buf, i + 3 * e);
                s02r.sub(s13r).intoArray(buf, r + 2 * e);
                s02i.sub(s13i).intoArray(buf, i + 2 * e);
            }
        }
    }

    /** The forward radix-2 pass of span 2 (its twiddle is 1): rows base, base + 1 become their sum and difference. */
    private void radix2(float[] buf, int plane, int base) {
        int lanes = FS.length();
        int r = base * lanes;
        int i = plane + r;
        FloatVector a0r = FloatVector.fromArray(FS, buf, r);
        FloatVector a0i = FloatVector.fromArray(FS, buf, i);
        FloatVector a1r = FloatVector.fromArray(FS, buf, r + lanes);
        FloatVector a1i = FloatVector.fromArray(FS, buf, i + lanes);
        a0r.add(a1r).intoArray(buf, r);
        a0i.add(a1i).intoArray(buf, i);
        a0r.sub(a1r).intoArray(buf, r + lanes);
        a0i.sub(a1i).intoArray(buf, i + lanes);
    }

    /** The inverse of {@link #radix2}, unscaled: the same sum and difference. */
    private void inverseRadix2(float[] buf, int plane, int base) {
        radix2(buf, plane, base);
    }

    /** Rows {@code [base, base + count)} of both planes times the spectrum's rows at the same positions. */
    private void multiply(float[] buf, int plane, int base, int count, float[] spec, int specOff) {
        int lanes = FS.length();
        for (int f = base; f < base + count; f++) {
            float sr = spec[specOff + f];
            float si = spec[specOff + size + f];
            int at = f * lanes;
            FloatVector re = FloatVector.fromArray(FS, buf, at);
            FloatVector im = FloatVector.fromArray(FS, buf, plane + at);
            re.mul(sr).sub(im.mul(si)).intoArray(buf, at);
            re.mul(si).add(im.mul(sr)).intoArray(buf, plane + at);
        }
    }
}
