package dev.seqmix.simd;

import dev.seqmix.internal.fft.FftCore;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Complex transforms of n = 4 V (V the lane count: n = 64 on 16 lanes), too small for the four-step of
 * {@link SimdFft}, whose V x V tile transposes and passes over V rows would be mostly padding here. With {@code j = V j1 + j2}, {@code k = k1 + 4 k2}:
 * <ol>
 *   <li>the 4 rows of V complex numbers are deinterleaved with lane l holding column {@code j2 = bitrev(l)},
 *       and the 4-point DFT over j1 is one radix-4 butterfly of row vectors;</li>
 *   <li>row k1 is multiplied lane by lane by {@code W_n^(j2 k1)};</li>
 *   <li>the V-point DFT over j2 runs across the lanes of each row: log2 V radix-2 stages (decimation in time,
 *       so the bit-reversed input gives natural output), each a lane permutation and fused multiply-adds with
 *       per-lane twiddles and signs; lane k2 of row k1 is then {@code X[k1 + 4 k2]};</li>
 *   <li>the 8 vectors of real and imaginary parts, rows of an 8 x V matrix, are transposed into interleaved
 *       natural order by three rounds of two-vector zips.</li>
 * </ol>
 * Straight-line code on purpose: loops with trip counts of 1 to 8 cost C2 more than the work in them (a loop
 * version of this class, n = 128 included, lost to the four-step there). Immutable, thread-safe,
 * allocation-free.
 */
final class SimdLaneDft {
    private final FloatVector ev;              // deinterleave, bit-reversed: lane l <- float 2 bitrev(l)
    private final FloatVector od;              // and 2 bitrev(l) + 1
    private final FloatVector zipLo;           // SimdFftPasses.shuffleIndexes [2], [3]
    private final FloatVector zipHi;
    private final float[] rowRe;               // W_n^(j2 k1) at [k1 V + l], j2 = bitrev(l)
    private final float[] rowNeg;              // its imaginary parts, negated (forward)
    private final float[] rowPos;              // and not (inverse)
    private final float[] permute;             // stage s (h = 2^s): lane l ^ h, at [s V + l]
    private final float[] sign;                // +1 where bit h of the lane is clear, -1 where set
    private final float[] stageRe;             // W_2h^(l mod h) where bit h is set, 1 elsewhere
    private final float[] stageNeg;
    private final float[] stagePos;

    /** Whether this codelet serves n on v lanes. */
    static boolean serves(int n, int v) {
        return (v == 4 || v == 8 || v == 16) && n == 4 * v;
    }

    SimdLaneDft(int n, VectorSpecies<Float> species) {
        int v = species.length();
        if (!serves(n, v)) {
            throw new IllegalArgumentException("n: expected 4 V (V = " + v + "), got " + n);
        }
        FloatVector[] zips = SimdFftPasses.shuffleIndexes(species);
        zipLo = zips[2];
        zipHi = zips[3];
        int bits = Integer.numberOfTrailingZeros(v);
        int[] column = new int[v];               // lane l holds column j2 = bitrev(l)
        float[] e = new float[v];
        float[] o = new float[v];
        for (int l = 0; l < v; l++) {
            column[l] = Integer.reverse(l) >>> (32 - bits);
            e[l] = 2 * column[l];
            o[l] = 2 * column[l] + 1;
        }
        ev = FloatVector.fromArray(species, e, 0);
        od = FloatVector.fromArray(species, o, 0);

        rowRe = new float[4 * v];
        rowNeg = new float[4 * v];
        rowPos = new float[4 * v];
        double[] cs = new double[2];
        for (int k1 = 0; k1 < 4; k1++) {
            for (int l = 0; l < v; l++) {
                FftCore.unitRoot((long) column[l] * k1, n, cs);
                rowRe[k1 * v + l] = (float) cs[0];
                rowNeg[k1 * v + l] = (float) -cs[1];
                rowPos[k1 * v + l] = (float) cs[1];
            }
        }
        permute = new float[bits * v];
        sign = new float[bits * v];
        stageRe = new float[bits * v];
        stageNeg = new float[bits * v];
        stagePos = new float[bits * v];
        for (int s = 0; s < bits; s++) {
            int h = 1 << s;
            for (int l = 0; l < v; l++) {
                boolean upper = (l & h) != 0;
                permute[s * v + l] = l ^ h;
                sign[s * v + l] = upper ? -1f : 1f;
                if (upper) {
                    FftCore.unitRoot(l % h, 2L * h, cs);
                } else {
                    cs[0] = 1;
                    cs[1] = 0;
                }
                stageRe[s * v + l] = (float) cs[0];
                stageNeg[s * v + l] = (float) -cs[1];
                stagePos[s * v + l] = (float) cs[1];
            }
        }
    }

    private static FloatVector ld(VectorSpecies<Float> sp, float[] a, int i) {
        return FloatVector.fromArray(sp, a, i);
    }

