package dev.seqmix.simd;

import static dev.seqmix.internal.fft.FftCore.C31;
import static dev.seqmix.internal.fft.FftCore.C51;
import static dev.seqmix.internal.fft.FftCore.C52;
import static dev.seqmix.internal.fft.FftCore.C71;
import static dev.seqmix.internal.fft.FftCore.C72;
import static dev.seqmix.internal.fft.FftCore.C73;
import static dev.seqmix.internal.fft.FftCore.S31;
import static dev.seqmix.internal.fft.FftCore.S51;
import static dev.seqmix.internal.fft.FftCore.S52;
import static dev.seqmix.internal.fft.FftCore.S71;
import static dev.seqmix.internal.fft.FftCore.S72;
import static dev.seqmix.internal.fft.FftCore.S73;

import dev.seqmix.internal.fft.FftCore;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector building blocks of {@link SimdFft}: Stockham passes over "elements" that are runs of
 * {@code width} floats (a multiple of the lane count), with one broadcast twiddle per element,
 * plus lane transposes and (de)interleaving.
 *
 * <p>Element layout: element {@code e}'s real parts are {@code s[base + e es + c]}, its imaginary
 * parts {@code s[base + e es + io + c]}, {@code c in [0, width)}. Every lane of an element is an
 * independent transform (a column), so a pass is exactly the scalar Stockham pass of
 * {@link FftCore} with each float replaced by a vector:
 * <pre>
 * for j in [0, count/R):  k = j mod L,  b = j / L
 *     v[r] = src[j + r count/R] * w^(k r),   w = exp(e 2 pi i / (L R))
 *     dst[b L R + k + q L] = sum_r v[r] exp(e 2 pi i r q / R)
 * </pre>
 * Twiddles are split tables of {@code cos} and {@code e sin} (and {@code -e sin}, so that broadcasts
 * load straight from memory) of {@code 2 pi k r / (L R)} at {@code k + r-1}, with the sign
 * {@code e} = -1 forward and +1 inverse.
 */
final class SimdFftPasses {

    private SimdFftPasses() {
    }

    /** A Stockham plan: per pass its radix, the span L it starts from, and its twiddles. */
    static final class Plan {
        final int count;
        final int[] radix;
        final int[] span;
        final float[][] twr;     // cos
        final float[][] twNeg;   // -sin: the forward twiddles' imaginary parts
        final float[][] twPos;   // +sin: the inverse ones'

        Plan(int count) {
            this.count = count;
            radix = FftCore.factor(count);
            if (radix.length > 1 && radix[0] == 2 && radix[1] == 4) {
                // the lone radix 2 goes after the 4s, so that a power of two >= 4 starts with a
                // radix-4 pass (the one the fused first passes of SimdFft implement)
                int fours = 1;
                while (1 + fours < radix.length && radix[1 + fours] == 4) {
                    fours++;
                }
                System.arraycopy(radix, 1, radix, 0, fours);
                radix[fours] = 2;
            }
            span = new int[radix.length];
            twr = new float[radix.length][];
            twNeg = new float[radix.length][];
            twPos = new float[radix.length][];
            int l = 1;
            for (int p = 0; p < radix.length; p++) {
                span[p] = l;
                float[] tw = FftCore.passTwiddles(radix[p], l);
                twr[p] = new float[tw.length / 2];
                twNeg[p] = new float[tw.length / 2];
                twPos[p] = new float[tw.length / 2];
                for (int i = 0; i < tw.length / 2; i++) {
                    twr[p][i] = tw[2 * i];
                    twNeg[p][i] = -tw[2 * i + 1];
                    twPos[p][i] = tw[2 * i + 1];
                }
                l *= radix[p];
            }
        }

        /**
         * Runs every pass, ping-ponging between the buffers at {@code a} (the input) and {@code b};
         * returns the offset of the one holding the result.
         */
        int run(FloatVector z, float[] s, int a, int b, int width, int es, int io,
                boolean inv) {
            return run(z, s, a, b, width, es, io, inv, 0);
        }

        /** As the run above, from pass {@code first} on. */
        int run(FloatVector z, float[] s, int a, int b, int width, int es, int io,
                boolean inv, int first) {
            int src = a;
            int dst = b;
            for (int p = first; p < radix.length; p++) {
                int l = span[p];
                float[] wr = twr[p];
                float[] wi = inv ? twPos[p] : twNeg[p];   // e sin
                float[] nw = inv ? twNeg[p] : twPos[p];   // -e sin
                switch (radix[p]) {
                    case 2 -> pass2(z, s, src, dst, count, width, es, io, l, wr, wi, nw, inv);
                    case 3 -> pass3(z, s, src, dst, count, width, es, io, l, wr, wi, nw, inv);
                    case 4 -> pass4(z, s, src, dst, count, width, es, io, l, wr, wi, nw, inv);
                    case 5 -> pass5(z, s, src, dst, count, width, es, io, l, wr, wi, nw, inv);
                    case 7 -> pass7(z, s, src, dst, count, width, es, io, l, wr, wi, nw, inv);
                    default -> throw new AssertionError(radix[p]);
                }
                int t = src;
                src = dst;
                dst = t;
            }
            return src;
        }
    }

    /**
     * The species of z, in a form C2 folds to a constant (which the Vector API intrinsics need; with a
     * species that is not a constant, every vector is boxed). {@code z.species()} alone goes through
     * {@code AbstractVector.vspecies()}, whose type profile is shared by every vector class in the JVM;
     * {@code broadcast} is virtual right here (one class per JVM in production) and returns an
     * instance of a final class, so {@code species()} on it binds statically.
     */
    static VectorSpecies<Float> speciesOf(FloatVector z) {
        return z.broadcast(0f).species();
    }

    // ---------------------------------------------------------------------------------------
    // Complex products with a broadcast twiddle (wr, wi), nwi = -wi: re = xr wr - xi wi,
    // im = xr wi + xi wr.

    private static FloatVector mulRe(FloatVector xr, FloatVector xi, FloatVector wr, FloatVector nwi) {
        return xr.fma(wr, xi.mul(nwi));
    }

    private static FloatVector mulIm(FloatVector xr, FloatVector xi, FloatVector wr, FloatVector wi) {
        return xr.fma(wi, xi.mul(wr));
    }

    private static FloatVector bc(VectorSpecies<Float> sp, float x) {
        return FloatVector.broadcast(sp, x);
    }

    private static FloatVector ld(VectorSpecies<Float> sp, float[] s, int i) {
        return FloatVector.fromArray(sp, s, i);
    }

    // ---------------------------------------------------------------------------------------
    // Passes. m = count / R butterflies; d: distance between a butterfly's inputs, ls: between
    // its outputs (in floats).

    static void pass2(FloatVector z, float[] s, int src, int dst, int count, int width,
                      int es, int io, int span, float[] twr, float[] twi, float[] tnw, boolean inv) {
        int m = count / 2;
        if (span == 1) {
            first2(z, s, src, dst, m, width, es, io, inv);
            return;
        }
        for (int blk = 0; blk < m; blk += span) {
            block2(z, s, src + blk * es, dst + 2 * blk * es, m * es, span, width, es, io, twr, twi, tnw, inv);
        }
    }

