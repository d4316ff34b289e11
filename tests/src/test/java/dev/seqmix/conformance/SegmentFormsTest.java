package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code MemorySegment} forms give the same bits as the {@code float[]} forms: off-heap segments of a
 * confined arena (which other threads may not touch), shared arenas, and heap segments.
 */
class SegmentFormsTest {

    interface SegmentSource {
        MemorySegment of(float[] a);

        MemorySegment zeros(int n);
    }

    static SegmentSource offHeap(Arena arena) {
        return new SegmentSource() {
            public MemorySegment of(float[] a) {
                MemorySegment s = arena.allocate(4L * a.length, 4);
                MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT, 0, a.length);
                return s;
            }

            public MemorySegment zeros(int n) {
                return arena.allocate(4L * n, 4);
            }
        };
    }

    static final SegmentSource HEAP = new SegmentSource() {
        public MemorySegment of(float[] a) {
            return MemorySegment.ofArray(a.clone());
        }

        public MemorySegment zeros(int n) {
            return MemorySegment.ofArray(new float[n]);
        }
    };

    static float[] read(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void segmentFormsEqualArrayForms(String backend) {
        try (Kernels k = Backends.open(backend); Arena confined = Arena.ofConfined(); Arena shared = Arena.ofShared()) {
            for (SegmentSource src : new SegmentSource[] {offHeap(confined), offHeap(shared), HEAP}) {
                check(k, src);
            }
        }
    }

    private static void check(Kernels k, SegmentSource src) {
        SplittableRandom rnd = new SplittableRandom(99);
        // scan, also in place
        float[] x = Data.uniform(rnd, 2 * 257 * 33, -1, 1);
        float[] out = new float[x.length];
        k.cumsum(2, 257, 33, x, out);
        MemorySegment so = src.zeros(x.length);
        k.cumsum(2, 257, 33, src.of(x), so);
        assertArrayEquals(out, read(so), 0f, "cumsum");
        MemorySegment inPlace = src.of(x);
        k.cumsum(2, 257, 33, inPlace, inPlace);
        assertArrayEquals(out, read(inPlace), 0f, "cumsum in place");
        k.cumsumReverse(2, 257, 33, x, out);
        k.cumsumReverse(2, 257, 33, src.of(x), so);
        assertArrayEquals(out, read(so), 0f, "cumsumReverse");

        // TaLK
        TalkShape ts = new TalkShape(2, 257, 33, 3, 7, 4);
        float[] left = Data.uniform(rnd, ts.offsetLength(), 0, 1.3);
        float[] right = Data.uniform(rnd, ts.offsetLength(), 0, 1.3);
        k.talkForward(ts, x, left, right, out);
        k.talkForward(ts, src.of(x), src.of(left), src.of(right), so);
        assertArrayEquals(out, read(so), 0f, "talkForward");
        TalkShape causal = new TalkShape(2, 257, 33, 3, 7, 0);
        k.talkForward(causal, x, left, null, out);
        k.talkForward(causal, src.of(x), src.of(left), null, so);
        assertArrayEquals(out, read(so), 0f, "talkForward causal");
        float[] g = Data.uniform(rnd, x.length, -1, 1);
        float[] gx = new float[x.length];
        float[] gl = new float[left.length];
        float[] gr = new float[left.length];
        k.talkBackward(ts, x, left, right, g, gx, gl, gr);
        MemorySegment sgx = src.zeros(x.length);
        MemorySegment sgl = src.zeros(left.length);
        MemorySegment sgr = src.zeros(left.length);
        k.talkBackward(ts, src.of(x), src.of(left), src.of(right), src.of(g), sgx, sgl, sgr);
        assertArrayEquals(gx, read(sgx), 0f, "gradX");
        assertArrayEquals(gl, read(sgl), 0f, "gradLeft");
        assertArrayEquals(gr, read(sgr), 0f, "gradRight");

        // FFT, complex and real
        for (int n : new int[] {1, 12, 64, 97, 1024}) {
            FftPlan p = k.fftPlan(n);
            float[] c = Data.uniform(rnd, 2 * n * 3, -1, 1);
            float[] ca = c.clone();
            p.forward(ca, 3);
            MemorySegment cs = src.of(c);
            p.forward(cs, 3);
            assertArrayEquals(ca, read(cs), 0f, "fft forward n=" + n);
            p.inverse(ca, 3);
            p.inverse(cs, 3);
            assertArrayEquals(ca, read(cs), 0f, "fft inverse n=" + n);
            float[] r = java.util.Arrays.copyOf(c, n * 3);
            float[] spec = new float[2 * (n / 2 + 1) * 3];
            p.forwardReal(r, spec, 3);
            MemorySegment ss = src.zeros(spec.length);
            p.forwardReal(src.of(r), ss, 3);
            assertArrayEquals(spec, read(ss), 0f, "fft forwardReal n=" + n);
            float[] back = new float[n * 3];
            p.inverseReal(spec, back, 3);
            MemorySegment sb = src.zeros(back.length);
            p.inverseReal(src.of(spec), sb, 3);
            assertArrayEquals(back, read(sb), 0f, "fft inverseReal n=" + n);
        }

        // Toeplitz, both paths
        for (int n : new int[] {5, 130}) {
            float[] coeffs = Data.uniform(rnd, 2 * (2 * n - 1), -1, 1);
            float[] tx = Data.uniform(rnd, 2 * n * 3, -1, 1);
            float[] y = new float[tx.length];
            k.toeplitzMatmul(2, n, 3, coeffs, tx, y);
            MemorySegment sy = src.zeros(y.length);
            k.toeplitzMatmul(2, n, 3, src.of(coeffs), src.of(tx), sy);
            assertArrayEquals(y, read(sy), 0f, "toeplitz n=" + n);
        }

        // attention
        AttentionShape as = new AttentionShape(2, 70, 2, 4, 3, 5, false);
        float[] q = Data.uniform(rnd, as.keyLength(), -1, 1);
        float[] kk = Data.uniform(rnd, as.keyLength(), -1, 1);
        float[] w = Data.uniform(rnd, as.projectionLength(), -1, 1);
        float[] v = Data.uniform(rnd, as.valueLength(), -1, 1);
        float[] bias = Data.uniform(rnd, as.biasLength(), -1, 1);
        float[] pq = new float[as.featureLength()];
        float[] pk = new float[as.featureLength()];
        k.randomFeatures(as, q, w, true, pq);
        k.randomFeatures(as, kk, w, false, pk);
        MemorySegment spq = src.zeros(pq.length);
        MemorySegment spk = src.zeros(pk.length);
        k.randomFeatures(as, src.of(q), src.of(w), true, spq);
        k.randomFeatures(as, src.of(kk), src.of(w), false, spk);
        assertArrayEquals(pq, read(spq), 0f, "randomFeatures queries");
        assertArrayEquals(pk, read(spk), 0f, "randomFeatures keys");
        float[] o = new float[as.valueLength()];
        MemorySegment sout = src.zeros(o.length);
        k.rpeAttention(as, pq, pk, v, bias, o);
        k.rpeAttention(as, spq, spk, src.of(v), src.of(bias), sout);
        assertArrayEquals(o, read(sout), 0f, "rpeAttention");
        k.softmaxRpeAttention(as, q, kk, v, bias, o);
        k.softmaxRpeAttention(as, src.of(q), src.of(kk), src.of(v), src.of(bias), sout);
        assertArrayEquals(o, read(sout), 0f, "softmaxRpeAttention");

        // the backward passes: three batch entries, so that the chunked run carries the bias gradient across chunks
        AttentionShape bs = new AttentionShape(3, 37, 2, 4, 3, 5, true);
        float[] bq = Data.uniform(rnd, bs.keyLength(), -1, 1);
        float[] bk = Data.uniform(rnd, bs.keyLength(), -1, 1);
        float[] bv = Data.uniform(rnd, bs.valueLength(), -1, 1);
        float[] bb = Data.uniform(rnd, bs.biasLength(), -1, 1);
        float[] gOut = Data.uniform(rnd, bs.valueLength(), -1, 1);
        float[] gPhi = Data.uniform(rnd, bs.featureLength(), -1, 1);
        float[] bpq = Data.uniform(rnd, bs.featureLength(), 0.1, 1);
        float[] bpk = Data.uniform(rnd, bs.featureLength(), 0.1, 1);
        float[] fgx = new float[bs.keyLength()];
        MemorySegment sfgx = src.zeros(fgx.length);
        k.randomFeaturesBackward(bs, bq, w, false, gPhi, fgx);
        k.randomFeaturesBackward(bs, src.of(bq), src.of(w), false, src.of(gPhi), sfgx);
        assertArrayEquals(fgx, read(sfgx), 0f, "randomFeaturesBackward");
        float[][] grads = {new float[bs.featureLength()], new float[bs.featureLength()], new float[bs.valueLength()],
            new float[bs.biasLength()]};
        MemorySegment[] sgrads = {src.zeros(bs.featureLength()), src.zeros(bs.featureLength()),
            src.zeros(bs.valueLength()), src.zeros(bs.biasLength())};
        k.rpeAttentionBackward(bs, bpq, bpk, bv, bb, gOut, grads[0], grads[1], grads[2], grads[3]);
        k.rpeAttentionBackward(bs, src.of(bpq), src.of(bpk), src.of(bv), src.of(bb), src.of(gOut), sgrads[0],
                sgrads[1], sgrads[2], sgrads[3]);
        for (int p = 0; p < 4; p++) {
            assertArrayEquals(grads[p], read(sgrads[p]), 0f, "rpeAttentionBackward output " + p);
        }
        grads = new float[][] {new float[bs.keyLength()], new float[bs.keyLength()], new float[bs.valueLength()],
            new float[bs.biasLength()]};
        sgrads = new MemorySegment[] {src.zeros(bs.keyLength()), src.zeros(bs.keyLength()),
            src.zeros(bs.valueLength()), src.zeros(bs.biasLength())};
        k.softmaxRpeAttentionBackward(bs, bq, bk, bv, bb, gOut, grads[0], grads[1], grads[2], grads[3]);
        k.softmaxRpeAttentionBackward(bs, src.of(bq), src.of(bk), src.of(bv), src.of(bb), src.of(gOut), sgrads[0],
                sgrads[1], sgrads[2], sgrads[3]);
        for (int p = 0; p < 4; p++) {
            assertArrayEquals(grads[p], read(sgrads[p]), 0f, "softmaxRpeAttentionBackward output " + p);
        }
    }
}
