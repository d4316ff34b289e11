package dev.seqmix.internal.fft;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reference single-precision FFT of one size {@code n} (complex and real), the scalar backend's
 * engine and the yardstick the fast backends are measured against.
 *
 * <p>Conventions (docs/contract.md#fft): forward {@code X[k] = sum_j x[j] exp(-2 pi i j k / n)}, inverse
 * with {@code exp(+...)}; both are <em>unscaled</em> here (the caller multiplies by 1/n). Complex
 * data is interleaved {@code [re, im]} pairs. The real transforms use numpy's {@code rfft} layout
 * (bins 0..n/2).
 *
 * <p>Algorithms:
 * <ul>
 *   <li>n whose prime factors are all in {2, 3, 5, 7}: iterative Stockham autosort, ping-ponging
 *       between the data and the scratch buffer. Passes of radix 4 (and one of radix 2 for an odd
 *       power of two), then radix 3, 5 and 7. Pass {@code p} combines {@code R} sub-transforms of
 *       length {@code L} (the product of the earlier radices) into transforms of length {@code L R}:
 *       <pre>
 *       for j in [0, n/R):  k = j mod L,  b = j / L
 *           v[r] = src[j + r n/R] * w^(k r),   w = exp(e 2 pi i / (L R)),   r in [0, R)
 *           dst[b L R + k + q L] = sum_r v[r] exp(e 2 pi i r q / R),   q in [0, R)
 *       </pre>
 *       with {@code e = -1} forward and {@code +1} inverse. Twiddles are computed in double once
 *       per plan and rounded once to float; the inverse uses their conjugates (by sign), never a
 *       copy of the data.</li>
 *   <li>any other n: Bluestein. With the chirp {@code w[j] = exp(-i pi j^2 / n)} (j^2 reduced mod
 *       2n in long arithmetic), {@code X[k] = w[k] * sum_j (x[j] w[j]) conj(w[k - j])}: a cyclic
 *       convolution of length {@code M >= 2n - 1}, {@code M} a power of two, done by an inner
 *       {@code FftCore} of size M against the chirp filter's spectrum, which is computed once in
 *       double precision (and scaled by 1/M) in the constructor. The inverse uses
 *       {@code IDFT(x) = conj(DFT(conj(x)))}.</li>
 *   <li>real transforms, even n: the n reals are read as n/2 complex numbers, transformed by a
 *       half-length {@code FftCore}, and split into the spectrum with the twiddles
 *       {@code exp(-2 pi i k / n)}; the inverse runs the same steps backwards. Odd n: through the
 *       complex transform of size n, in scratch.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe. The transform methods allocate nothing: all work
 * memory is the caller's {@code scratch}, whose contents are garbage on entry and on exit.
 * Arrays passed to one call must not overlap, except that {@code forwardReal} and
 * {@code inverseReal} also work in place ({@code in == out} at the same offset).
 */
public final class FftCore extends FftOfSize {

    // Stockham plan (null for Bluestein sizes): per pass, its radix, the length L of the
    // sub-transforms it combines, and its twiddles: for k in [0, L) and r in [1, R),
    // (cos, sin) of 2 pi k r / (L R) at [2 ((R - 1) k + r - 1)].
    private final int[] radices;
    private final int[] spans;
    private final float[][] twiddles;

    // Bluestein plan (null for Stockham sizes).
    private final Bluestein bluestein; // null for smooth sizes

    // Real transforms (only on plans made by create(n); null on the inner ones).
    private final FftCore half;      // n / 2, for even n
    private final float[] realTwiddles; // (cos, sin) of 2 pi k / n for k in [0, n/4], even n

    private FftCore(int n, boolean withReal) {
        super(n);
        if (isSmooth(n)) {
            int[] rs = factor(n);
            radices = rs;
            spans = new int[rs.length];
            twiddles = new float[rs.length][];
            int span = 1;
            for (int p = 0; p < rs.length; p++) {
                spans[p] = span;
                twiddles[p] = passTwiddles(rs[p], span);
                span *= rs[p];
            }
            bluestein = null;
        } else {
            radices = null;
            spans = null;
            twiddles = null;
            bluestein = new Bluestein(n, new FftCore(FftSizes.convolution(n), false));
        }
        if (withReal && n % 2 == 0) {
            half = new FftCore(n / 2, false);
            realTwiddles = realTwiddles(n);
        } else {
            half = null;
            realTwiddles = null;
        }
    }

    /**
     * Plans transforms of size {@code n}, precomputing every table.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 2^27}
     */
    public static FftCore create(int n) {
        FftSizes.check(n);
        return new FftCore(n, true);
    }

    /**
     * A plan for complex transforms only (no real-FFT tables), for other backends that use this class as
     * their scalar path.
     */
    public static FftCore createComplex(int n) {
        FftSizes.check(n);
        return new FftCore(n, false);
    }

    /** {@code (cos, sin)} of {@code 2 pi k / n} for k in {@code [0, n/4]}: the twiddles of the real FFT of even n. */
    public static float[] realTwiddles(int n) {
        int quarter = n / 4;
        float[] rt = new float[2 * (quarter + 1)];
        double[] cs = new double[2];
        for (int k = 0; k <= quarter; k++) {
            unitRoot(k, n, cs);
            rt[2 * k] = (float) cs[0];
            rt[2 * k + 1] = (float) cs[1];
        }
        return rt;
    }

    @Override
    public int scratchFloats() {
        if (radices != null) {
            return n == 1 ? 0 : 2 * n;
        }
        return bluestein.scratchFloats();
    }

    // ---------------------------------------------------------------------------------------
    // Complex transform

    /**
     * The transform with its scratch at {@code scratch[so ..]} (inner plans share the caller's scratch).
     * No argument checks: for callers that have validated them.
     */
    @Override
    public void transform(float[] data, int off, boolean inverse, float[] scratch, int so) {
        if (radices == null) {
            bluestein.transform(data, off, inverse, scratch, so);
            return;
        }
        float e = inverse ? 1f : -1f;             // sign of the exponent
        float[] src = data;
        int srcOff = off;
        float[] dst = scratch;
        int dstOff = so;
        for (int p = 0; p < radices.length; p++) {
            int ns = spans[p];
            float[] tw = twiddles[p];
            switch (radices[p]) {
                case 2 -> pass2(src, srcOff, dst, dstOff, n, ns, tw, e);
                case 3 -> pass3(src, srcOff, dst, dstOff, n, ns, tw, e);
                case 4 -> pass4(src, srcOff, dst, dstOff, n, ns, tw, e);
                case 5 -> pass5(src, srcOff, dst, dstOff, n, ns, tw, e);
                case 7 -> pass7(src, srcOff, dst, dstOff, n, ns, tw, e);
                default -> throw new AssertionError(radices[p]);
            }
            float[] ta = src;
            src = dst;
            dst = ta;
            int to = srcOff;
            srcOff = dstOff;
            dstOff = to;
        }
        if (src != data || srcOff != off) {      // an odd number of passes ends in scratch
            System.arraycopy(src, srcOff, data, off, 2 * n);
        }
    }


    // ---------------------------------------------------------------------------------------
    // Stockham passes. Each reads src (n complex at so), writes dst (at dO). m = n / R
    // butterflies; butterfly j reads src[j + r m], and, with k = j mod ns, b = j / ns, writes
    // dst[b ns R + k + q ns]. e is the exponent's sign: twiddle sines are multiplied by it.

    public static final float C31 = -0.5f;
    public static final float S31 = (float) Math.sin(2 * Math.PI / 3);
    public static final float C51 = (float) Math.cos(2 * Math.PI / 5);
    public static final float C52 = (float) Math.cos(4 * Math.PI / 5);
    public static final float S51 = (float) Math.sin(2 * Math.PI / 5);
    public static final float S52 = (float) Math.sin(4 * Math.PI / 5);
    public static final float C71 = (float) Math.cos(2 * Math.PI / 7);
    public static final float C72 = (float) Math.cos(4 * Math.PI / 7);
    public static final float C73 = (float) Math.cos(6 * Math.PI / 7);
    public static final float S71 = (float) Math.sin(2 * Math.PI / 7);
    public static final float S72 = (float) Math.sin(4 * Math.PI / 7);
    public static final float S73 = (float) Math.sin(6 * Math.PI / 7);

    private static void pass2(float[] src, int so, float[] dst, int dO, int n, int ns,
                              float[] tw, float e) {
        int m = n / 2;
        int k = 0;
        int block = 0;                            // b * ns * R
        for (int j = 0; j < m; j++) {
            int i0 = so + 2 * j;
            int i1 = i0 + 2 * m;
            float w1r = tw[2 * k];
            float w1i = e * tw[2 * k + 1];
            float ar = src[i0];
            float ai = src[i0 + 1];
            float xr = src[i1];
            float xi = src[i1 + 1];
            float br = xr * w1r - xi * w1i;
            float bi = xr * w1i + xi * w1r;
            int o0 = dO + 2 * (block + k);
            int o1 = o0 + 2 * ns;
            dst[o0] = ar + br;
            dst[o0 + 1] = ai + bi;
            dst[o1] = ar - br;
            dst[o1 + 1] = ai - bi;
            if (++k == ns) {
                k = 0;
                block += 2 * ns;
            }
        }
    }

    private static void pass4(float[] src, int so, float[] dst, int dO, int n, int ns,
                              float[] tw, float e) {
        int m = n / 4;
        int k = 0;
        int block = 0;
        for (int j = 0; j < m; j++) {
            int i0 = so + 2 * j;
            int i1 = i0 + 2 * m;
            int i2 = i1 + 2 * m;
            int i3 = i2 + 2 * m;
            int t = 6 * k;
            float w1r = tw[t];
            float w1i = e * tw[t + 1];
            float w2r = tw[t + 2];
            float w2i = e * tw[t + 3];
            float w3r = tw[t + 4];
            float w3i = e * tw[t + 5];

            float v0r = src[i0];
            float v0i = src[i0 + 1];
            float xr = src[i1];
            float xi = src[i1 + 1];
            float v1r = xr * w1r - xi * w1i;
            float v1i = xr * w1i + xi * w1r;
            xr = src[i2];
            xi = src[i2 + 1];
            float v2r = xr * w2r - xi * w2i;
            float v2i = xr * w2i + xi * w2r;
            xr = src[i3];
            xi = src[i3 + 1];
            float v3r = xr * w3r - xi * w3i;
            float v3i = xr * w3i + xi * w3r;

            float t0r = v0r + v2r;
            float t0i = v0i + v2i;
            float t1r = v0r - v2r;
            float t1i = v0i - v2i;
            float t2r = v1r + v3r;
            float t2i = v1i + v3i;
            float t3r = v1r - v3r;
            float t3i = v1i - v3i;
            // e i t3
            float rr = -e * t3i;
            float ri = e * t3r;

            int o0 = dO + 2 * (block + k);
            int o1 = o0 + 2 * ns;
            int o2 = o1 + 2 * ns;
            int o3 = o2 + 2 * ns;
            dst[o0] = t0r + t2r;
            dst[o0 + 1] = t0i + t2i;
            dst[o1] = t1r + rr;
            dst[o1 + 1] = t1i + ri;
            dst[o2] = t0r - t2r;
            dst[o2 + 1] = t0i - t2i;
            dst[o3] = t1r - rr;
            dst[o3 + 1] = t1i - ri;
            if (++k == ns) {
                k = 0;
                block += 4 * ns;
            }
        }
    }

    private static void pass3(float[] src, int so, float[] dst, int dO, int n, int ns,
                              float[] tw, float e) {
        int m = n / 3;
        int k = 0;
        int block = 0;
        float s1 = e * S31;
        for (int j = 0; j < m; j++) {
            int i0 = so + 2 * j;
            int i1 = i0 + 2 * m;
            int i2 = i1 + 2 * m;
            int t = 4 * k;
            float w1r = tw[t];
            float w1i = e * tw[t + 1];
            float w2r = tw[t + 2];
            float w2i = e * tw[t + 3];

            float v0r = src[i0];
            float v0i = src[i0 + 1];
            float xr = src[i1];
            float xi = src[i1 + 1];
            float v1r = xr * w1r - xi * w1i;
            float v1i = xr * w1i + xi * w1r;
            xr = src[i2];
            xi = src[i2 + 1];
            float v2r = xr * w2r - xi * w2i;
            float v2i = xr * w2i + xi * w2r;

            float ar = v1r + v2r;
            float ai = v1i + v2i;
            float br = v1r - v2r;
            float bi = v1i - v2i;
            float cr = v0r + C31 * ar;
            float ci = v0i + C31 * ai;
            // e i sin(2 pi / 3) b
            float rr = -s1 * bi;
            float ri = s1 * br;

            int o0 = dO + 2 * (block + k);
            int o1 = o0 + 2 * ns;
            int o2 = o1 + 2 * ns;
            dst[o0] = v0r + ar;
            dst[o0 + 1] = v0i + ai;
            dst[o1] = cr + rr;
            dst[o1 + 1] = ci + ri;
            dst[o2] = cr - rr;
            dst[o2 + 1] = ci - ri;
            if (++k == ns) {
                k = 0;
                block += 3 * ns;
            }
        }
    }

    private static void pass5(float[] src, int so, float[] dst, int dO, int n, int ns,
                              float[] tw, float e) {
        int m = n / 5;
        int k = 0;
        int block = 0;
        float s1 = e * S51;
        float s2 = e * S52;
        for (int j = 0; j < m; j++) {
            int i0 = so + 2 * j;
            int i1 = i0 + 2 * m;
            int i2 = i1 + 2 * m;
            int i3 = i2 + 2 * m;
            int i4 = i3 + 2 * m;
            int t = 8 * k;

            float v0r = src[i0];
            float v0i = src[i0 + 1];
            float wr = tw[t];
            float wi = e * tw[t + 1];
            float xr = src[i1];
            float xi = src[i1 + 1];
            float v1r = xr * wr - xi * wi;
            float v1i = xr * wi + xi * wr;
            wr = tw[t + 2];
            wi = e * tw[t + 3];
            xr = src[i2];
            xi = src[i2 + 1];
            float v2r = xr * wr - xi * wi;
            float v2i = xr * wi + xi * wr;
            wr = tw[t + 4];
            wi = e * tw[t + 5];
            xr = src[i3];
            xi = src[i3 + 1];
            float v3r = xr * wr - xi * wi;
            float v3i = xr * wi + xi * wr;
            wr = tw[t + 6];
            wi = e * tw[t + 7];
            xr = src[i4];
            xi = src[i4 + 1];
            float v4r = xr * wr - xi * wi;
            float v4i = xr * wi + xi * wr;

            // pairs: a_m = v_m + v_{5-m}, b_m = v_m - v_{5-m}
            float a1r = v1r + v4r;
            float a1i = v1i + v4i;
            float b1r = v1r - v4r;
            float b1i = v1i - v4i;
            float a2r = v2r + v3r;
            float a2i = v2i + v3i;
            float b2r = v2r - v3r;
            float b2i = v2i - v3i;

            // y_q = v0 + A_q + i B_q, y_{5-q} = v0 + A_q - i B_q (B_q carries the sign e)
            float c1r = v0r + C51 * a1r + C52 * a2r;
            float c1i = v0i + C51 * a1i + C52 * a2i;
            float d1r = s1 * b1r + s2 * b2r;
            float d1i = s1 * b1i + s2 * b2i;
            float c2r = v0r + C52 * a1r + C51 * a2r;
            float c2i = v0i + C52 * a1i + C51 * a2i;
            float d2r = s2 * b1r - s1 * b2r;
            float d2i = s2 * b1i - s1 * b2i;

            int o0 = dO + 2 * (block + k);
            int o1 = o0 + 2 * ns;
            int o2 = o1 + 2 * ns;
            int o3 = o2 + 2 * ns;
            int o4 = o3 + 2 * ns;
            dst[o0] = v0r + a1r + a2r;
            dst[o0 + 1] = v0i + a1i + a2i;
            dst[o1] = c1r - d1i;
            dst[o1 + 1] = c1i + d1r;
            dst[o4] = c1r + d1i;
            dst[o4 + 1] = c1i - d1r;
            dst[o2] = c2r - d2i;
            dst[o2 + 1] = c2i + d2r;
            dst[o3] = c2r + d2i;
            dst[o3 + 1] = c2i - d2r;
            if (++k == ns) {
                k = 0;
                block += 5 * ns;
            }
        }
    }

    private static void pass7(float[] src, int so, float[] dst, int dO, int n, int ns,
                              float[] tw, float e) {
        int m = n / 7;
        int k = 0;
        int block = 0;
        float s1 = e * S71;
        float s2 = e * S72;
        float s3 = e * S73;
        for (int j = 0; j < m; j++) {
            int i0 = so + 2 * j;
            int i1 = i0 + 2 * m;
            int i2 = i1 + 2 * m;
            int i3 = i2 + 2 * m;
            int i4 = i3 + 2 * m;
            int i5 = i4 + 2 * m;
            int i6 = i5 + 2 * m;
            int t = 12 * k;

            float v0r = src[i0];
            float v0i = src[i0 + 1];
            float wr = tw[t];
            float wi = e * tw[t + 1];
            float xr = src[i1];
            float xi = src[i1 + 1];
            float v1r = xr * wr - xi * wi;
            float v1i = xr * wi + xi * wr;
            wr = tw[t + 2];
            wi = e * tw[t + 3];
            xr = src[i2];
            xi = src[i2 + 1];
            float v2r = xr * wr - xi * wi;
            float v2i = xr * wi + xi * wr;
            wr = tw[t + 4];
            wi = e * tw[t + 5];
            xr = src[i3];
            xi = src[i3 + 1];
            float v3r = xr * wr - xi * wi;
            float v3i = xr * wi + xi * wr;
            wr = tw[t + 6];
            wi = e * tw[t + 7];
            xr = src[i4];
            xi = src[i4 + 1];
            float v4r = xr * wr - xi * wi;
            float v4i = xr * wi + xi * wr;
            wr = tw[t + 8];
            wi = e * tw[t + 9];
            xr = src[i5];
            xi = src[i5 + 1];
            float v5r = xr * wr - xi * wi;
            float v5i = xr * wi + xi * wr;
            wr = tw[t + 10];
            wi = e * tw[t + 11];
            xr = src[i6];
            xi = src[i6 + 1];
            float v6r = xr * wr - xi * wi;
            float v6i = xr * wi + xi * wr;

            // pairs: a_m = v_m + v_{7-m}, b_m = v_m - v_{7-m}
            float a1r = v1r + v6r;
            float a1i = v1i + v6i;
            float b1r = v1r - v6r;
            float b1i = v1i - v6i;
            float a2r = v2r + v5r;
            float a2i = v2i + v5i;
            float b2r = v2r - v5r;
            float b2i = v2i - v5i;
            float a3r = v3r + v4r;
            float a3i = v3i + v4i;
            float b3r = v3r - v4r;
            float b3i = v3i - v4i;

            // y_q = v0 + A_q + i B_q, y_{7-q} = v0 + A_q - i B_q, with the coefficients of
            // a_m, b_m being cos, sin of 2 pi (m q mod 7) / 7
            float c1r = v0r + C71 * a1r + C72 * a2r + C73 * a3r;
            float c1i = v0i + C71 * a1i + C72 * a2i + C73 * a3i;
            float d1r = s1 * b1r + s2 * b2r + s3 * b3r;
            float d1i = s1 * b1i + s2 * b2i + s3 * b3i;
            float c2r = v0r + C72 * a1r + C73 * a2r + C71 * a3r;
            float c2i = v0i + C72 * a1i + C73 * a2i + C71 * a3i;
            float d2r = s2 * b1r - s3 * b2r - s1 * b3r;
            float d2i = s2 * b1i - s3 * b2i - s1 * b3i;
            float c3r = v0r + C73 * a1r + C71 * a2r + C72 * a3r;
            float c3i = v0i + C73 * a1i + C71 * a2i + C72 * a3i;
            float d3r = s3 * b1r - s1 * b2r + s2 * b3r;
            float d3i = s3 * b1i - s1 * b2i + s2 * b3i;

            int o0 = dO + 2 * (block + k);
            int o1 = o0 + 2 * ns;
            int o2 = o1 + 2 * ns;
            int o3 = o2 + 2 * ns;
            int o4 = o3 + 2 * ns;
            int o5 = o4 + 2 * ns;
            int o6 = o5 + 2 * ns;
            dst[o0] = v0r + a1r + a2r + a3r;
            dst[o0 + 1] = v0i + a1i + a2i + a3i;
            dst[o1] = c1r - d1i;
            dst[o1 + 1] = c1i + d1r;
            dst[o6] = c1r + d1i;
            dst[o6 + 1] = c1i - d1r;
            dst[o2] = c2r - d2i;
            dst[o2 + 1] = c2i + d2r;
            dst[o5] = c2r + d2i;
            dst[o5 + 1] = c2i - d2r;
            dst[o3] = c3r - d3i;
            dst[o3 + 1] = c3i + d3r;
            dst[o4] = c3r + d3i;
            dst[o4 + 1] = c3i - d3r;
            if (++k == ns) {
                k = 0;
                block += 7 * ns;
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Real transforms

    @Override
    protected FftOfSize half() {
        return half;
    }

    @Override
    protected void split(float[] out, int o) {
        splitReal(out, o, n, realTwiddles);
    }

    @Override
    protected void merge(float[] in, int i0, float[] out, int o) {
        mergeReal(in, i0, out, o, n, realTwiddles);
    }

    /**
     * The last step of an even-length real FFT: {@code out[o ..]} holds {@code Z = DFT_{n/2}} of the reals read
     * as complex pairs; turns it into the {@code n/2 + 1} bins in place. Shared with the simd backend.
     *
     * @param rt {@link #realTwiddles(int)} of n
     */
    public static void splitReal(float[] out, int o, int n, float[] rt) {
        splitRealEnds(out, o, n);
        splitRealPairs(out, o, n, rt, 1);
    }

    /** Bins 0 and n/2 of {@link #splitReal}, from Z[0] (real: the sum and the difference of its parts). */
    public static void splitRealEnds(float[] out, int o, int n) {
        float zr = out[o];
        float zi = out[o + 1];
        out[o] = zr + zi;
        out[o + 1] = 0f;
        out[o + n] = zr - zi;
        out[o + n + 1] = 0f;
    }

    /**
     * The pairs (k, n/2 - k) of {@link #splitReal} for k from {@code from} to n/4: the part a vector
     * version leaves over (it computes the same operations in the same order, so the bits are the same).
     */
    public static void splitRealPairs(float[] out, int o, int n, float[] rt, int from) {
        int h = n / 2;
        for (int k = from; 2 * k <= h; k++) {
            int ik = o + 2 * k;
            int im = o + 2 * (h - k);
            float ar = out[ik];
            float ai = out[ik + 1];
            float br = out[im];                   // b = conj Z[h-k]
            float bi = -out[im + 1];
            float er = 0.5f * (ar + br);
            float ei = 0.5f * (ai + bi);
            float or = 0.5f * (ai - bi);          // (a - b) / 2i
            float oi = -0.5f * (ar - br);
            float wr = rt[2 * k];                 // W^k = cos - i sin
            float wi = -rt[2 * k + 1];
            float tr = wr * or - wi * oi;
            float ti = wr * oi + wi * or;
            out[ik] = er + tr;
            out[ik + 1] = ei + ti;
            out[im] = er - tr;
            out[im + 1] = ti - ei;
        }
    }

    /**
     * The first step of an even-length real inverse FFT: from the {@code n/2 + 1} bins at {@code in[i0 ..]} to
     * the {@code n/2} complex values at {@code out[o ..]} whose unscaled inverse {@code DFT_{n/2}} holds the
     * reals as pairs. Ignores the imaginary parts of bins 0 and n/2. Shared with the simd backend.
     *
     * @param rt {@link #realTwiddles(int)} of n
     */
    public static void mergeReal(float[] in, int i0, float[] out, int o, int n, float[] rt) {
        float x0 = in[i0];                        // imaginary parts of bins 0 and h ignored
        float xh = in[i0 + n];
        mergeRealPairs(in, i0, out, o, n, rt, 1);
        out[o] = x0 + xh;
        out[o + 1] = x0 - xh;
    }

    /** The pairs (k, n/2 - k) of {@link #mergeReal} for k from {@code from} to n/4 (see {@link #splitRealPairs}). */
    public static void mergeRealPairs(float[] in, int i0, float[] out, int o, int n, float[] rt, int from) {
        int h = n / 2;
        for (int k = from; 2 * k <= h; k++) {
            int ik = 2 * k;
            int im = 2 * (h - k);
            float ar = in[i0 + ik];
            float ai = in[i0 + ik + 1];
            float br = in[i0 + im];
            float bi = in[i0 + im + 1];
            float er = ar + br;                   // X[k] + conj X[h-k]
            float ei = ai - bi;
            float dr = ar - br;                   // X[k] - conj X[h-k]
            float di = ai + bi;
            float wr = rt[2 * k];                 // conj(W^k) = cos + i sin
            float wi = rt[2 * k + 1];
            float or = dr * wr - di * wi;
            float oi = dr * wi + di * wr;
            out[o + ik] = er - oi;                // E + i O
            out[o + ik + 1] = ei + or;
            out[o + im] = er + oi;                // conj E + i conj O
            out[o + im + 1] = or - ei;
        }
    }


    // ---------------------------------------------------------------------------------------
    // Planning helpers (constructor only; they may allocate)

    /** Whether every prime factor of n is 2, 3, 5 or 7 (the Stockham path; others go through Bluestein). */
    public static boolean isSmooth(int n) {
        for (int p : new int[] {2, 3, 5, 7}) {
            while (n % p == 0) {
                n /= p;
            }
        }
        return n == 1;
    }

    /** The Stockham radices of a smooth n, in pass order (one 2 first if needed, then 4s, 3s, 5s, 7s). */
    public static int[] factor(int n) {
        int twos = Integer.numberOfTrailingZeros(n);
        int[] rs = new int[32];
        int count = 0;
        if (twos % 2 == 1) {
            rs[count++] = 2;
        }
        for (int i = 0; i < twos / 2; i++) {
            rs[count++] = 4;
        }
        n >>= twos;
        for (int p : new int[] {3, 5, 7}) {
            while (n % p == 0) {
                rs[count++] = p;
                n /= p;
            }
        }
        return Arrays.copyOf(rs, count);
    }

    /**
     * The twiddles of one Stockham pass: (cos, sin) of 2 pi k r / (span R), for k in [0, span), r in [1, R),
     * computed in double and rounded once.
     */
    public static float[] passTwiddles(int radix, int span) {
        float[] tw = new float[2 * (radix - 1) * span];
        long len = (long) span * radix;
        double[] cs = new double[2];
        for (int k = 0; k < span; k++) {
            for (int r = 1; r < radix; r++) {
                unitRoot((long) k * r, len, cs);
                int i = 2 * ((radix - 1) * k + r - 1);
                tw[i] = (float) cs[0];
                tw[i + 1] = (float) cs[1];
            }
        }
        return tw;
    }

    /**
     * cs = (cos, sin) of 2 pi t / len, in double, with t reduced exactly: the angle is split into
     * whole quarter turns and a remainder of at most an eighth of a turn, so the values are
     * exact at multiples of pi/2 and symmetric.
     */
    public static void unitRoot(long t, long len, double[] cs) {
        t = Math.floorMod(t, len);
        long q = (4 * t) / len;                   // quarter turns
        long r = 4 * t - q * len;                 // remainder: r / len quarter turns
        double c;
        double s;
        if (2 * r <= len) {
            double a = (Math.PI / 2) * r / len;
            c = Math.cos(a);
            s = Math.sin(a);
        } else {
            double a = (Math.PI / 2) * (len - r) / len;
            c = Math.sin(a);
            s = Math.cos(a);
        }
        switch ((int) q) {
            case 0 -> { cs[0] = c; cs[1] = s; }
            case 1 -> { cs[0] = -s; cs[1] = c; }
            case 2 -> { cs[0] = -c; cs[1] = -s; }
            default -> { cs[0] = s; cs[1] = -c; }
        }
    }

    /**
     * In-place forward DFT in double of a power-of-two length m (interleaved), for the Bluestein
     * filter: iterative radix-2 over one table of roots made with {@link #unitRoot}.
     */
    public static void fftDouble(double[] a, int m) {
        for (int i = 1, j = 0; i < m; i++) {      // bit-reversal permutation
            int bit = m >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double tr = a[2 * i];
                double ti = a[2 * i + 1];
                a[2 * i] = a[2 * j];
                a[2 * i + 1] = a[2 * j + 1];
                a[2 * j] = tr;
                a[2 * j + 1] = ti;
            }
        }
        double[] roots = new double[m];           // exp(-2 pi i k / m), k in [0, m/2)
        double[] cs = new double[2];
        for (int k = 0; k < m / 2; k++) {
            unitRoot(k, m, cs);
            roots[2 * k] = cs[0];
            roots[2 * k + 1] = -cs[1];
        }
        for (int len = 2; len <= m; len <<= 1) {
            int hl = len / 2;
            int stride = m / len;                 // exp(-2 pi i k / len) = roots[k stride]
            for (int s = 0; s < m; s += len) {
                for (int k = 0; k < hl; k++) {
                    double wr = roots[2 * k * stride];
                    double wi = roots[2 * k * stride + 1];
                    int i = 2 * (s + k);
                    int j = 2 * (s + k + hl);
                    double xr = a[j] * wr - a[j + 1] * wi;
                    double xi = a[j] * wi + a[j + 1] * wr;
                    a[j] = a[i] - xr;
                    a[j + 1] = a[i + 1] - xi;
                    a[i] += xr;
                    a[i + 1] += xi;
                }
            }
        }
    }
}