    /** One block of pass2: the span butterflies reading src + k es + r d, writing dst + k es + q ls. */
    private static void block2(FloatVector z, float[] s, int src, int dst, int d, int span, int width,
                               int es, int io, float[] twr, float[] twi, float[] tnw, boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int ls = span * es;
        {
            for (int k = 0; k < span; k++) {
                int in = src + k * es;
                int out = dst + k * es;
                FloatVector wr = bc(sp, twr[k]);
                FloatVector wi = bc(sp, twi[k]);
                FloatVector nwi = bc(sp, tnw[k]);
                for (int c = 0; c < width; c += v) {
                    int i0 = in + c;
                    int i1 = i0 + d;
                    FloatVector ar = ld(sp, s, i0);
                    FloatVector ai = ld(sp, s, i0 + io);
                    FloatVector xr = ld(sp, s, i1);
                    FloatVector xi = ld(sp, s, i1 + io);
                    FloatVector br = mulRe(xr, xi, wr, nwi);
                    FloatVector bi = mulIm(xr, xi, wr, wi);
                    int o0 = out + c;
                    int o1 = o0 + ls;
                    ar.add(br).intoArray(s, o0);
                    ai.add(bi).intoArray(s, o0 + io);
                    ar.sub(br).intoArray(s, o1);
                    ai.sub(bi).intoArray(s, o1 + io);
                }
            }
        }
    }

    static void pass4(FloatVector z, float[] s, int src, int dst, int count, int width,
                      int es, int io, int span, float[] twr, float[] twi, float[] tnw, boolean inv) {
        int m = count / 4;
        if (span == 1) {
            first4(z, s, src, dst, m, width, es, io, inv);
            return;
        }
        if (width == z.length()) {
            narrow4(z, s, src, dst, m, span, es, io, twr, twi, tnw, inv);
            return;
        }
        for (int blk = 0; blk < m; blk += span) {
            block4(z, s, src + blk * es, dst + 4 * blk * es, m * es, span, width, es, io, twr, twi, tnw, inv);
        }
    }

    /** pass4 on elements of one vector (width V): every block, without the loop over columns. */
    private static void narrow4(FloatVector z, float[] s, int src, int dst, int m, int span, int es, int io,
                                float[] twr, float[] twi, float[] tnw, boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int d = m * es;
        int ls = span * es;
        int l1 = inv ? 3 * ls : ls;
        int l3 = inv ? ls : 3 * ls;
        for (int blk = 0; blk < m; blk += span) {
            int in = src + blk * es;
            int out = dst + 4 * blk * es;
            for (int k = 0, t = 0; k < span; k++, t += 3) {
                int i0 = in + k * es;
                FloatVector w1r = bc(sp, twr[t]);
                FloatVector w1i = bc(sp, twi[t]);
                FloatVector n1i = bc(sp, tnw[t]);
                FloatVector w2r = bc(sp, twr[t + 1]);
                FloatVector w2i = bc(sp, twi[t + 1]);
                FloatVector n2i = bc(sp, tnw[t + 1]);
                FloatVector w3r = bc(sp, twr[t + 2]);
                FloatVector w3i = bc(sp, twi[t + 2]);
                FloatVector n3i = bc(sp, tnw[t + 2]);
                FloatVector xr = ld(sp, s, i0 + d);
                FloatVector xi = ld(sp, s, i0 + d + io);
                FloatVector v1r = mulRe(xr, xi, w1r, n1i);
                FloatVector v1i = mulIm(xr, xi, w1r, w1i);
                xr = ld(sp, s, i0 + 2 * d);
                xi = ld(sp, s, i0 + 2 * d + io);
                FloatVector v2r = mulRe(xr, xi, w2r, n2i);
                FloatVector v2i = mulIm(xr, xi, w2r, w2i);
                xr = ld(sp, s, i0 + 3 * d);
                xi = ld(sp, s, i0 + 3 * d + io);
                FloatVector v3r = mulRe(xr, xi, w3r, n3i);
                FloatVector v3i = mulIm(xr, xi, w3r, w3i);
                FloatVector v0r = ld(sp, s, i0);
                FloatVector v0i = ld(sp, s, i0 + io);
                FloatVector t0r = v0r.add(v2r);
                FloatVector t0i = v0i.add(v2i);
                FloatVector t1r = v0r.sub(v2r);
                FloatVector t1i = v0i.sub(v2i);
                FloatVector t2r = v1r.add(v3r);
                FloatVector t2i = v1i.add(v3i);
                FloatVector t3r = v1r.sub(v3r);
                FloatVector t3i = v1i.sub(v3i);
                int o = out + k * es;
                t0r.add(t2r).intoArray(s, o);
                t0i.add(t2i).intoArray(s, o + io);
                t0r.sub(t2r).intoArray(s, o + 2 * ls);
                t0i.sub(t2i).intoArray(s, o + 2 * ls + io);
                t1r.add(t3i).intoArray(s, o + l1);        // t1 - i t3
                t1i.sub(t3r).intoArray(s, o + l1 + io);
                t1r.sub(t3i).intoArray(s, o + l3);        // t1 + i t3
                t1i.add(t3r).intoArray(s, o + l3 + io);
            }
        }
    }

