package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.TalkShape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Native segments aligned to the device's base address alignment are used in place (CL_MEM_USE_HOST_PTR) where
 * the device shares host memory (PoCL does): same bits as the array forms, inputs untouched, in-place scan.
 */
class ZeroCopySegmentsTest {
    private final SplittableRandom rnd = new SplittableRandom(11);

    private float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }

    private static MemorySegment seg(Arena arena, float[] a, long align) {
        MemorySegment s = arena.allocate(4L * a.length, align);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT, 0, a.length);
        return s;
    }

    private static float[] floats(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    @Test
    void segmentsInPlaceGiveTheArrayBits() {
        OpenClDevice device = OpenClFaultsTest.device();
        long align = device.baseAlign();
        try (OpenClKernels k = new OpenClKernels(device); Arena arena = Arena.ofConfined()) {
            long before = k.context().zeroCopyCount;
            // scan, out of place and in place
            float[] x = random(3 * 50 * 4);
            float[] want = new float[x.length];
            k.cumsum(3, 50, 4, x, want);
            MemorySegment xs = seg(arena, x, align);
            MemorySegment outs = arena.allocate(4L * x.length, align);
            k.cumsum(3, 50, 4, xs, outs);
            assertArrayEquals(want, floats(outs), 0f);
            assertArrayEquals(x, floats(xs), 0f, "input untouched");
            k.cumsum(3, 50, 4, xs, xs);
            assertArrayEquals(want, floats(xs), 0f, "in place");

            // TaLK forward and backward
            TalkShape s = new TalkShape(2, 40, 6, 3, 5, 4);
            float[] tx = random(s.sequenceLength());
            float[] left = random(s.offsetLength());
            float[] right = random(s.offsetLength());
            float[] g = random(s.sequenceLength());
            float[] out = new float[tx.length];
            k.talkForward(s, tx, left, right, out);
            MemorySegment o = arena.allocate(4L * tx.length, align);
            k.talkForward(s, seg(arena, tx, align), seg(arena, left, align), seg(arena, right, align), o);
            assertArrayEquals(out, floats(o), 0f);
            float[] gx = new float[tx.length];
            float[] gl = new float[left.length];
            float[] gr = new float[left.length];
            k.talkBackward(s, tx, left, right, g, gx, gl, gr);
            MemorySegment gxs = arena.allocate(4L * tx.length, align);
            MemorySegment gls = arena.allocate(4L * left.length, align);
            MemorySegment grs = arena.allocate(4L * left.length, align);
            k.talkBackward(s, seg(arena, tx, align), seg(arena, left, align), seg(arena, right, align),
                    seg(arena, g, align), gxs, gls, grs);
            assertArrayEquals(gx, floats(gxs), 0f);
            assertArrayEquals(gl, floats(gls), 0f);
            assertArrayEquals(gr, floats(grs), 0f);

            // FFT: complex power of two and Bluestein in place, real forward and inverse
            for (int n : new int[] {64, 100}) {
                FftPlan plan = k.fftPlan(n);
                float[] data = random(2 * n * 3);
                MemorySegment ds = seg(arena, data, align);
                plan.forward(data, 3);
                plan.forward(ds, 3);
                assertArrayEquals(data, floats(ds), 0f);
                float[] real = random(n * 2);
                float[] spec = new float[2 * (n / 2 + 1) * 2];
                plan.forwardReal(real, spec, 2);
                MemorySegment specs = arena.allocate(4L * spec.length, align);
                plan.forwardReal(seg(arena, real, align), specs, 2);
                assertArrayEquals(spec, floats(specs), 0f);
                float[] back = new float[n * 2];
                plan.inverseReal(spec, back, 2);
                MemorySegment backs = arena.allocate(4L * back.length, align);
                plan.inverseReal(specs, backs, 2);
                assertArrayEquals(back, floats(backs), 0f);
            }

            // Toeplitz (FFT path) and RPE attention
            int n = 40;
            float[] coeffs = random(2 * (2 * n - 1));
            float[] tx2 = random(2 * n * 3);
            float[] y = new float[tx2.length];
            k.toeplitzMatmul(2, n, 3, coeffs, tx2, y);
            MemorySegment ys = arena.allocate(4L * y.length, align);
            k.toeplitzMatmul(2, n, 3, seg(arena, coeffs, align), seg(arena, tx2, align), ys);
            assertArrayEquals(y, floats(ys), 0f);
            AttentionShape a = new AttentionShape(1, 16, 2, 4, 3, 5, true);
            float[] pq = new float[a.featureLength()];
            float[] pk = new float[a.featureLength()];
            for (int i = 0; i < pq.length; i++) {
                pq[i] = (float) rnd.nextDouble(0.1, 1);
                pk[i] = (float) rnd.nextDouble(0.1, 1);
            }
            float[] v = random(a.valueLength());
            float[] bias = random(a.biasLength());
            float[] att = new float[a.valueLength()];
            k.rpeAttention(a, pq, pk, v, bias, att);
            MemorySegment atts = arena.allocate(4L * att.length, align);
            k.rpeAttention(a, seg(arena, pq, align), seg(arena, pk, align), seg(arena, v, align),
                    seg(arena, bias, align), atts);
            assertArrayEquals(att, floats(atts), 0f);

            if (device.hostUnified()) {
                assertTrue(k.context().zeroCopyCount > before, "no segment was used in place");
            }
        }
    }
}
