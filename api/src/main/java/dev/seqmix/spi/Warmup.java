package dev.seqmix.spi;

import dev.seqmix.internal.Parallel;
import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;

/**
 * The library's own warm-up, so that calls run at steady speed from the first one. A fresh JVM runs the
 * kernels in the interpreter and C1 until C2 has compiled them, and Vector API code there is 10-100 times
 * slower and allocates a box per vector: the first 2^20-point FFT of a cold JVM took 1.8 s against 12 ms.
 *
 * <p>The operations form families ({@link Family}) that share code. A family is warmed once per JVM and
 * backend, on a private instance of the backend: its operations and every code path a size can take (FFT
 * radices, four-step and lane-batch paths, mixed radix, Bluestein, real transforms, the one-dimensional
 * scan, causal and two-sided TaLK, the stream, both attentions, array and segment forms), first on small
 * inputs (cheap while interpreted) until the JIT has stopped compiling, then on larger ones, whose branches
 * only large sizes take, so that no first large call meets an uncommon trap. FFTW's {@code FFTW_MEASURE}
 * sets the precedent: time once, at set-up.
 *
 * <p>{@code -Dseqmix.warmup=}
 * <ul>
 *   <li>{@code lazy} (the default): the first call of a family (or {@code fftPlan}) warms it on the calling
 *       thread before it runs; a concurrent call of the same family waits for it. No call runs cold, and a
 *       JVM pays only for the families it uses (about 0.3-2 s each on 2 cores);</li>
 *   <li>{@code eager}: {@code Seqmix.kernels()} warms every family before it returns (a service's start-up
 *       pays once, about 5 s on 2 cores, and no call pays anything later);</li>
 *   <li>{@code none}: no warm-up (the first calls run interpreted: seconds for large ones).</li>
 * </ul>
 * A background thread was tried and dropped: on a machine of few cores it competes with the caller and
 * the JIT's own threads, and the compilation-quiet signal below cannot tell whose compilations it sees.
 * Results do not depend on it: the warm-up only calls the public operations on its own data, on its own
 * instance, and the same call gives the same bits compiled or not (Java's floating point is strict, and
 * the vector kernels use no reductions whose order the JIT may choose).
 */
public final class Warmup {
    /** The switch: {@code lazy} (default), {@code eager} or {@code none}. */
    public static final String PROPERTY = "seqmix.warmup";
    /** The most one family's warm-up may take, in milliseconds ({@code -Dseqmix.warmup.millis}). */
    public static final long DEFAULT_FAMILY_MILLIS = 2000;

    /** Operations that share their code, and so their warm-up. */
    public enum Family {
        /** cumsum and cumsumReverse. */
        SCAN,
        /** talkForward, talkBackward and the stream. */
        TALK,
        /** FFT plans and their transforms. */
        FFT,
        /** toeplitzMatmul. */
        TOEPLITZ,
        /** randomFeatures and kernelized RPE attention, with their backward passes. */
        ATTENTION,
        /**
         * softmaxRpeAttention, the exact baseline, and its backward pass: code of its own, so that its first call does not pay for
         * the kernelized side's warm-up (nor the other way round).
         */
        SOFTMAX_ATTENTION
    }

    /** How {@code Seqmix.kernels()} warms up. */
    public enum Mode {
        /** Each family on its first use. */
        LAZY,
        /** Every family before {@code kernels()} returns. */
        EAGER,
        /** Not at all. */
        NONE
    }

    private static final int COLD = 0;
    private static final int WARMING = 1;
    private static final int WARM = 2;

    private static final ConcurrentHashMap<String, Warmup> BACKENDS = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger("dev.seqmix");

    private final String backend;
    private final Supplier<Kernels> factory;
    /** JIT warm-up (rounds until quiet, a private instance closed when done), or one round on the instance. */
    private final boolean jit;
    private final AtomicIntegerArray states = new AtomicIntegerArray(Family.values().length);
    /** The thread warming each family: its own calls during the warm-up pass through. */
    private final Thread[] owners = new Thread[Family.values().length];
    private final ConcurrentHashMap<Family, Report> reports = new ConcurrentHashMap<>();
    private Kernels instance; // the private instance the families warm on, made on first need