    /** One block of pass4: the span butterflies reading src + k es + r d, writing dst + k es + q ls. */
    private static void block4(FloatVector z, float[] s, int src, int dst, int d, int span, int width,
                               int es, int io, float[] twr, float[] twi, float[] tnw, boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int ls = span * es;
        // y1 = t1 + e i t3 and y3 = t1 - e i t3: the inverse swaps where they go
        int l1 = inv ? 3 * ls : ls;
        int l3 = inv ? ls : 3 * ls;
        {
            for (int k = 0; k < span; k++) {
                int in = src + k * es;
                int out = dst + k * es;
                int t = 3 * k;
                FloatVector w1r = bc(sp, twr[t]);
                FloatVector w1i = bc(sp, twi[t]);
                FloatVector n1i = bc(sp, tnw[t]);
                FloatVector w2r = bc(sp, twr[t + 1]);
                FloatVector w2i = bc(sp, twi[t + 1]);
                FloatVector n2i = bc(sp, tnw[t + 1]);
                FloatVector w3r = bc(sp, twr[t + 2]);
                FloatVector w3i = bc(sp, twi[t + 2]);
                FloatVector n3i = bc(sp, tnw[t + 2]);
                for (int c = 0; c < width; c += v) {
                    int i0 = in + c;
                    int i1 = i0 + d;
                    int i2 = i1 + d;
                    int i3 = i2 + d;
                    FloatVector xr = ld(sp, s, i1);
                    FloatVector xi = ld(sp, s, i1 + io);
                    FloatVector v1r = mulRe(xr, xi, w1r, n1i);
                    FloatVector v1i = mulIm(xr, xi, w1r, w1i);
                    xr = ld(sp, s, i2);
                    xi = ld(sp, s, i2 + io);
                    FloatVector v2r = mulRe(xr, xi, w2r, n2i);
                    FloatVector v2i = mulIm(xr, xi, w2r, w2i);
                    xr = ld(sp, s, i3);
                    xi = ld(sp, s, i3 + io);
                    FloatVector v3r = mulRe(xr, xi, w3r, n3i);
                    FloatVector v3i = mulIm(xr, xi, w3r, w3i);
                    FloatVector v0r = ld(sp, s, i0);
                    FloatVector v0i = ld(sp, s, i0 + io);
                    FloatVector t0r = v0r.add(v2r);
                    FloatVector t0i = v0i.add(v2i);
                    FloatVector t1r = v0r.sub(v2r);
                    FloatVector t1i = v0i.sub(v2i);
                    FloatVector t2r = v1r.add(v3r);
                    FloatVector t2i = v1i.add(v3i);
                    FloatVector t3r = v1r.sub(v3r);
                    FloatVector t3i = v1i.sub(v3i);
                    int o = out + c;
                    t0r.add(t2r).intoArray(s, o);
                    t0i.add(t2i).intoArray(s, o + io);
                    t0r.sub(t2r).intoArray(s, o + 2 * ls);
                    t0i.sub(t2i).intoArray(s, o + 2 * ls + io);
                    t1r.add(t3i).intoArray(s, o + l1);        // t1 - i t3
                    t1i.sub(t3r).intoArray(s, o + l1 + io);
                    t1r.sub(t3i).intoArray(s, o + l3);        // t1 + i t3
                    t1i.add(t3r).intoArray(s, o + l3 + io);
                }
            }
        }
    }

    static void pass3(FloatVector z, float[] s, int src, int dst, int count, int width,
                      int es, int io, int span, float[] twr, float[] twi, float[] tnw, boolean inv) {
        int m = count / 3;
        for (int blk = 0; blk < m; blk += span) {
            block3(z, s, src + blk * es, dst + 3 * blk * es, m * es, span, width, es, io, twr, twi, tnw, inv);
        }
    }

    /** One block of pass3: the span butterflies reading src + k es + r d, writing dst + k es + q ls. */
    private static void block3(FloatVector z, float[] s, int src, int dst, int d, int span, int width,
                               int es, int io, float[] twr, float[] twi, float[] tnw, boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int ls = span * es;
        float sg = inv ? 1f : -1f;
        FloatVector c1 = bc(sp, C31);
        FloatVector s1 = bc(sp, sg * S31);
        {
            for (int k = 0; k < span; k++) {
                int in = src + k * es;
                int out = dst + k * es;
                int t = 2 * k;
                FloatVector w1r = bc(sp, twr[t]);
                FloatVector w1i = bc(sp, twi[t]);
                FloatVector n1i = bc(sp, tnw[t]);
                FloatVector w2r = bc(sp, twr[t + 1]);
                FloatVector w2i = bc(sp, twi[t + 1]);
                FloatVector n2i = bc(sp, tnw[t + 1]);
                for (int c = 0; c < width; c += v) {
                    int i0 = in + c;
                    int i1 = i0 + d;
                    int i2 = i1 + d;
                    FloatVector v0r = ld(sp, s, i0);
                    FloatVector v0i = ld(sp, s, i0 + io);
                    FloatVector xr = ld(sp, s, i1);
                    FloatVector xi = ld(sp, s, i1 + io);
                    FloatVector v1r = mulRe(xr, xi, w1r, n1i);
                    FloatVector v1i = mulIm(xr, xi, w1r, w1i);
                    xr = ld(sp, s, i2);
                    xi = ld(sp, s, i2 + io);
                    FloatVector v2r = mulRe(xr, xi, w2r, n2i);
                    FloatVector v2i = mulIm(xr, xi, w2r, w2i);
                    FloatVector ar = v1r.add(v2r);
                    FloatVector ai = v1i.add(v2i);
                    FloatVector br = v1r.sub(v2r);
                    FloatVector bi = v1i.sub(v2i);
                    FloatVector cr = ar.fma(c1, v0r);
                    FloatVector ci = ai.fma(c1, v0i);
                    FloatVector rr = bi.mul(s1);       // e sin(2 pi/3) b, times i: (-rr, ri)
                    FloatVector ri = br.mul(s1);
                    int o0 = out + c;
                    int o1 = o0 + ls;
                    int o2 = o1 + ls;
                    v0r.add(ar).intoArray(s, o0);
                    v0i.add(ai).intoArray(s, o0 + io);
                    cr.sub(rr).intoArray(s, o1);
                    ci.add(ri).intoArray(s, o1 + io);
                    cr.add(rr).intoArray(s, o2);
                    ci.sub(ri).intoArray(s, o2 + io);
                }
            }
        }
    }

    static void pass5(FloatVector z, float[] s, int src, int dst, int count, int width,
                      int es, int io, int span, float[] twr, float[] twi, float[] tnw, boolean inv) {
        int m = count / 5;
        for (int blk = 0; blk < m; blk += span) {
            block5(z, s, src + blk * es, dst + 5 * blk * es, m * es, span, width, es, io, twr, twi, tnw, inv);
        }
    }