    /**
     * Real part of (xr + i xi)(cr + i ci) (cn = -ci), then the stage's butterfly across lanes. The permutation
     * is the two-source {@code selectFrom} with the same vector twice: in JDK 25 the one-source form converts its
     * float indexes to a shuffle object on every call (48 B each), the two-source form is one intrinsic.
     */
    private static FloatVector stageRe(FloatVector xr, FloatVector xi, FloatVector cr, FloatVector cn,
                                       FloatVector p, FloatVector sg) {
        FloatVector u = xr.fma(cr, xi.mul(cn));
        return u.fma(sg, p.selectFrom(u, u));
    }

    /** Imaginary part of the same. */
    private static FloatVector stageIm(FloatVector xr, FloatVector xi, FloatVector cr, FloatVector ci,
                                       FloatVector p, FloatVector sg) {
        FloatVector u = xr.fma(ci, xi.mul(cr));
        return u.fma(sg, p.selectFrom(u, u));
    }

    /** {@return scratch floats a transform needs: the 8 vectors between the three steps} */
    int scratchFloats() {
        return 2 * rowRe.length;
    }

    /**
     * Transforms the 4 V interleaved complex numbers at {@code d[off]} in place, unscaled. Four methods, the 8
     * vectors passing through scratch between them: as one method (and again with the first two steps in one),
     * C2 reached its node limit while inlining the Vector API calls and boxed vectors (5.6 KB, 1.5 KB a call).
     */
    void transform(float[] d, int off, boolean inv, float[] s, int so) {
        rows(d, off, inv, s, so);
        twiddles(inv, s, so);
        lanes(inv, s, so);
        zips(s, so, d, off);
    }

