package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.spi.Warmup;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Steady calls allocate nothing on the calling thread ({@code ThreadMXBean}), at several sizes up to a
 * 2^20-point FFT, once the JIT has compiled the code (the library's warm-up, run here directly: the build
 * runs the tests with it switched off). A case passes when one window of 20 calls, of a few tried, allocated
 * 0 bytes: a window may catch the JIT recompiling something. Calls split over worker threads have their own
 * test below.
 */
class AllocationTest {

    static long allocated(Runnable call) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long best = Long.MAX_VALUE;
        // windows until one is clean, for at most 10 s: a late uncommon trap can send a method back to C1 code (which
        // boxes vectors) until C2 compiles it again, seconds later on a busy machine; a method that stays boxed fails
        long until = System.nanoTime() + 10_000_000_000L;
        for (int window = 0; best > 0 && (window < 30 || System.nanoTime() < until); window++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 20; i++) {
                call.run();
            }
            best = Math.min(best, threads.getThreadAllocatedBytes(id) - before);
        }
        return best;
    }

    /** Random features, RPE attention and softmax attention of shape {@code as}, as cases named by its length. */
    private static void attention(Map<String, Runnable> cases, Kernels k, AttentionShape as, SplittableRandom rnd) {
        float[] q = Data.uniform(rnd, as.keyLength(), -1, 1);
        float[] proj = Data.uniform(rnd, as.projectionLength(), -1, 1);
        float[] phi = new float[as.featureLength()];
        float[] v = Data.uniform(rnd, as.valueLength(), -1, 1);
        float[] bias = Data.uniform(rnd, as.biasLength(), -1, 1);
        float[] ao = new float[as.valueLength()];
        cases.put("randomFeatures n=" + as.length(), () -> k.randomFeatures(as, q, proj, true, phi));
        cases.put("rpeAttention n=" + as.length(), () -> k.rpeAttention(as, phi, phi, v, bias, ao));
        cases.put("softmaxRpeAttention n=" + as.length(), () -> k.softmaxRpeAttention(as, q, q, v, bias, ao));
        float[] gx = new float[as.keyLength()];
        float[] gk = new float[as.keyLength()];
        float[] gPhi = new float[as.featureLength()];
        float[] gPhi2 = new float[as.featureLength()];
        float[] gv = new float[as.valueLength()];
        float[] gb = new float[as.biasLength()];
        cases.put("randomFeaturesBackward n=" + as.length(), () -> k.randomFeaturesBackward(as, q, proj, false, phi, gx));
        cases.put("rpeAttentionBackward n=" + as.length(),
                () -> k.rpeAttentionBackward(as, phi, phi, v, bias, ao, gPhi, gPhi2, gv, gb));
        cases.put("softmaxRpeAttentionBackward n=" + as.length(),
                () -> k.softmaxRpeAttentionBackward(as, q, q, v, bias, ao, gx, gk, gv, gb));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void steadyCallsAllocateNothing(String backend) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Backends.available().contains(backend), backend + " absent");
        SplittableRandom rnd = new SplittableRandom(11);
        try (Kernels k = Backends.open(backend)) {
            for (Warmup.Family f : Warmup.Family.values()) {
                Warmup.warm(k, f, 3_000_000_000L);
            }
            Map<String, Runnable> cases = new LinkedHashMap<>();
            for (int n : new int[] {32, 64, 128, 256, 4096, 1000, 4095, 1 << 20}) {
                FftPlan p = k.fftPlan(n);
                float[] c = Data.uniform(rnd, 2 * n, -1, 1);
                cases.put("fft " + n, () -> {
                    p.forward(c, 1);
                    p.inverse(c, 1);
                });
                float[] r = Data.uniform(rnd, n, -1, 1);
                float[] spec = new float[2 * (n / 2 + 1)];
                cases.put("real fft " + n, () -> p.forwardReal(r, spec, 1));
            }
            float[] x = Data.uniform(rnd, 2 * 300 * 33, -1, 1);
            float[] out = new float[x.length];
            cases.put("cumsum [2][300][33]", () -> k.cumsum(2, 300, 33, x, out));
            float[] line = Data.uniform(rnd, 16384, -1, 1);
            float[] lineOut = new float[line.length];
            cases.put("cumsum [1][16384][1]", () -> k.cumsum(1, 16384, 1, line, lineOut));
            TalkShape ts = new TalkShape(1, 128, 512, 8, 31, 31);
            float[] tx = Data.uniform(rnd, ts.sequenceLength(), -1, 1);
            float[] left = Data.uniform(rnd, ts.offsetLength(), 0, 1);
            float[] tout = new float[tx.length];
            float[] gl = new float[left.length];
            float[] gr = new float[left.length];
            cases.put("talkForward [1][128][512]", () -> k.talkForward(ts, tx, left, left, tout));
            cases.put("talkBackward [1][128][512]", () -> k.talkBackward(ts, tx, left, left, tx, tout, gl, gr));
            TalkStream stream = k.talkStream(new TalkShape(1, 1, 512, 8, 31, 0));
            float[] xt = Data.uniform(rnd, 512, -1, 1);
            float[] lt = Data.uniform(rnd, 8, 0, 1);
            float[] ot = new float[512];
            cases.put("TalkStream.step [1][512]", () -> stream.step(xt, lt, ot));
            float[] coeffs = Data.uniform(rnd, 2 * 200 - 1, -1, 1);
            float[] tmx = Data.uniform(rnd, 200 * 4, -1, 1);
            float[] tmy = new float[tmx.length];
            cases.put("toeplitzMatmul [1][200][4]", () -> k.toeplitzMatmul(1, 200, 4, coeffs, tmx, tmy));
            attention(cases, k, new AttentionShape(1, 256, 1, 16, 16, 16, true), rnd);
            AttentionShape odd = new AttentionShape(1, 37, 3, 7, 7, 7, true); // tails shorter than a vector
            float[] oq = Data.uniform(rnd, odd.keyLength(), -1, 1);
            float[] ov = Data.uniform(rnd, odd.valueLength(), -1, 1);
            float[] ob = Data.uniform(rnd, odd.biasLength(), -1, 1);
            float[] oo = new float[odd.valueLength()];
            cases.put("softmaxRpeAttention n=37 causal, dims 7", () -> k.softmaxRpeAttention(odd, oq, oq, ov, ob, oo));

            Map<String, Long> bytes = new LinkedHashMap<>();
            for (var e : cases.entrySet()) {
                // steady: some thousand calls in (the warm-up compiles each family's code, but a few paths, the
                // stream's step and the Toeplitz product on simd, reach their final compiled form only later)
                // (and at least a second: C2's queue may hold a fast call's compilation for a while)
                long start = System.nanoTime();
                for (int i = 0; ; i++) {
                    long spent = System.nanoTime() - start;
                    if (i >= 3 && (spent > 2_000_000_000L || i >= 4000 && spent > 1_000_000_000L)) {
                        break;
                    }
                    e.getValue().run(); // this size's own first calls (plans, pooled arrays, late compiles)
                }
                bytes.put(e.getKey(), allocated(e.getValue()));
            }
            Map<String, Long> nonZero = new LinkedHashMap<>(bytes);
            nonZero.values().removeIf(b -> b == 0);
            assertEquals(Map.of(), nonZero, backend + ": bytes allocated by 20 steady calls " + bytes);
        }
    }

    /**
     * A call split over threads allocates nothing on the calling thread either: the split's task objects and
     * its argument carrier are the thread's own and reused, and the bodies capture nothing (before: 120 to 136
     * bytes of task objects, then 24 to 40 bytes of capturing lambda). Runs only where the split happens
     * ({@code -Dseqmix.threads} above 1); the shapes are large enough to split.
     */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void splitCallsAllocateNothing(String backend) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Backends.available().contains(backend), backend + " absent");
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.seqmix.internal.Parallel.threads() > 1, "one thread: no split");
        SplittableRandom rnd = new SplittableRandom(12);
        try (Kernels k = Backends.open(backend)) {
            Map<String, Runnable> cases = new LinkedHashMap<>();
            float[] x = Data.uniform(rnd, 8 * 2048 * 256, -1, 1);
            float[] out = new float[x.length];
            cases.put("cumsum [8][2048][256]", () -> k.cumsum(8, 2048, 256, x, out));
            TalkShape ts = new TalkShape(4, 512, 256, 4, 7, 5);
            float[] tx = Data.uniform(rnd, ts.sequenceLength(), -1, 1);
            float[] left = Data.uniform(rnd, ts.offsetLength(), 0, 1);
            float[] tout = new float[tx.length];
            float[] gx = new float[tx.length];
            float[] gl = new float[left.length];
            float[] gr = new float[left.length];
            cases.put("talkForward [4][512][256]", () -> k.talkForward(ts, tx, left, left, tout));
            cases.put("talkBackward [4][512][256]", () -> k.talkBackward(ts, tx, left, left, tout, gx, gl, gr));
            FftPlan p = k.fftPlan(4096);
            float[] c = Data.uniform(rnd, 2 * 4096 * 64, -1, 1);
            cases.put("fft 4096 x 64", () -> {
                p.forward(c, 64);
                p.inverse(c, 64);
            });
            float[] r = Data.uniform(rnd, 4096 * 64, -1, 1);
            float[] spec = new float[2 * (4096 / 2 + 1) * 64];
            cases.put("real fft 4096 x 64", () -> p.forwardReal(r, spec, 64));
            float[] coeffs = Data.uniform(rnd, 4 * (2 * 512 - 1), -1, 1);
            float[] tmx = Data.uniform(rnd, 4 * 512 * 32, -1, 1);
            float[] tmy = new float[tmx.length];
            cases.put("toeplitzMatmul [4][512][32]", () -> k.toeplitzMatmul(4, 512, 32, coeffs, tmx, tmy));
            attention(cases, k, new AttentionShape(2, 512, 2, 16, 16, 16, false), rnd);
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (var e : cases.entrySet()) {
                long start = System.nanoTime();
                while (System.nanoTime() - start < 1_000_000_000L) {
                    e.getValue().run();
                }
                bytes.put(e.getKey(), allocated(e.getValue()));
            }
            Map<String, Long> nonZero = new LinkedHashMap<>(bytes);
            nonZero.values().removeIf(b -> b == 0);
            assertEquals(Map.of(), nonZero, backend + ": bytes allocated by 20 split calls " + bytes);
        }
    }
}