    /** One block of pass5: the span butterflies reading src + k es + r d, writing dst + k es + q ls. */
    private static void block5(FloatVector z, float[] s, int src, int dst, int d, int span, int width,
                               int es, int io, float[] twr, float[] twi, float[] tnw, boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int ls = span * es;
        float sg = inv ? 1f : -1f;
        FloatVector c1 = bc(sp, C51);
        FloatVector c2 = bc(sp, C52);
        FloatVector s1 = bc(sp, sg * S51);
        FloatVector s2 = bc(sp, sg * S52);
        FloatVector ns1 = bc(sp, -sg * S51);
        {
            for (int k = 0; k < span; k++) {
                int in = src + k * es;
                int out = dst + k * es;
                int t = 4 * k;
                for (int c = 0; c < width; c += v) {
                    int i0 = in + c;
                    FloatVector v0r = ld(sp, s, i0);
                    FloatVector v0i = ld(sp, s, i0 + io);
                    FloatVector v1r = twRe(sp, s, i0 + d, io, twr[t], twi[t]);
                    FloatVector v1i = twIm(sp, s, i0 + d, io, twr[t], twi[t]);
                    FloatVector v2r = twRe(sp, s, i0 + 2 * d, io, twr[t + 1], twi[t + 1]);
                    FloatVector v2i = twIm(sp, s, i0 + 2 * d, io, twr[t + 1], twi[t + 1]);
                    FloatVector v3r = twRe(sp, s, i0 + 3 * d, io, twr[t + 2], twi[t + 2]);
                    FloatVector v3i = twIm(sp, s, i0 + 3 * d, io, twr[t + 2], twi[t + 2]);
                    FloatVector v4r = twRe(sp, s, i0 + 4 * d, io, twr[t + 3], twi[t + 3]);
                    FloatVector v4i = twIm(sp, s, i0 + 4 * d, io, twr[t + 3], twi[t + 3]);
                    FloatVector a1r = v1r.add(v4r);
                    FloatVector a1i = v1i.add(v4i);
                    FloatVector b1r = v1r.sub(v4r);
                    FloatVector b1i = v1i.sub(v4i);
                    FloatVector a2r = v2r.add(v3r);
                    FloatVector a2i = v2i.add(v3i);
                    FloatVector b2r = v2r.sub(v3r);
                    FloatVector b2i = v2i.sub(v3i);
                    FloatVector c1r = a2r.fma(c2, a1r.fma(c1, v0r));
                    FloatVector c1i = a2i.fma(c2, a1i.fma(c1, v0i));
                    FloatVector d1r = b2r.fma(s2, b1r.mul(s1));
                    FloatVector d1i = b2i.fma(s2, b1i.mul(s1));
                    FloatVector c2r = a2r.fma(c1, a1r.fma(c2, v0r));
                    FloatVector c2i = a2i.fma(c1, a1i.fma(c2, v0i));
                    FloatVector d2r = b2r.fma(ns1, b1r.mul(s2));
                    FloatVector d2i = b2i.fma(ns1, b1i.mul(s2));
                    int o0 = out + c;
                    int o1 = o0 + ls;
                    int o2 = o1 + ls;
                    int o3 = o2 + ls;
                    int o4 = o3 + ls;
                    v0r.add(a1r).add(a2r).intoArray(s, o0);
                    v0i.add(a1i).add(a2i).intoArray(s, o0 + io);
                    c1r.sub(d1i).intoArray(s, o1);
                    c1i.add(d1r).intoArray(s, o1 + io);
                    c1r.add(d1i).intoArray(s, o4);
                    c1i.sub(d1r).intoArray(s, o4 + io);
                    c2r.sub(d2i).intoArray(s, o2);
                    c2i.add(d2r).intoArray(s, o2 + io);
                    c2r.add(d2i).intoArray(s, o3);
                    c2i.sub(d2r).intoArray(s, o3 + io);
                }
            }
        }
    }

    static void pass7(FloatVector z, float[] s, int src, int dst, int count, int width,
                      int es, int io, int span, float[] twr, float[] twi, float[] tnw, boolean inv) {
        int m = count / 7;
        for (int blk = 0; blk < m; blk += span) {
            block7(z, s, src + blk * es, dst + 7 * blk * es, m * es, span, width, es, io, twr, twi, tnw, inv);
        }
    }

    /** One block of pass7: the span butterflies reading src + k es + r d, writing dst + k es + q ls. */
    private static void block7(FloatVector z, float[] s, int src, int dst, int d, int span, int width,
                               int es, int io, float[] twr, float[] twi, float[] tnw, boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int ls = span * es;
        float sg = inv ? 1f : -1f;
        FloatVector c1 = bc(sp, C71);
        FloatVector c2 = bc(sp, C72);
        FloatVector c3 = bc(sp, C73);
        FloatVector s1 = bc(sp, sg * S71);
        FloatVector s2 = bc(sp, sg * S72);
        FloatVector s3 = bc(sp, sg * S73);
        FloatVector ns1 = bc(sp, -sg * S71);
        FloatVector ns3 = bc(sp, -sg * S73);
        {
            for (int k = 0; k < span; k++) {
                int in = src + k * es;
                int out = dst + k * es;
                int t = 6 * k;
                for (int c = 0; c < width; c += v) {
                    int i0 = in + c;
                    FloatVector v0r = ld(sp, s, i0);
                    FloatVector v0i = ld(sp, s, i0 + io);
                    FloatVector v1r = twRe(sp, s, i0 + d, io, twr[t], twi[t]);
                    FloatVector v1i = twIm(sp, s, i0 + d, io, twr[t], twi[t]);
                    FloatVector v2r = twRe(sp, s, i0 + 2 * d, io, twr[t + 1], twi[t + 1]);
                    FloatVector v2i = twIm(sp, s, i0 + 2 * d, io, twr[t + 1], twi[t + 1]);
                    FloatVector v3r = twRe(sp, s, i0 + 3 * d, io, twr[t + 2], twi[t + 2]);
                    FloatVector v3i = twIm(sp, s, i0 + 3 * d, io, twr[t + 2], twi[t + 2]);
                    FloatVector v4r = twRe(sp, s, i0 + 4 * d, io, twr[t + 3], twi[t + 3]);
                    FloatVector v4i = twIm(sp, s, i0 + 4 * d, io, twr[t + 3], twi[t + 3]);
                    FloatVector v5r = twRe(sp, s, i0 + 5 * d, io, twr[t + 4], twi[t + 4]);
                    FloatVector v5i = twIm(sp, s, i0 + 5 * d, io, twr[t + 4], twi[t + 4]);
                    FloatVector v6r = twRe(sp, s, i0 + 6 * d, io, twr[t + 5], twi[t + 5]);
                    FloatVector v6i = twIm(sp, s, i0 + 6 * d, io, twr[t + 5], twi[t + 5]);
                    FloatVector a1r = v1r.add(v6r);
                    FloatVector a1i = v1i.add(v6i);
                    FloatVector b1r = v1r.sub(v6r);
                    FloatVector b1i = v1i.sub(v6i);
                    FloatVector a2r = v2r.add(v5r);
                    FloatVector a2i = v2i.add(v5i);
                    FloatVector b2r = v2r.sub(v5r);
                    FloatVector b2i = v2i.sub(v5i);
                    FloatVector a3r = v3r.add(v4r);
                    FloatVector a3i = v3i.add(v4i);
                    FloatVector b3r = v3r.sub(v4r);
                    FloatVector b3i = v3i.sub(v4i);
                    // coefficients of a_m, b_m in output q: cos, sin of 2 pi (m q mod 7) / 7
                    FloatVector c1r = a3r.fma(c3, a2r.fma(c2, a1r.fma(c1, v0r)));
                    FloatVector c1i = a3i.fma(c3, a2i.fma(c2, a1i.fma(c1, v0i)));
                    FloatVector d1r = b3r.fma(s3, b2r.fma(s2, b1r.mul(s1)));
                    FloatVector d1i = b3i.fma(s3, b2i.fma(s2, b1i.mul(s1)));
                    FloatVector c2r = a3r.fma(c1, a2r.fma(c3, a1r.fma(c2, v0r)));
                    FloatVector c2i = a3i.fma(c1, a2i.fma(c3, a1i.fma(c2, v0i)));
                    FloatVector d2r = b3r.fma(ns1, b2r.fma(ns3, b1r.mul(s2)));
                    FloatVector d2i = b3i.fma(ns1, b2i.fma(ns3, b1i.mul(s2)));
                    FloatVector c3r = a3r.fma(c2, a2r.fma(c1, a1r.fma(c3, v0r)));
                    FloatVector c3i = a3i.fma(c2, a2i.fma(c1, a1i.fma(c3, v0i)));
                    FloatVector d3r = b3r.fma(s2, b2r.fma(ns1, b1r.mul(s3)));
                    FloatVector d3i = b3i.fma(s2, b2i.fma(ns1, b1i.mul(s3)));
                    int o0 = out + c;
                    int o1 = o0 + ls;
                    int o2 = o1 + ls;
                    int o3 = o2 + ls;
                    int o4 = o3 + ls;
                    int o5 = o4 + ls;
                    int o6 = o5 + ls;
                    v0r.add(a1r).add(a2r).add(a3r).intoArray(s, o0);
                    v0i.add(a1i).add(a2i).add(a3i).intoArray(s, o0 + io);
                    c1r.sub(d1i).intoArray(s, o1);
                    c1i.add(d1r).intoArray(s, o1 + io);
                    c1r.add(d1i).intoArray(s, o6);
                    c1i.sub(d1r).intoArray(s, o6 + io);
                    c2r.sub(d2i).intoArray(s, o2);
                    c2i.add(d2r).intoArray(s, o2 + io);
                    c2r.add(d2i).intoArray(s, o5);
                    c2i.sub(d2r).intoArray(s, o5 + io);
                    c3r.sub(d3i).intoArray(s, o3);
                    c3i.add(d3r).intoArray(s, o3 + io);
                    c3r.add(d3i).intoArray(s, o4);
                    c3i.sub(d3r).intoArray(s, o4 + io);
                }
            }
        }
    }

