package dev.seqmix.simd;

import dev.seqmix.internal.fft.FftCore;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Power-of-two complex FFTs of one vector's worth of independent columns at once, lanes = columns. Data is
 * split real/imaginary, {@code [N][lanes]} row-major: row j holds element j of every column. One vector a row,
 * no loop over columns: a loop that runs once per row cost C2's loop overhead on every butterfly (the transform
 * took 2.3x as long at N = 2048). Each butterfly is a scalar radix-2/4 butterfly on whole rows with a broadcast
 * twiddle, so no shuffles are needed. Stockham autosort: passes ping-pong between the data and a
 * scratch buffer, and the result lands back in the data. The four planes lie {@link #plane} floats apart, a
 * cache line more than {@code N x lanes}: planes a power of two bytes apart put a pass's loads and stores at the
 * same address modulo 4 KiB, which the core takes for a dependence (4K aliasing) and which made every transform
 * 20-29 % slower.
 */
final class LaneFft {
    /** The backend's species, a constant so that C2 compiles the vector code to vector instructions. */
    private static final VectorSpecies<Float> FS = SimdSupport.SPECIES;
    /** Floats between one plane's end and the next plane's start: one cache line. */
    private static final int PLANE_PAD = 16;
    private final int size;
    private final int log;
    /** exp(-2 pi i m / N) for m in [0, N), computed in double and rounded once. */
    private final float[] cos;
    private final float[] sin;

    LaneFft(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size: expected a power of two, got " + size);
        }
        this.size = size;
        this.log = Integer.numberOfTrailingZeros(size);
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

    int size() {
        return size;
    }

    /** Floats from one plane's start to the next: {@code N x lanes} and a cache line. */
    int plane() {
        return size * FS.length() + PLANE_PAD;
    }

    /** Floats of the buffer {@link #transform} works in: four planes of {@code N x lanes}, {@link #plane} apart. */
    int bufferFloats() {
        return 4 * plane();
    }

    /**
     * In-place transforms of {@code lanes} columns held in {@code buf}: real parts in plane 0
     * ({@code buf[0 .. N*lanes)}, {@code [N][lanes]}), imaginary parts in plane 1 (from {@code plane()});
     * planes 2 and 3 are scratch.
     * Forward uses {@code exp(-2 pi i jk/N)}, inverse {@code exp(+...)}, both unscaled.
     */
    void transform(float[] buf, boolean inverse) {
        transform(buf, inverse, null, 0);
    }

    /**
     * {@link #transform(float[], boolean)} of the input with every row f first multiplied by the complex
     * {@code spec[specOff + f] + i spec[specOff + N + f]}: the product folded into the first pass saves the
     * separate pass over both planes, with the same operations in the same order (the same bits). {@code spec}
     * null: no product.
     */
    void transform(float[] buf, boolean inverse, float[] spec, int specOff) {
        int plane = plane();
        if (spec != null && log < 2) {
            multiply(buf, plane, spec, specOff); // no radix-4 pass to fold it into
            spec = null;
        }
        int ar = 0;
        int ai = plane;
        int br = 2 * plane;
        int bi = 3 * plane;
        int stride = 1; // Ns: length of the sub-transforms already done
        int pass = 0;
        int remaining = log;
        while (remaining > 0) {
            if (remaining >= 2 && spec != null && stride == 1) {
                radix4Spectrum(buf, ar, ai, br, bi, inverse, spec, specOff);
                stride *= 4;
                remaining -= 2;
            } else if (remaining >= 2) {
                radix4(buf, ar, ai, br, bi, stride, inverse);
                stride *= 4;
                remaining -= 2;
            } else {
                radix2(buf, ar, ai, br, bi, stride, inverse);
                stride *= 2;
                remaining -= 1;
            }
            int t = ar;
            ar = br;
            br = t;
            t = ai;
            ai = bi;
            bi = t;
            pass++;
        }
        if (pass % 2 == 1) {
            System.arraycopy(buf, ar, buf, 0, plane);
            System.arraycopy(buf, ai, buf, plane, plane);
        }
    }

    /** One radix-2 Stockham pass: {@code out[(j/Ns)*2Ns + k (+ Ns)] = a +- w b}, w = exp(-2 pi i k / 2Ns). */
    private void radix2(float[] buf, int ar, int ai, int br, int bi, int ns, boolean inverse) {
        int half = size / 2;
        int twStep = size / (2 * ns);
        int lanes = FS.length();
        for (int j = 0; j < half; j++) {
            int k = j % ns;
            float wr = cos[k * twStep];
            float wi = inverse ? -sin[k * twStep] : sin[k * twStep];
            int a = j * lanes;
            int b = (j + half) * lanes;
            int out = ((j / ns) * 2 * ns + k) * lanes;
            int out2 = out + ns * lanes;
            FloatVector xr = FloatVector.fromArray(FS, buf, ar + a);
            FloatVector xi = FloatVector.fromArray(FS, buf, ai + a);
            FloatVector yr0 = FloatVector.fromArray(FS, buf, ar + b);
            FloatVector yi0 = FloatVector.fromArray(FS, buf, ai + b);
            FloatVector yr = yr0.mul(wr).sub(yi0.mul(wi));
            FloatVector yi = yr0.mul(wi).add(yi0.mul(wr));
            xr.add(yr).intoArray(buf, br + out);
            xi.add(yi).intoArray(buf, bi + out);
            xr.sub(yr).intoArray(buf, br + out2);
            xi.sub(yi).intoArray(buf, bi + out2);
        }
    }

    /**
     * One radix-4 Stockham pass: inputs {@code j + q N/4} (q = 0..3) twiddled by {@code w^q},
     * {@code w = exp(-2 pi i k / 4Ns)}, a 4-point DFT, outputs at {@code (j/Ns)*4Ns + k + q Ns}.
     */
    private void radix4(float[] buf, int ar, int ai, int br, int bi, int ns, boolean inverse) {
        int quarter = size / 4;
        int twStep = size / (4 * ns);
        int lanes = FS.length();
        float sign = inverse ? -1f : 1f;
        for (int j = 0; j < quarter; j++) {
            int k = j % ns;
            int m = k * twStep;
            float w1r = cos[m];
            float w1i = sign * sin[m];
            float w2r = cos[2 * m];
            float w2i = sign * sin[2 * m];
            float w3r = cos[3 * m];
            float w3i = sign * sin[3 * m];
            int i0 = j * lanes;
            int i1 = (j + quarter) * lanes;
            int i2 = (j + 2 * quarter) * lanes;
            int i3 = (j + 3 * quarter) * lanes;
            int o0 = ((j / ns) * 4 * ns + k) * lanes;
            int o1 = o0 + ns * lanes;
            int o2 = o1 + ns * lanes;
            int o3 = o2 + ns * lanes;
            FloatVector x0r = FloatVector.fromArray(FS, buf, ar + i0);
            FloatVector x0i = FloatVector.fromArray(FS, buf, ai + i0);
            FloatVector t1r = FloatVector.fromArray(FS, buf, ar + i1);
            FloatVector t1i = FloatVector.fromArray(FS, buf, ai + i1);
            FloatVector t2r = FloatVector.fromArray(FS, buf, ar + i2);
            FloatVector t2i = FloatVector.fromArray(FS, buf, ai + i2);
            FloatVector t3r = FloatVector.fromArray(FS, buf, ar + i3);
            FloatVector t3i = FloatVector.fromArray(FS, buf, ai + i3);
            FloatVector x1r = t1r.mul(w1r).sub(t1i.mul(w1i));
            FloatVector x1i = t1r.mul(w1i).add(t1i.mul(w1r));
            FloatVector x2r = t2r.mul(w2r).sub(t2i.mul(w2i));
            FloatVector x2i = t2r.mul(w2i).add(t2i.mul(w2r));
            FloatVector x3r = t3r.mul(w3r).sub(t3i.mul(w3i));
            FloatVector x3i = t3r.mul(w3i).add(t3i.mul(w3r));
            FloatVector s02r = x0r.add(x2r);
            FloatVector s02i = x0i.add(x2i);
            FloatVector d02r = x0r.sub(x2r);
            FloatVector d02i = x0i.sub(x2i);
            FloatVector s13r = x1r.add(x3r);
            FloatVector s13i = x1i.add(x3i);
            FloatVector d13r = x1r.sub(x3r);
            FloatVector d13i = x1i.sub(x3i);
            // forward: X1 = d02 - i d13, X3 = d02 + i d13; inverse swaps the sign of i
            s02r.add(s13r).intoArray(buf, br + o0);
            s02i.add(s13i).intoArray(buf, bi + o0);
            s02r.sub(s13r).intoArray(buf, br + o2);
            s02i.sub(s13i).intoArray(buf, bi + o2);
            if (inverse) {
                d02r.sub(d13i).intoArray(buf, br + o1);
                d02i.add(d13r).intoArray(buf, bi + o1);
                d02r.add(d13i).intoArray(buf, br + o3);
                d02i.sub(d13r).intoArray(buf, bi + o3);
            } else {
                d02r.add(d13i).intoArray(buf, br + o1);
                d02i.sub(d13r).intoArray(buf, bi + o1);
                d02r.sub(d13i).intoArray(buf, br + o3);
                d02i.add(d13r).intoArray(buf, bi + o3);
            }
        }
    }

    /** Multiplies every row f of plane 0 and 1 by {@code spec[specOff + f] + i spec[specOff + N + f]}. */
    private void multiply(float[] buf, int plane, float[] spec, int specOff) {
        int lanes = FS.length();
        for (int f = 0; f < size; f++) {
            float sr = spec[specOff + f];
            float si = spec[specOff + size + f];
            int at = f * lanes;
            FloatVector re = FloatVector.fromArray(FS, buf, at);
            FloatVector im = FloatVector.fromArray(FS, buf, plane + at);
            re.mul(sr).sub(im.mul(si)).intoArray(buf, at);
            re.mul(si).add(im.mul(sr)).intoArray(buf, plane + at);
        }
    }

    /**
     * The first radix-4 pass (Ns = 1, every twiddle 1) with the inputs multiplied by the spectrum, as
     * {@link #multiply} would: inputs {@code j + q N/4}, outputs at {@code 4j + q}. The butterfly is
     * {@link #radix4}'s, written out again: a helper taking vectors can be boxed (docs/design.md).
     */
    private void radix4Spectrum(float[] buf, int ar, int ai, int br, int bi, boolean inverse, float[] spec,
                                int specOff) {
        int quarter = size / 4;
        int lanes = FS.length();
        int e = quarter * lanes;
        int sp = specOff;
        int si = specOff + size;
        for (int j = 0; j < quarter; j++) {
            int in = j * lanes;
            FloatVector re = FloatVector.fromArray(FS, buf, ar + in);
            FloatVector im = FloatVector.fromArray(FS, buf, ai + in);
            float wr = spec[sp + j];
            float wi = spec[si + j];
            FloatVector x0r = re.mul(wr).sub(im.mul(wi));
            FloatVector x0i = re.mul(wi).add(im.mul(wr));
            re = FloatVector.fromArray(FS, buf, ar + in + e);
            im = FloatVector.fromArray(FS, buf, ai + in + e);
            wr = spec[sp + j + quarter];
            wi = spec[si + j + quarter];
            FloatVector x1r = re.mul(wr).sub(im.mul(wi));
            FloatVector x1i = re.mul(wi).add(im.mul(wr));
            re = FloatVector.fromArray(FS, buf, ar + in + 2 * e);
            im = FloatVector.fromArray(FS, buf, ai + in + 2 * e);
            wr = spec[sp + j + 2 * quarter];
            wi = spec[si + j + 2 * quarter];
            FloatVector x2r = re.mul(wr).sub(im.mul(wi));
            FloatVector x2i = re.mul(wi).add(im.mul(wr));
            re = FloatVector.fromArray(FS, buf, ar + in + 3 * e);
            im = FloatVector.fromArray(FS, buf, ai + in + 3 * e);
            wr = spec[sp + j + 3 * quarter];
            wi = spec[si + j + 3 * quarter];
            FloatVector x3r = re.mul(wr).sub(im.mul(wi));
            FloatVector x3i = re.mul(wi).add(im.mul(wr));
            FloatVector s02r = x0r.add(x2r);
            FloatVector s02i = x0i.add(x2i);
            FloatVector d02r = x0r.sub(x2r);
            FloatVector d02i = x0i.sub(x2i);
            FloatVector s13r = x1r.add(x3r);
            FloatVector s13i = x1i.add(x3i);
            FloatVector d13r = x1r.sub(x3r);
            FloatVector d13i = x1i.sub(x3i);
            int o0 = 4 * in;
            s02r.add(s13r).intoArray(buf, br + o0);
            s02i.add(s13i).intoArray(buf, bi + o0);
            s02r.sub(s13r).intoArray(buf, br + o0 + 2 * lanes);
            s02i.sub(s13i).intoArray(buf, bi + o0 + 2 * lanes);
            if (inverse) {
                d02r.sub(d13i).intoArray(buf, br + o0 + lanes);
                d02i.add(d13r).intoArray(buf, bi + o0 + lanes);
                d02r.add(d13i).intoArray(buf, br + o0 + 3 * lanes);
                d02i.sub(d13r).intoArray(buf, bi + o0 + 3 * lanes);
            } else {
                d02r.add(d13i).intoArray(buf, br + o0 + lanes);
                d02i.sub(d13r).intoArray(buf, bi + o0 + lanes);
                d02r.sub(d13i).intoArray(buf, br + o0 + 3 * lanes);
                d02i.add(d13r).intoArray(buf, bi + o0 + 3 * lanes);
            }
        }
    }
}
