package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several threads share one {@code Kernels} and run a mix of every operation, array and segment forms, for
 * a while; every result must be the same bits as the same call made alone on one thread. About 10 s in the
 * build over all backends; {@code -Dseqmix.stress.seconds=N} runs each backend N seconds instead (the
 * longer form), {@code -Dseqmix.stress.threads=N} sets the thread count (default 4).
 */
class StressTest {
    static final int THREADS = Integer.getInteger("seqmix.stress.threads", 4);

    static double seconds() {
        String s = System.getProperty("seqmix.stress.seconds");
        return s != null ? Double.parseDouble(s) : 10.0 / Math.max(1, Backends.available().size());
    }

    /** One operation on fixed inputs: a fresh output per call (outputs are the thread's own). */
    record Op(String name, Function<Kernels, float[]> run) {
    }

    static List<Op> ops() {
        SplittableRandom rnd = new SplittableRandom(2024);
        List<Op> ops = new ArrayList<>();
        float[] x = Data.uniform(rnd, 3 * 131 * 37, -1, 1);
        ops.add(new Op("cumsum", k -> {
            float[] out = new float[x.length];
            k.cumsum(3, 131, 37, x, out);
            return out;
        }));
        ops.add(new Op("cumsumReverse segments", k -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(4L * x.length);
                MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, x.length);
                k.cumsumReverse(3, 131, 37, s, s);
                return s.toArray(ValueLayout.JAVA_FLOAT);
            }
        }));
        TalkShape ts = new TalkShape(2, 200, 48, 4, 9, 5);
        float[] tx = Data.uniform(rnd, ts.sequenceLength(), -1, 1);
        float[] left = Data.uniform(rnd, ts.offsetLength(), 0, 1);
        float[] right = Data.uniform(rnd, ts.offsetLength(), 0, 1);
        float[] g = Data.uniform(rnd, ts.sequenceLength(), -1, 1);
        ops.add(new Op("talkForward", k -> {
            float[] out = new float[tx.length];
            k.talkForward(ts, tx, left, right, out);
            return out;
        }));
        ops.add(new Op("talkBackward", k -> {
            float[] gx = new float[tx.length];
            float[] gl = new float[left.length];
            float[] gr = new float[left.length];
            k.talkBackward(ts, tx, left, right, g, gx, gl, gr);
            float[] all = Arrays.copyOf(gx, gx.length + 2 * gl.length);
            System.arraycopy(gl, 0, all, gx.length, gl.length);
            System.arraycopy(gr, 0, all, gx.length + gl.length, gr.length);
            return all;
        }));
        TalkShape causal = new TalkShape(1, 64, 16, 2, 7, 0);
        float[] sx = Data.uniform(rnd, causal.sequenceLength(), -1, 1);
        float[] sl = Data.uniform(rnd, causal.offsetLength(), 0, 1);
        ops.add(new Op("TalkStream", k -> {
            var stream = k.talkStream(causal);
            float[] out = new float[sx.length];
            float[] xt = new float[16];
            float[] lt = new float[2];
            float[] ot = new float[16];
            for (int t = 0; t < 64; t++) {
                System.arraycopy(sx, t * 16, xt, 0, 16);
                System.arraycopy(sl, t * 2, lt, 0, 2);
                stream.step(xt, lt, ot);
                System.arraycopy(ot, 0, out, t * 16, 16);
            }
            return out;
        }));
        for (int n : new int[] {97, 256, 1000, 4096}) {
            float[] c = Data.uniform(rnd, 2 * n * 2, -1, 1);
            ops.add(new Op("fft " + n, k -> {
                float[] d = c.clone();
                k.fftPlan(n).forward(d, 2);
                return d;
            }));
            ops.add(new Op("real fft " + n, k -> {
                float[] spec = new float[2 * (n / 2 + 1)];
                k.fftPlan(n).forwardReal(Arrays.copyOf(c, n), spec, 1);
                return spec;
            }));
        }
        float[] coeffs = Data.uniform(rnd, 2 * (2 * 77 - 1), -1, 1);
        float[] tm = Data.uniform(rnd, 2 * 77 * 5, -1, 1);
        ops.add(new Op("toeplitzMatmul", k -> {
            float[] y = new float[tm.length];
            k.toeplitzMatmul(2, 77, 5, coeffs, tm, y);
            return y;
        }));
        AttentionShape as = new AttentionShape(2, 67, 2, 8, 6, 12, false);
        AttentionShape ac = new AttentionShape(2, 67, 2, 8, 6, 12, true);
        float[] q = Data.uniform(rnd, as.keyLength(), -1, 1);
        float[] kk = Data.uniform(rnd, as.keyLength(), -1, 1);
        float[] proj = Data.uniform(rnd, as.projectionLength(), -1, 1);
        float[] v = Data.uniform(rnd, as.valueLength(), -1, 1);
        float[] bias = Data.uniform(rnd, as.biasLength(), -1, 1);
        ops.add(new Op("randomFeatures + rpeAttention", k -> {
            float[] pq = new float[as.featureLength()];
            float[] pk = new float[as.featureLength()];
            k.randomFeatures(as, q, proj, true, pq);
            k.randomFeatures(as, kk, proj, false, pk);
            float[] out = new float[as.valueLength()];
            k.rpeAttention(ac, pq, pk, v, bias, out);
            return out;
        }));
        ops.add(new Op("softmaxRpeAttention", k -> {
            float[] out = new float[as.valueLength()];
            k.softmaxRpeAttention(as, q, kk, v, bias, out);
            return out;
        }));
        return ops;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void threadsSharingOneInstanceGetTheSingleThreadedBits(String backend) throws Exception {
        List<Op> ops = ops();
        try (Kernels k = Backends.open(backend)) {
            List<float[]> expected = new ArrayList<>();
            for (Op op : ops) {
                expected.add(op.run().apply(k));
            }
            long end = System.nanoTime() + (long) (seconds() * 1e9);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong calls = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().name("stress-" + t).start(() -> {
                    try {
                        start.await();
                        for (int i = id; System.nanoTime() < end && failures.isEmpty(); i++) {
                            int o = Math.floorMod(i * 7 + id, ops.size());
                            float[] got = ops.get(o).run().apply(k);
                            calls.incrementAndGet();
                            if (!Arrays.equals(expected.get(o), got)) {
                                failures.add(ops.get(o).name() + " differs from the single-threaded bits");
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(Thread.currentThread().getName() + ": " + e);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), List.copyOf(failures), backend);
            assertTrue(calls.get() >= THREADS * ops.size(), backend + ": only " + calls.get() + " calls ran");
            System.out.printf("stress %s: %d calls on %d threads in %.1f s%n", backend, calls.get(), THREADS,
                    seconds());
        }
    }
}