    /** pass2 with span 1 (no twiddles): butterfly j reads src + j es + r d, writes dst + (2 j + q) es. */
    private static void first2(FloatVector z, float[] s, int src, int dst, int m, int width, int es, int io,
                               boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int d = m * es;
        for (int j = 0; j < m; j++) {
            int in = src + j * es;
            int out = dst + 2 * j * es;
            for (int c = 0; c < width; c += v) {
                int i0 = in + c;
                FloatVector ar = ld(sp, s, i0);
                FloatVector ai = ld(sp, s, i0 + io);
                FloatVector br = ld(sp, s, i0 + d);
                FloatVector bi = ld(sp, s, i0 + d + io);
                int o0 = out + c;
                ar.add(br).intoArray(s, o0);
                ai.add(bi).intoArray(s, o0 + io);
                ar.sub(br).intoArray(s, o0 + es);
                ai.sub(bi).intoArray(s, o0 + es + io);
            }
        }
    }

    /** pass4 with span 1 (no twiddles): butterfly j reads src + j es + r d, writes dst + (4 j + q) es. */
    private static void first4(FloatVector z, float[] s, int src, int dst, int m, int width, int es, int io,
                               boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int d = m * es;
        int l1 = inv ? 3 * es : es;
        int l3 = inv ? es : 3 * es;
        for (int j = 0; j < m; j++) {
            int in = src + j * es;
            int out = dst + 4 * j * es;
            for (int c = 0; c < width; c += v) {
                int i0 = in + c;
                FloatVector v0r = ld(sp, s, i0);
                FloatVector v0i = ld(sp, s, i0 + io);
                FloatVector v1r = ld(sp, s, i0 + d);
                FloatVector v1i = ld(sp, s, i0 + d + io);
                FloatVector v2r = ld(sp, s, i0 + 2 * d);
                FloatVector v2i = ld(sp, s, i0 + 2 * d + io);
                FloatVector v3r = ld(sp, s, i0 + 3 * d);
                FloatVector v3i = ld(sp, s, i0 + 3 * d + io);
                FloatVector t0r = v0r.add(v2r);
                FloatVector t0i = v0i.add(v2i);
                FloatVector t1r = v0r.sub(v2r);
                FloatVector t1i = v0i.sub(v2i);
                FloatVector t2r = v1r.add(v3r);
                FloatVector t2i = v1i.add(v3i);
                FloatVector t3r = v1r.sub(v3r);
                FloatVector t3i = v1i.sub(v3i);
                int o = out + c;
                t0r.add(t2r).intoArray(s, o);
                t0i.add(t2i).intoArray(s, o + io);
                t0r.sub(t2r).intoArray(s, o + 2 * es);
                t0i.sub(t2i).intoArray(s, o + 2 * es + io);
                t1r.add(t3i).intoArray(s, o + l1);        // t1 - i t3
                t1i.sub(t3r).intoArray(s, o + l1 + io);
                t1r.sub(t3i).intoArray(s, o + l3);        // t1 + i t3
                t1i.add(t3r).intoArray(s, o + l3 + io);
            }
        }
    }