    /** (1): row k1's real parts to s[so + 2 V k1], its imaginary parts after them. */
    private void rows(float[] d, int off, boolean inv, float[] s, int so) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        // (1) rows j1, lanes bitrev(j2)
        FloatVector a = ld(sp, d, off);
        FloatVector b = ld(sp, d, off + v);
        FloatVector x0r = ev.selectFrom(a, b);
        FloatVector x0i = od.selectFrom(a, b);
        a = ld(sp, d, off + 2 * v);
        b = ld(sp, d, off + 3 * v);
        FloatVector x1r = ev.selectFrom(a, b);
        FloatVector x1i = od.selectFrom(a, b);
        a = ld(sp, d, off + 4 * v);
        b = ld(sp, d, off + 5 * v);
        FloatVector x2r = ev.selectFrom(a, b);
        FloatVector x2i = od.selectFrom(a, b);
        a = ld(sp, d, off + 6 * v);
        b = ld(sp, d, off + 7 * v);
        FloatVector x3r = ev.selectFrom(a, b);
        FloatVector x3i = od.selectFrom(a, b);
        // the 4-point DFT over the rows: y1 = t1 - e i t3, y3 = t1 + e i t3 (e = 1 forward, -1 inverse)
        FloatVector e = FloatVector.broadcast(sp, inv ? -1f : 1f);
        FloatVector t0r = x0r.add(x2r);
        FloatVector t0i = x0i.add(x2i);
        FloatVector t1r = x0r.sub(x2r);
        FloatVector t1i = x0i.sub(x2i);
        FloatVector t2r = x1r.add(x3r);
        FloatVector t2i = x1i.add(x3i);
        FloatVector t3r = x1r.sub(x3r);
        FloatVector t3i = x1i.sub(x3i);
        x0r = t0r.add(t2r);
        x0i = t0i.add(t2i);
        x2r = t0r.sub(t2r);
        x2i = t0i.sub(t2i);
        x1r = t3i.fma(e, t1r);
        x1i = t3r.neg().fma(e, t1i);
        x3r = t3i.neg().fma(e, t1r);
        x3i = t3r.fma(e, t1i);
        x0r.intoArray(s, so);
        x0i.intoArray(s, so + v);
        x1r.intoArray(s, so + 2 * v);
        x1i.intoArray(s, so + 3 * v);
        x2r.intoArray(s, so + 4 * v);
        x2i.intoArray(s, so + 5 * v);
        x3r.intoArray(s, so + 6 * v);
        x3i.intoArray(s, so + 7 * v);
    }

    /** (2) and stage h = 1 of (3) (whose twiddles are 1): row k1 times W_n^(j2 k1) (row 0's are 1), in place. */
    private void twiddles(boolean inv, float[] s, int so) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        float[] twi = inv ? rowPos : rowNeg;
        float[] twn = inv ? rowNeg : rowPos;
        FloatVector p = ld(sp, permute, 0);
        FloatVector sg = ld(sp, sign, 0);
        FloatVector xr = ld(sp, s, so);
        FloatVector xi = ld(sp, s, so + v);
        xr.fma(sg, p.selectFrom(xr, xr)).intoArray(s, so);
        xi.fma(sg, p.selectFrom(xi, xi)).intoArray(s, so + v);
        for (int k1 = 1; k1 < 4; k1++) {
            int o = so + 2 * v * k1;
            xr = ld(sp, s, o);
            xi = ld(sp, s, o + v);
            FloatVector cr = ld(sp, rowRe, k1 * v);
            FloatVector nr = stageRe(xr, xi, cr, ld(sp, twn, k1 * v), p, sg);
            stageIm(xr, xi, cr, ld(sp, twi, k1 * v), p, sg).intoArray(s, o + v);
            nr.intoArray(s, o);
        }
    }

    /** (3): the other stages of the lane DFT, stage by stage over the four rows (independent chains). */
    private void lanes(boolean inv, float[] s, int so) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        float[] sti = inv ? stagePos : stageNeg;
        float[] stn = inv ? stageNeg : stagePos;
        int stages = Integer.numberOfTrailingZeros(v);
        for (int st = 1; st < stages; st++) {
            int t = st * v;
            FloatVector cr = ld(sp, stageRe, t);
            FloatVector ci = ld(sp, sti, t);
            FloatVector cn = ld(sp, stn, t);
            FloatVector p = ld(sp, permute, t);
            FloatVector sg = ld(sp, sign, t);
            FloatVector xr = ld(sp, s, so);
            FloatVector xi = ld(sp, s, so + v);
            FloatVector yr = ld(sp, s, so + 2 * v);
            FloatVector yi = ld(sp, s, so + 3 * v);
            stageRe(xr, xi, cr, cn, p, sg).intoArray(s, so);
            stageIm(xr, xi, cr, ci, p, sg).intoArray(s, so + v);
            stageRe(yr, yi, cr, cn, p, sg).intoArray(s, so + 2 * v);
            stageIm(yr, yi, cr, ci, p, sg).intoArray(s, so + 3 * v);
            xr = ld(sp, s, so + 4 * v);
            xi = ld(sp, s, so + 5 * v);
            yr = ld(sp, s, so + 6 * v);
            yi = ld(sp, s, so + 7 * v);
            stageRe(xr, xi, cr, cn, p, sg).intoArray(s, so + 4 * v);
            stageIm(xr, xi, cr, ci, p, sg).intoArray(s, so + 5 * v);
            stageRe(yr, yi, cr, cn, p, sg).intoArray(s, so + 6 * v);
            stageIm(yr, yi, cr, ci, p, sg).intoArray(s, so + 7 * v);
        }
    }

    /**
     * (4): the 8 x V matrix at s[so] (rows r0 i0 r1 i1 r2 i2 r3 i3) transposed into interleaved natural order
     * at d[off]: zip rows i and i + 4, then the 2-vector streams i and i + 2, then the 4-vector streams 0 and 1.
     */
    private void zips(float[] s, int so, float[] d, int off) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        FloatVector lo = zipLo;
        FloatVector hi = zipHi;
        FloatVector r0 = ld(sp, s, so);
        FloatVector i0 = ld(sp, s, so + v);
        FloatVector r1 = ld(sp, s, so + 2 * v);
        FloatVector i1 = ld(sp, s, so + 3 * v);
        FloatVector r2 = ld(sp, s, so + 4 * v);
        FloatVector i2 = ld(sp, s, so + 5 * v);
        FloatVector r3 = ld(sp, s, so + 6 * v);
        FloatVector i3 = ld(sp, s, so + 7 * v);
        FloatVector b0l = lo.selectFrom(r0, r2);
        FloatVector b0h = hi.selectFrom(r0, r2);
        FloatVector b1l = lo.selectFrom(i0, i2);
        FloatVector b1h = hi.selectFrom(i0, i2);
        FloatVector b2l = lo.selectFrom(r1, r3);
        FloatVector b2h = hi.selectFrom(r1, r3);
        FloatVector b3l = lo.selectFrom(i1, i3);
        FloatVector b3h = hi.selectFrom(i1, i3);
        FloatVector c00 = lo.selectFrom(b0l, b2l);
        FloatVector c01 = hi.selectFrom(b0l, b2l);
        FloatVector c02 = lo.selectFrom(b0h, b2h);
        FloatVector c03 = hi.selectFrom(b0h, b2h);
        FloatVector c10 = lo.selectFrom(b1l, b3l);
        FloatVector c11 = hi.selectFrom(b1l, b3l);
        FloatVector c12 = lo.selectFrom(b1h, b3h);
        FloatVector c13 = hi.selectFrom(b1h, b3h);
        lo.selectFrom(c00, c10).intoArray(d, off);
        hi.selectFrom(c00, c10).intoArray(d, off + v);
        lo.selectFrom(c01, c11).intoArray(d, off + 2 * v);
        hi.selectFrom(c01, c11).intoArray(d, off + 3 * v);
        lo.selectFrom(c02, c12).intoArray(d, off + 4 * v);
        hi.selectFrom(c02, c12).intoArray(d, off + 5 * v);
        lo.selectFrom(c03, c13).intoArray(d, off + 6 * v);
        hi.selectFrom(c03, c13).intoArray(d, off + 7 * v);
    }
}