    private Warmup(String backend, Supplier<Kernels> factory, boolean jit) {
        this.backend = backend;
        this.factory = factory;
        this.jit = jit;
    }

    /**
     * Attaches a warm-up of {@code k} itself, per the mode: one round of a family's small inputs on the
     * instance, at the family's first use ({@code lazy}) or now ({@code eager}). For a backend whose
     * first-call cost is not the JIT's but the instance's own set-up (a device context's program builds).
     *
     * @param backend the backend's name
     * @param k       the instance
     */
    public static void attachToInstance(String backend, AbstractKernels k) {
        Mode mode = mode();
        if (mode == Mode.NONE) {
            return;
        }
        Warmup w = new Warmup(backend, () -> k, false);
        k.warmup = w;
        if (mode == Mode.EAGER) {
            for (Family f : Family.values()) {
                w.await(f);
            }
        }
    }

    /**
     * What one family's warm-up did: rounds, time, and whether the JIT went quiet within the budget.
     *
     * @param family the family
     * @param rounds rounds of its tasks run
     * @param nanos  time taken
     * @param quiet  whether the JIT went quiet before the budget was spent
     */
    public record Report(Family family, int rounds, long nanos, boolean quiet) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %d rounds in %.0f ms%s", family.name().toLowerCase(Locale.ROOT),
                    rounds, nanos / 1e6, quiet ? "" : " (budget spent before the JIT was quiet)");
        }
    }

    /**
     * The mode set by {@code -Dseqmix.warmup}.
     *
     * @return the mode
     * @throws IllegalArgumentException naming the property, for an unknown value
     */
    public static Mode mode() {
        String v = System.getProperty(PROPERTY, "lazy").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "lazy", "" -> Mode.LAZY;
            case "eager" -> Mode.EAGER;
            case "none" -> Mode.NONE;
            default -> throw new IllegalArgumentException(PROPERTY + ": expected lazy, eager or none, got '" + v + "'");
        };
    }

    static long familyBudgetNanos() {
        return Math.max(0, Long.getLong(PROPERTY + ".millis", DEFAULT_FAMILY_MILLIS)) * 1_000_000L;
    }

    /**
     * Attaches the backend's warm-up to a new instance, per the {@linkplain #mode() mode}: family by family at
     * first use ({@code lazy}), all now ({@code eager}), or not at all. {@code factory} makes the private
     * instance the families warm on.
     *
     * @param backend the backend's name
     * @param k       the new instance
     * @param factory makes the private instance
     */
    public static void attach(String backend, AbstractKernels k, Supplier<Kernels> factory) {
        Mode mode = mode();
        if (mode == Mode.NONE) {
            return;
        }
        Warmup w = BACKENDS.computeIfAbsent(backend, name -> new Warmup(name, factory, true));
        k.warmup = w;
        if (mode == Mode.EAGER) {
            for (Family f : Family.values()) {
                w.await(f);
            }
        }
    }

    /**
     * The reports of the families warmed so far in this JVM for {@code backend} (empty when none).
     *
     * @param backend the backend's name
     * @return the reports
     */
    public static List<Report> reports(String backend) {
        Warmup w = BACKENDS.get(backend);
        return w == null ? List.of() : List.copyOf(w.reports.values());
    }

    /** Whether family {@code f} is warm (or its warm-up has been given up). */
    boolean isWarm(Family f) {
        return states.get(f.ordinal()) == WARM;
    }

    /** Returns once {@code f} is warm: warms it on this thread, or waits for the thread warming it. */
    void await(Family f) {
        int i = f.ordinal();
        if (states.get(i) == WARM) {
            return;
        }
        if (states.get(i) == WARMING && owners[i] == Thread.currentThread()) {
            return; // the warm-up's own call
        }
        if (states.compareAndSet(i, COLD, WARMING)) {
            owners[i] = Thread.currentThread();
            try {
                Kernels k = privateInstance();
                reports.put(f, jit ? warm(k, f, familyBudgetNanos()) : once(k, f));
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "seqmix warm-up of " + backend + " " + f + " failed", e);
            } finally {
                synchronized (this) {
                    owners[i] = null;
                    states.set(i, WARM);
                    notifyAll();
                }
                if (jit) {
                    releaseWhenAllWarm();
                }
            }
            return;
        }
        boolean interrupted = false;
        synchronized (this) {
            while (states.get(i) != WARM) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the caller's: given back below, the call still completes
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The private instance is closed once every family is warm (it holds plans and buffers). */
    private void releaseWhenAllWarm() {
        for (Family f : Family.values()) {
            if (!isWarm(f)) {
                return;
            }
        }
        Kernels k;
        synchronized (this) {
            k = instance;
            instance = null;
        }
        if (k != null) {
            k.close();
        }
    }

    private synchronized Kernels privateInstance() {
        if (instance == null) {
            instance = factory.get();
        }
        return instance;
    }

    /**
     * Warms one family on {@code k}: small inputs in rounds until the JIT is quiet (no compilation for some
     * rounds), then the larger inputs likewise; at most {@code budgetNanos} in all.
     *
     * @param k           the instance to run the operations on
     * @param f           the family
     * @param budgetNanos the most time to take
     * @return what it did
     */
    public static Report warm(Kernels k, Family f, long budgetNanos) {
        long start = System.nanoTime();
        long deadline = start + budgetNanos;
        int small = rounds(tasks(k, f, false), 40, MIN_ROUNDS, deadline);
        int large = small < 0 ? 0 : rounds(tasks(k, f, true), 3, 3, deadline);
        boolean quiet = small >= 0 && large >= 0;
        return new Report(f, Math.abs(small) + Math.abs(large), System.nanoTime() - start, quiet);
    }

    /**
     * Rounds of small inputs before quiet counts: C2 compiles a method called once per operation after
     * about 600 calls (Tier4MinInvocationThreshold) with loops in it, 5000 without.
     */
    static final int MIN_ROUNDS = 1000;

    private static Report once(Kernels k, Family f) {
        long start = System.nanoTime();
        for (Runnable task : tasks(k, f, false)) {
            task.run();
        }
        return new Report(f, 1, System.nanoTime() - start, true);
    }

    private static final CompilationMXBean JIT = compiler();

    private static CompilationMXBean compiler() {
        try {
            CompilationMXBean b = ManagementFactory.getCompilationMXBean();
            return b != null && b.isCompilationTimeMonitoringSupported() ? b : null;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs the tasks in rounds until the JIT has compiled nothing for {@code quietRounds} rounds in a row and
     * at least 20 ms (compilations finish in the background, so a quiet stretch must be long enough to show)
     * — or, without a compilation monitor, until a round is within 10 % of the fastest for as many rounds.
     * Returns the rounds run, negated when the deadline came first.
     */
    private static int rounds(List<Runnable> tasks, int quietRounds, int minRounds, long deadline) {
        long begin = System.nanoTime();
        long patient = begin + (deadline - begin) / 2;
        long lastCompile = JIT != null ? JIT.getTotalCompilationTime() : 0;
        long longestStep = 0; // ms: the largest growth of the compilation time seen between two rounds
        long quietSince = System.nanoTime();
        int quiet = 0;
        double best = Double.MAX_VALUE;
        int rounds = 0;
        while (true) {
            long t0 = System.nanoTime();
            for (Runnable task : tasks) {
                task.run();
            }
            long t1 = System.nanoTime();
            rounds++;
            if (JIT != null) {
                long c = JIT.getTotalCompilationTime();
                if (c != lastCompile) {
                    longestStep = Math.max(longestStep, c - lastCompile);
                    lastCompile = c;
                    quiet = 0;
                    quietSince = t1;
                } else {
                    quiet++;
                }
                // the JIT is idle also while counters climb towards C2's thresholds: quiet counts only after
                // enough rounds for those (or half the budget, for families whose rounds are long)
                // A compilation counts only when it ends, so a long one in progress looks quiet: the quiet stretch
                // must outlast twice the longest compilation step seen, up to 150 ms (a C2 compile of a vector loop can take
                // 100 ms and more on a busy machine; a 20 ms stretch once ended a scan's warm-up before its C2
                // code arrived, and the first calls then ran C1 code, 50x slower, boxing every vector).
                long quietNeeded = Math.min(150_000_000L, Math.max(20_000_000L, 2_000_000L * longestStep));
                if (quiet >= quietRounds && t1 - quietSince > quietNeeded && (rounds >= minRounds || t1 > patient)) {
                    return rounds;
                }
            } else {
                double t = t1 - t0;
                quiet = t <= best * 1.1 ? quiet + 1 : 0;
                best = Math.min(best, t);
                if (quiet >= quietRounds && (rounds >= minRounds || t1 > patient)) {
                    return rounds;
                }
            }
            if (t1 > deadline) {
                return -rounds;
            }
        }
    }

    /** One call of each of a family's operations and code paths, on inputs made here: small, or larger. */
    static List<Runnable> tasks(Kernels k, Family family, boolean large) {
        SplittableRandom rnd = new SplittableRandom(1);
        List<Runnable> tasks = new ArrayList<>();
        int scale = large ? 8 : 1;
        Arena arena = Arena.ofAuto(); // off-heap arguments, as embedders pass them: the segment forms' copies
        switch (family) {
            case SCAN -> {
                // rows of channels, and the one-dimensional path
                int rows = 16 * scale;
                float[] sx = values(rnd, 2 * rows * 33, -1, 1);
                float[] so = new float[sx.length];
                tasks.add(() -> k.cumsum(2, rows, 33, sx, so));
                tasks.add(() -> k.cumsumReverse(2, rows, 33, sx, so));
                float[] line = values(rnd, large ? 40_000 : 300, -1, 1); // large: longer than any block of the 1-D scan
                float[] lineOut = new float[line.length];
                tasks.add(() -> k.cumsum(1, line.length, 1, line, lineOut));
                tasks.add(() -> k.cumsumReverse(1, line.length, 1, line, lineOut));
                MemorySegment segX = segment(arena, sx);
                MemorySegment segO = arena.allocate(4L * sx.length, 64);
                tasks.add(() -> k.cumsum(2, rows, 33, segX, segO));
                if (large) { // work split over the worker threads (Parallel.MIN_PARALLEL_WORK and up)
                    float[] big = new float[8 * 512 * 512];
                    tasks.add(() -> k.cumsum(8, 512, 512, big, big));
                }
            }
            case TALK -> {
                // two-sided and causal, forward and backward, a stream
                int channels = large ? 136 : 40;
                TalkShape two = new TalkShape(1, 12 * scale, channels, 4, 7, 5);
                TalkShape causal = new TalkShape(1, 12 * scale, channels, 4, 7, 0);
                float[] tx = values(rnd, two.sequenceLength(), -1, 1);
                float[] left = values(rnd, two.offsetLength(), 0, 1);
                float[] right = values(rnd, two.offsetLength(), 0, 1);
                float[] tout = new float[tx.length];
                float[] gx = new float[tx.length];
                float[] gl = new float[left.length];
                float[] gr = new float[left.length];
                tasks.add(() -> k.talkForward(two, tx, left, right, tout));
                tasks.add(() -> k.talkForward(causal, tx, left, null, tout));
                tasks.add(() -> k.talkBackward(two, tx, left, right, tx, gx, gl, gr));
                tasks.add(() -> k.talkBackward(causal, tx, left, null, tx, gx, gl, null));
                TalkStream stream = k.talkStream(new TalkShape(1, 1, channels, 4, 7, 0));
                float[] xt = values(rnd, channels, -1, 1);
                float[] lt = values(rnd, 4, 0, 1);
                float[] ot = new float[channels];
                tasks.add(() -> {
                    for (int i = 0; i < 4; i++) {
                        stream.step(xt, lt, ot);
                    }
                });
                MemorySegment segX = segment(arena, tx);
                MemorySegment segL = segment(arena, left);
                MemorySegment segO = arena.allocate(4L * tx.length, 64);
                tasks.add(() -> k.talkForward(two, segX, segL, segL, segO));
                if (large) { // split over the worker threads
                    TalkShape split = new TalkShape(4, 512, 256, 8, 15, 15);
                    float[] bx = values(rnd, split.sequenceLength(), -1, 1);
                    float[] bl = values(rnd, split.offsetLength(), 0, 1);
                    float[] bo = new float[bx.length];
                    float[] bgl = new float[bl.length];
                    tasks.add(() -> k.talkForward(split, bx, bl, bl, bo));
                    tasks.add(() -> k.talkBackward(split, bx, bl, bl, bx, bo, bgl, bl.clone()));
                }
            }
            case FFT -> {
                // every path a size can take (the scalar passes of small sizes, the four-step and lane-batch
                // vector paths, mixed radix, Bluestein), complex and real, single and batched
                int[] sizes = large ? new int[] {1024, 2048, 4096, 8192, 16384, 65536, 1000, 1009, 4095}
                        : new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 12, 48, 360, 97};
                for (int n : sizes) {
                    FftPlan p = k.fftPlan(n);
                    int batch = n >= 4096 ? 1 : 3;
                    float[] c = values(rnd, 2 * n * batch, -1, 1);
                    float[] r = values(rnd, n * batch, -1, 1);
                    float[] spec = new float[2 * (n / 2 + 1) * batch];
                    tasks.add(() -> {
                        p.forward(c, batch);
                        p.inverse(c, batch);
                    });
                    tasks.add(() -> {
                        p.forwardReal(r, spec, batch);
                        p.inverseReal(spec, r, batch);
                    });
                }
                int n = large ? 4096 : 64;
                MemorySegment segC = arena.allocate(4L * 2 * n, 64);
                FftPlan ps = k.fftPlan(n);
                tasks.add(() -> ps.forward(segC, 1));
                if (large) { // batches split over the worker threads
                    float[] batch = values(rnd, 2 * 4096 * 64, -1, 1);
                    float[] spec = new float[2 * 2049 * 64];
                    tasks.add(() -> {
                        ps.forward(batch, 64);
                        ps.inverse(batch, 64);
                        ps.forwardReal(java.util.Arrays.copyOf(batch, 4096 * 64), spec, 64);
                    });
                }
            }
            case TOEPLITZ -> {
                // direct for short, by FFT for longer
                for (int n : large ? new int[] {300} : new int[] {16, 80}) {
                    float[] coeffs = values(rnd, 2 * (2 * n - 1), -1, 1);
                    float[] x = values(rnd, 2 * n * 3, -1, 1);
                    float[] y = new float[x.length];
                    tasks.add(() -> k.toeplitzMatmul(2, n, 3, coeffs, x, y));
                }
            }
            case ATTENTION -> {
                // random features of queries and keys, RPE attention both ways
                int length = large ? 256 : 24;
                AttentionShape as = new AttentionShape(1, length, 2, 16, 16, 16, false);
                AttentionShape ac = new AttentionShape(1, length, 2, 16, 16, 16, true);
                float[] q = values(rnd, as.keyLength(), -1, 1);
                float[] proj = values(rnd, as.projectionLength(), -1, 1);
                float[] v = values(rnd, as.valueLength(), -1, 1);
                float[] bias = values(rnd, as.biasLength(), -1, 1);
                float[] phiQ = new float[as.featureLength()];
                float[] phiK = new float[as.featureLength()];
                float[] out = new float[as.valueLength()];
                tasks.add(() -> {
                    k.randomFeatures(as, q, proj, true, phiQ);
                    k.randomFeatures(as, q, proj, false, phiK);
                });
                tasks.add(() -> k.rpeAttention(as, phiQ, phiK, v, bias, out));
                tasks.add(() -> k.rpeAttention(ac, phiQ, phiK, v, bias, out));
                // the backward passes (training): both masks, every output of their own
                float[] gx = new float[as.keyLength()];
                float[] gq = new float[as.featureLength()];
                float[] gk = new float[as.featureLength()];
                float[] gv = new float[as.valueLength()];
                float[] gb = new float[as.biasLength()];
                tasks.add(() -> {
                    k.randomFeaturesBackward(as, q, proj, true, phiQ, gx);
                    k.randomFeaturesBackward(as, q, proj, false, phiK, gx);
                });
                tasks.add(() -> k.rpeAttentionBackward(as, phiQ, phiK, v, bias, v, gq, gk, gv, gb));
                tasks.add(() -> k.rpeAttentionBackward(ac, phiQ, phiK, v, bias, v, gq, gk, gv, gb));
                if (large) { // heads split over the worker threads (each just above Parallel.MIN_PARALLEL_WORK)
                    AttentionShape rpe = new AttentionShape(1, 2048, 4, 16, 16, 16, false);
                    float[] rq = values(rnd, rpe.keyLength(), -1, 1);
                    float[] rv = values(rnd, rpe.valueLength(), -1, 1);
                    float[] rb = values(rnd, rpe.biasLength(), -1, 1);
                    float[] rphi = new float[rpe.featureLength()];
                    float[] ro = new float[rpe.valueLength()];
                    tasks.add(() -> {
                        k.randomFeatures(rpe, rq, proj, true, rphi);
                        k.rpeAttention(rpe, rphi, rphi, rv, rb, ro);
                    });
                }
            }
            case SOFTMAX_ATTENTION -> {
                // both masks; odd dimensions for the vector tails
                int length = large ? 256 : 24;
                AttentionShape as = new AttentionShape(1, length, 2, 16, 16, 16, false);
                AttentionShape ac = new AttentionShape(1, length + 1, 1, 7, 9, 7, true);
                float[] q = values(rnd, as.keyLength(), -1, 1);
                float[] v = values(rnd, as.valueLength(), -1, 1);
                float[] bias = values(rnd, as.biasLength(), -1, 1);
                float[] out = new float[as.valueLength()];
                tasks.add(() -> k.softmaxRpeAttention(as, q, q, v, bias, out));
                float[] cq = values(rnd, ac.keyLength(), -1, 1);
                float[] cv = values(rnd, ac.valueLength(), -1, 1);
                float[] cb = values(rnd, ac.biasLength(), -1, 1);
                float[] co = new float[ac.valueLength()];
                tasks.add(() -> k.softmaxRpeAttention(ac, cq, cq, cv, cb, co));
                float[] gq = new float[as.keyLength()];
                float[] gk = new float[as.keyLength()];
                float[] gv = new float[as.valueLength()];
                float[] gb = new float[as.biasLength()];
                tasks.add(() -> k.softmaxRpeAttentionBackward(as, q, q, v, bias, v, gq, gk, gv, gb));
                float[] cgq = new float[ac.keyLength()];
                float[] cgk = new float[ac.keyLength()];
                float[] cgv = new float[ac.valueLength()];
                float[] cgb = new float[ac.biasLength()];
                tasks.add(() -> k.softmaxRpeAttentionBackward(ac, cq, cq, cv, cb, cv, cgq, cgk, cgv, cgb));
                if (large) { // heads split over the worker threads
                    AttentionShape soft = new AttentionShape(1, 512, 4, 16, 16, 16, false);
                    float[] sq = values(rnd, soft.keyLength(), -1, 1);
                    float[] sv = values(rnd, soft.valueLength(), -1, 1);
                    float[] sb = values(rnd, soft.biasLength(), -1, 1);
                    float[] so = new float[soft.valueLength()];
                    tasks.add(() -> k.softmaxRpeAttention(soft, sq, sq, sv, sb, so));
                }
            }
            default -> throw new IllegalArgumentException("family " + family);
        }
        return tasks;
    }

    private static MemorySegment segment(Arena arena, float[] a) {
        MemorySegment s = arena.allocate(4L * a.length, 64);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT, 0, a.length);
        return s;
    }

    private static float[] values(SplittableRandom rnd, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return a;
    }
}