    /**
     * The first radix-4 pass (span 1) with every input element first multiplied by its own twiddle
     * vector: element e, column c by (pr + i pwi)[e width + c] (pnw = -pwi).
     */
    static void first4Tw(FloatVector z, float[] s, int src, int dst, int count, int width, int es, int io,
                         boolean inv, float[] pr, float[] pwi, float[] pnw) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int m = count / 4;
        int d = m * es;
        int dw = m * width;
        int l1 = inv ? 3 * es : es;
        int l3 = inv ? es : 3 * es;
        for (int j = 0; j < m; j++) {
            int in = src + j * es;
            int out = dst + 4 * j * es;
            for (int c = 0; c < width; c += v) {
                int i0 = in + c;
                int w0 = j * width + c;
                FloatVector xr = ld(sp, s, i0);
                FloatVector xi = ld(sp, s, i0 + io);
                FloatVector v0r = mulRe(xr, xi, ld(sp, pr, w0), ld(sp, pnw, w0));
                FloatVector v0i = mulIm(xr, xi, ld(sp, pr, w0), ld(sp, pwi, w0));
                xr = ld(sp, s, i0 + d);
                xi = ld(sp, s, i0 + d + io);
                FloatVector v1r = mulRe(xr, xi, ld(sp, pr, w0 + dw), ld(sp, pnw, w0 + dw));
                FloatVector v1i = mulIm(xr, xi, ld(sp, pr, w0 + dw), ld(sp, pwi, w0 + dw));
                xr = ld(sp, s, i0 + 2 * d);
                xi = ld(sp, s, i0 + 2 * d + io);
                FloatVector v2r = mulRe(xr, xi, ld(sp, pr, w0 + 2 * dw), ld(sp, pnw, w0 + 2 * dw));
                FloatVector v2i = mulIm(xr, xi, ld(sp, pr, w0 + 2 * dw), ld(sp, pwi, w0 + 2 * dw));
                xr = ld(sp, s, i0 + 3 * d);
                xi = ld(sp, s, i0 + 3 * d + io);
                FloatVector v3r = mulRe(xr, xi, ld(sp, pr, w0 + 3 * dw), ld(sp, pnw, w0 + 3 * dw));
                FloatVector v3i = mulIm(xr, xi, ld(sp, pr, w0 + 3 * dw), ld(sp, pwi, w0 + 3 * dw));
                FloatVector t0r = v0r.add(v2r);
                FloatVector t0i = v0i.add(v2i);
                FloatVector t1r = v0r.sub(v2r);
                FloatVector t1i = v0i.sub(v2i);
                FloatVector t2r = v1r.add(v3r);
                FloatVector t2i = v1i.add(v3i);
                FloatVector t3r = v1r.sub(v3r);
                FloatVector t3i = v1i.sub(v3i);
                int o = out + c;
                t0r.add(t2r).intoArray(s, o);
                t0i.add(t2i).intoArray(s, o + io);
                t0r.sub(t2r).intoArray(s, o + 2 * es);
                t0i.sub(t2i).intoArray(s, o + 2 * es + io);
                t1r.add(t3i).intoArray(s, o + l1);        // t1 - i t3
                t1i.sub(t3r).intoArray(s, o + l1 + io);
                t1r.sub(t3i).intoArray(s, o + l3);        // t1 + i t3
                t1i.add(t3r).intoArray(s, o + l3 + io);
            }
        }
    }

    /**
     * The first radix-4 pass (span 1) over count elements of V lanes, read straight from interleaved
     * complex data: element e is d[off + 2 V e .. + 2 V), deinterleaved in registers.
     */
    static void first4In(FloatVector z, FloatVector[] ix, float[] d, int off, int count,
                         float[] s, int dst, int es, int io, boolean inv) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        int m = count / 4;
        int dd = 2 * v * m;
        int l1 = inv ? 3 * es : es;
        int l3 = inv ? es : 3 * es;
        FloatVector ev = ix[0];
        FloatVector od = ix[1];
        for (int j = 0; j < m; j++) {
            int i0 = off + 2 * v * j;
            FloatVector a = ld(sp, d, i0);
            FloatVector b = ld(sp, d, i0 + v);
            FloatVector v0r = ev.selectFrom(a, b);
            FloatVector v0i = od.selectFrom(a, b);
            a = ld(sp, d, i0 + dd);
            b = ld(sp, d, i0 + dd + v);
            FloatVector v1r = ev.selectFrom(a, b);
            FloatVector v1i = od.selectFrom(a, b);
            a = ld(sp, d, i0 + 2 * dd);
            b = ld(sp, d, i0 + 2 * dd + v);
            FloatVector v2r = ev.selectFrom(a, b);
            FloatVector v2i = od.selectFrom(a, b);
            a = ld(sp, d, i0 + 3 * dd);
            b = ld(sp, d, i0 + 3 * dd + v);
            FloatVector v3r = ev.selectFrom(a, b);
            FloatVector v3i = od.selectFrom(a, b);
            FloatVector t0r = v0r.add(v2r);
            FloatVector t0i = v0i.add(v2i);
            FloatVector t1r = v0r.sub(v2r);
            FloatVector t1i = v0i.sub(v2i);
            FloatVector t2r = v1r.add(v3r);
            FloatVector t2i = v1i.add(v3i);
            FloatVector t3r = v1r.sub(v3r);
            FloatVector t3i = v1i.sub(v3i);
            int o = dst + 4 * j * es;
            t0r.add(t2r).intoArray(s, o);
            t0i.add(t2i).intoArray(s, o + io);
            t0r.sub(t2r).intoArray(s, o + 2 * es);
            t0i.sub(t2i).intoArray(s, o + 2 * es + io);
            t1r.add(t3i).intoArray(s, o + l1);        // t1 - i t3
            t1i.sub(t3r).intoArray(s, o + l1 + io);
            t1r.sub(t3i).intoArray(s, o + l3);        // t1 + i t3
            t1i.add(t3r).intoArray(s, o + l3 + io);
        }
    }

    /**
     * Interleaved complex data to count elements of V lanes (for plans whose first pass is not radix 4):
     * element e takes the {@code rowFloats / 2} complex numbers at {@code d[off + rowFloats e]}, real
     * parts to {@code s[dst + e es]}, imaginary parts to {@code s[dst + e es + io]}. Rows are V or V / 2
     * complex numbers ({@code rowFloats} 2V or V); with V / 2 the other lanes get copies, columns that no
     * later step reads.
     */
    static void deinterleave(FloatVector z, FloatVector[] ix, float[] d, int off, int rowFloats, int count,
                             float[] s, int dst, int es, int io) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        FloatVector ev = ix[0];
        FloatVector od = ix[1];
        if (rowFloats == 2 * v) {
            for (int e = 0; e < count; e++) {
                int i0 = off + rowFloats * e;
                FloatVector a = ld(sp, d, i0);
                FloatVector b = ld(sp, d, i0 + v);
                ev.selectFrom(a, b).intoArray(s, dst + e * es);
                od.selectFrom(a, b).intoArray(s, dst + e * es + io);
            }
            return;
        }
        if (rowFloats != v) {
            throw new IllegalArgumentException("rowFloats: expected " + v + " or " + 2 * v + ", got " + rowFloats);
        }
        // a row of V / 2 complex numbers: one vector, read as both sources
        for (int e = 0; e < count; e++) {
            FloatVector a = ld(sp, d, off + rowFloats * e);
            ev.selectFrom(a, a).intoArray(s, dst + e * es);
            od.selectFrom(a, a).intoArray(s, dst + e * es + io);
        }
    }

    /** Real part of the element at i times the twiddle (wr, wi). */
    private static FloatVector twRe(VectorSpecies<Float> sp, float[] s, int i, int io, float wr, float wi) {
        return ld(sp, s, i).fma(bc(sp, wr), ld(sp, s, i + io).mul(bc(sp, -wi)));
    }

    /** Imaginary part of the element at i times the twiddle (wr, wi). */
    private static FloatVector twIm(VectorSpecies<Float> sp, float[] s, int i, int io, float wr, float wi) {
        return ld(sp, s, i).fma(bc(sp, wi), ld(sp, s, i + io).mul(bc(sp, wr)));
    }

    // ---------------------------------------------------------------------------------------
    // Lane shuffles. Index vectors for two-source selectFrom (lanes < V pick from the first
    // vector, lanes >= V from the second):
    //   [0, 1]: deinterleave (even floats, odd floats of the pair a, b)
    //   [2, 3]: interleave (low half, high half of re, im zipped)
    //   [4 + 2 st, 5 + 2 st]: transpose stage st (h = V >> (st + 1)): swap the off-diagonal h x h blocks

    static FloatVector[] shuffleIndexes(VectorSpecies<Float> sp) {
        int v = sp.length();
        int stages = Integer.numberOfTrailingZeros(v);
        FloatVector[] ix = new FloatVector[4 + 2 * stages];
        float[] a = new float[v];
        float[] b = new float[v];
        for (int l = 0; l < v; l++) {
            a[l] = 2 * l;
            b[l] = 2 * l + 1;
        }
        ix[0] = FloatVector.fromArray(sp, a, 0);
        ix[1] = FloatVector.fromArray(sp, b, 0);
        for (int l = 0; l < v; l++) {
            a[l] = (l % 2 == 0 ? 0 : v) + l / 2;
            b[l] = (l % 2 == 0 ? 0 : v) + v / 2 + l / 2;
        }
        ix[2] = FloatVector.fromArray(sp, a, 0);
        ix[3] = FloatVector.fromArray(sp, b, 0);
        for (int st = 0; st < stages; st++) {
            int h = v >> (st + 1);
            for (int l = 0; l < v; l++) {
                a[l] = (l & h) == 0 ? l : v + l - h;
                b[l] = (l & h) == 0 ? l + h : v + l;
            }
            ix[4 + 2 * st] = FloatVector.fromArray(sp, a, 0);
            ix[5 + 2 * st] = FloatVector.fromArray(sp, b, 0);
        }
        return ix;
    }

    /**
     * Split layout to interleaved complex {@code d[off ..]}: row r (of {@code rows}) holds {@code cols}
     * complex numbers, real parts at {@code s[src + r es ..]}, imaginary parts at {@code s[src + r es + io ..]},
     * and goes to {@code d[off + 2 cols r ..]}. A row's last {@code cols mod V} numbers are copied one by one:
     * a masked store reaching past the end of the array takes the Vector API's slow path, which C2 does not
     * always compile without boxing.
     */
    static void interleaveRows(FloatVector z, FloatVector[] ix, float[] s, int src, int es, int io,
                               int rows, int cols, float[] d, int off) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        int v = sp.length();
        FloatVector lo = ix[2];
        FloatVector hi = ix[3];
        if (es == cols && cols % v == 0) {
            // rows back to back, no tails: one flat loop (a loop over a row of one vector per row costs C2 more
            // than the copy, measured 20 % on n = 256)
            int runs = rows * cols / v;
            for (int q = 0; q < runs; q++) {
                FloatVector a = ld(sp, s, src + q * v);
                FloatVector b = ld(sp, s, src + q * v + io);
                lo.selectFrom(a, b).intoArray(d, off + 2 * v * q);
                hi.selectFrom(a, b).intoArray(d, off + 2 * v * q + v);
            }
            return;
        }
        int full = cols - cols % v;
        for (int r = 0; r < rows; r++) {
            int i = src + r * es;
            int o = off + 2 * cols * r;
            for (int c = 0; c < full; c += v) {
                FloatVector a = ld(sp, s, i + c);
                FloatVector b = ld(sp, s, i + c + io);
                lo.selectFrom(a, b).intoArray(d, o + 2 * c);
                hi.selectFrom(a, b).intoArray(d, o + 2 * c + v);
            }
            for (int c = full; c < cols; c++) {
                d[o + 2 * c] = s[i + c];
                d[o + 2 * c + 1] = s[i + c + io];
            }
        }
    }

    /**
     * Transposes the V x V tile whose rows are a[src + r ss .. + V) into b[dst + r ds .. + V)
     * (a and b must not overlap).
     */
    static void transposeTile(FloatVector z, FloatVector[] ix, float[] a, int src, int ss,
                              float[] b, int dst, int ds) {
        VectorSpecies<Float> sp = SimdSupport.SPECIES;
        switch (sp.length()) {
            case 4 -> tile4(z, ix, a, src, ss, b, dst, ds);
            case 8 -> tile8(z, ix, a, src, ss, b, dst, ds);
            case 16 -> tile16(z, ix, a, src, ss, b, dst, ds);
            default -> throw new AssertionError(sp.length());
        }
    }

    private static void tile4(FloatVector z, FloatVector[] ix, float[] a, int src, int ss,
                               float[] b, int dst, int ds) {
        VectorSpecies<Float> S = speciesOf(z);
        FloatVector x0 = FloatVector.fromArray(S, a, src + 0 * ss);
        FloatVector x1 = FloatVector.fromArray(S, a, src + 1 * ss);
        FloatVector x2 = FloatVector.fromArray(S, a, src + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, a, src + 3 * ss);
        FloatVector t;
        FloatVector lo0 = ix[4], hi0 = ix[4 + 1];   // h = 2
        t = lo0.selectFrom(x0, x2); x2 = hi0.selectFrom(x0, x2); x0 = t;
        t = lo0.selectFrom(x1, x3); x3 = hi0.selectFrom(x1, x3); x1 = t;
        FloatVector lo1 = ix[4 + 2], hi1 = ix[4 + 3];   // h = 1
        t = lo1.selectFrom(x0, x1); x1 = hi1.selectFrom(x0, x1); x0 = t;
        t = lo1.selectFrom(x2, x3); x3 = hi1.selectFrom(x2, x3); x2 = t;
        x0.intoArray(b, dst + 0 * ds);
        x1.intoArray(b, dst + 1 * ds);
        x2.intoArray(b, dst + 2 * ds);
        x3.intoArray(b, dst + 3 * ds);
    }

    private static void tile8(FloatVector z, FloatVector[] ix, float[] a, int src, int ss,
                               float[] b, int dst, int ds) {
        VectorSpecies<Float> S = speciesOf(z);
        FloatVector x0 = FloatVector.fromArray(S, a, src + 0 * ss);
        FloatVector x1 = FloatVector.fromArray(S, a, src + 1 * ss);
        FloatVector x2 = FloatVector.fromArray(S, a, src + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, a, src + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, a, src + 4 * ss);
        FloatVector x5 = FloatVector.fromArray(S, a, src + 5 * ss);
        FloatVector x6 = FloatVector.fromArray(S, a, src + 6 * ss);
        FloatVector x7 = FloatVector.fromArray(S, a, src + 7 * ss);
        FloatVector t;
        FloatVector lo0 = ix[4], hi0 = ix[4 + 1];   // h = 4
        t = lo0.selectFrom(x0, x4); x4 = hi0.selectFrom(x0, x4); x0 = t;
        t = lo0.selectFrom(x1, x5); x5 = hi0.selectFrom(x1, x5); x1 = t;
        t = lo0.selectFrom(x2, x6); x6 = hi0.selectFrom(x2, x6); x2 = t;
        t = lo0.selectFrom(x3, x7); x7 = hi0.selectFrom(x3, x7); x3 = t;
        FloatVector lo1 = ix[4 + 2], hi1 = ix[4 + 3];   // h = 2
        t = lo1.selectFrom(x0, x2); x2 = hi1.selectFrom(x0, x2); x0 = t;
        t = lo1.selectFrom(x1, x3); x3 = hi1.selectFrom(x1, x3); x1 = t;
        t = lo1.selectFrom(x4, x6); x6 = hi1.selectFrom(x4, x6); x4 = t;
        t = lo1.selectFrom(x5, x7); x7 = hi1.selectFrom(x5, x7); x5 = t;
        FloatVector lo2 = ix[4 + 4], hi2 = ix[4 + 5];   // h = 1
        t = lo2.selectFrom(x0, x1); x1 = hi2.selectFrom(x0, x1); x0 = t;
        t = lo2.selectFrom(x2, x3); x3 = hi2.selectFrom(x2, x3); x2 = t;
        t = lo2.selectFrom(x4, x5); x5 = hi2.selectFrom(x4, x5); x4 = t;
        t = lo2.selectFrom(x6, x7); x7 = hi2.selectFrom(x6, x7); x6 = t;
        x0.intoArray(b, dst + 0 * ds);
        x1.intoArray(b, dst + 1 * ds);
        x2.intoArray(b, dst + 2 * ds);
        x3.intoArray(b, dst + 3 * ds);
        x4.intoArray(b, dst + 4 * ds);
        x5.intoArray(b, dst + 5 * ds);
        x6.intoArray(b, dst + 6 * ds);
        x7.intoArray(b, dst + 7 * ds);
    }

    private static void tile16(FloatVector z, FloatVector[] ix, float[] a, int src, int ss,
                               float[] b, int dst, int ds) {
        VectorSpecies<Float> S = speciesOf(z);
        FloatVector x0 = FloatVector.fromArray(S, a, src + 0 * ss);
        FloatVector x1 = FloatVector.fromArray(S, a, src + 1 * ss);
        FloatVector x2 = FloatVector.fromArray(S, a, src + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, a, src + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, a, src + 4 * ss);
        FloatVector x5 = FloatVector.fromArray(S, a, src + 5 * ss);
        FloatVector x6 = FloatVector.fromArray(S, a, src + 6 * ss);
        FloatVector x7 = FloatVector.fromArray(S, a, src + 7 * ss);
        FloatVector x8 = FloatVector.fromArray(S, a, src + 8 * ss);
        FloatVector x9 = FloatVector.fromArray(S, a, src + 9 * ss);
        FloatVector x10 = FloatVector.fromArray(S, a, src + 10 * ss);
        FloatVector x11 = FloatVector.fromArray(S, a, src + 11 * ss);
        FloatVector x12 = FloatVector.fromArray(S, a, src + 12 * ss);
        FloatVector x13 = FloatVector.fromArray(S, a, src + 13 * ss);
        FloatVector x14 = FloatVector.fromArray(S, a, src + 14 * ss);
        FloatVector x15 = FloatVector.fromArray(S, a, src + 15 * ss);
        FloatVector t;
        FloatVector lo0 = ix[4], hi0 = ix[4 + 1];   // h = 8
        t = lo0.selectFrom(x0, x8); x8 = hi0.selectFrom(x0, x8); x0 = t;
        t = lo0.selectFrom(x1, x9); x9 = hi0.selectFrom(x1, x9); x1 = t;
        t = lo0.selectFrom(x2, x10); x10 = hi0.selectFrom(x2, x10); x2 = t;
        t = lo0.selectFrom(x3, x11); x11 = hi0.selectFrom(x3, x11); x3 = t;
        t = lo0.selectFrom(x4, x12); x12 = hi0.selectFrom(x4, x12); x4 = t;
        t = lo0.selectFrom(x5, x13); x13 = hi0.selectFrom(x5, x13); x5 = t;
        t = lo0.selectFrom(x6, x14); x14 = hi0.selectFrom(x6, x14); x6 = t;
        t = lo0.selectFrom(x7, x15); x15 = hi0.selectFrom(x7, x15); x7 = t;
        FloatVector lo1 = ix[4 + 2], hi1 = ix[4 + 3];   // h = 4
        t = lo1.selectFrom(x0, x4); x4 = hi1.selectFrom(x0, x4); x0 = t;
        t = lo1.selectFrom(x1, x5); x5 = hi1.selectFrom(x1, x5); x1 = t;
        t = lo1.selectFrom(x2, x6); x6 = hi1.selectFrom(x2, x6); x2 = t;
        t = lo1.selectFrom(x3, x7); x7 = hi1.selectFrom(x3, x7); x3 = t;
        t = lo1.selectFrom(x8, x12); x12 = hi1.selectFrom(x8, x12); x8 = t;
        t = lo1.selectFrom(x9, x13); x13 = hi1.selectFrom(x9, x13); x9 = t;
        t = lo1.selectFrom(x10, x14); x14 = hi1.selectFrom(x10, x14); x10 = t;
        t = lo1.selectFrom(x11, x15); x15 = hi1.selectFrom(x11, x15); x11 = t;
        FloatVector lo2 = ix[4 + 4], hi2 = ix[4 + 5];   // h = 2
        t = lo2.selectFrom(x0, x2); x2 = hi2.selectFrom(x0, x2); x0 = t;
        t = lo2.selectFrom(x1, x3); x3 = hi2.selectFrom(x1, x3); x1 = t;
        t = lo2.selectFrom(x4, x6); x6 = hi2.selectFrom(x4, x6); x4 = t;
        t = lo2.selectFrom(x5, x7); x7 = hi2.selectFrom(x5, x7); x5 = t;
        t = lo2.selectFrom(x8, x10); x10 = hi2.selectFrom(x8, x10); x8 = t;
        t = lo2.selectFrom(x9, x11); x11 = hi2.selectFrom(x9, x11); x9 = t;
        t = lo2.selectFrom(x12, x14); x14 = hi2.selectFrom(x12, x14); x12 = t;
        t = lo2.selectFrom(x13, x15); x15 = hi2.selectFrom(x13, x15); x13 = t;
        FloatVector lo3 = ix[4 + 6], hi3 = ix[4 + 7];   // h = 1
        t = lo3.selectFrom(x0, x1); x1 = hi3.selectFrom(x0, x1); x0 = t;
        t = lo3.selectFrom(x2, x3); x3 = hi3.selectFrom(x2, x3); x2 = t;
        t = lo3.selectFrom(x4, x5); x5 = hi3.selectFrom(x4, x5); x4 = t;
        t = lo3.selectFrom(x6, x7); x7 = hi3.selectFrom(x6, x7); x6 = t;
        t = lo3.selectFrom(x8, x9); x9 = hi3.selectFrom(x8, x9); x8 = t;
        t = lo3.selectFrom(x10, x11); x11 = hi3.selectFrom(x10, x11); x10 = t;
        t = lo3.selectFrom(x12, x13); x13 = hi3.selectFrom(x12, x13); x12 = t;
        t = lo3.selectFrom(x14, x15); x15 = hi3.selectFrom(x14, x15); x14 = t;
        x0.intoArray(b, dst + 0 * ds);
        x1.intoArray(b, dst + 1 * ds);
        x2.intoArray(b, dst + 2 * ds);
        x3.intoArray(b, dst + 3 * ds);
        x4.intoArray(b, dst + 4 * ds);
        x5.intoArray(b, dst + 5 * ds);
        x6.intoArray(b, dst + 6 * ds);
        x7.intoArray(b, dst + 7 * ds);
        x8.intoArray(b, dst + 8 * ds);
        x9.intoArray(b, dst + 9 * ds);
        x10.intoArray(b, dst + 10 * ds);
        x11.intoArray(b, dst + 11 * ds);
        x12.intoArray(b, dst + 12 * ds);
        x13.intoArray(b, dst + 13 * ds);
        x14.intoArray(b, dst + 14 * ds);
        x15.intoArray(b, dst + 15 * ds);
    }
}
