package dev.seqmix.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * How the commands time a call, in one place: the outcome ({@link Timing}, seconds per call) and the two ways of
 * getting it.
 * <ul>
 *   <li>{@link Batched} (report): a call that needs nothing between calls and allocates nothing, warmed up until the
 *       JIT is done with it, timed in batches of calls long enough for the clock.</li>
 *   <li>{@link EachCall} (tour): every call timed on its own, after untimed work that restores its inputs (an
 *       in-place transform) and before an untimed check of its outputs (the tour's same-bits check).</li>
 * </ul>
 */
public final class Stopwatch {
    private Stopwatch() {
    }

    /**
     * The outcome, in seconds per call.
     *
     * @param median         the median sample
     * @param fastest        the fastest sample
     * @param slowest        the slowest sample
     * @param samples        timed samples
     * @param callsPerSample calls timed together in one sample
     * @param steady         whether the warm-up ended because the time per call stopped improving (not at its time
     *                       limit); false where the warm-up does not watch the time ({@link EachCall})
     */
    public record Timing(double median, double fastest, double slowest, int samples, long callsPerSample,
                         boolean steady) {

        static Timing of(double[] perCall, long callsPerSample, boolean steady) {
            return new Timing(Numbers.median(perCall), Numbers.quantile(perCall, 0), Numbers.quantile(perCall, 1),
                    perCall.length, callsPerSample, steady);
        }
    }

    /**
     * In-process timing of one call: warm up until the time per call has stopped improving and the JIT has stopped
     * compiling (the Vector API runs tens to hundreds of times slower before C2 has compiled it), then time
     * {@code samples} samples, each long enough for the clock ({@code sampleSeconds}: short calls are repeated
     * within a sample), and keep the median and the fastest and slowest sample. The call must not allocate, so that
     * no sample pays for a collection.
     *
     * @param minWarmupSeconds   warm up at least this long ...
     * @param maxWarmupSeconds   ... and at most this long (the result is then marked not steady)
     * @param sampleSeconds      the least duration of one sample
     * @param samples            timed samples, fewer (down to 3) where they would take more than
     *                           {@code maxSamplingSeconds}
     * @param maxSamplingSeconds the most time the samples may take, unless 3 samples of one call take longer
     */
    public record Batched(double minWarmupSeconds, double maxWarmupSeconds, double sampleSeconds, int samples,
                          double maxSamplingSeconds) {

        /** The JIT's total compilation time (ms), or -1 where the JVM does not say: a change means it compiled. */
        private static long compiled() {
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        }

        /**
         * Runs {@code call} (a small instance of what will be timed, so that calls are cheap and many) until the JIT
         * has compiled nothing for {@code 2 * minWarmupSeconds}, at least {@code minWarmupSeconds}, at most
         * {@code 2 * maxWarmupSeconds}. The hot methods are then compiled for every size that shares them.
         */
        public void warmUp(Runnable call) {
            long start = System.nanoTime();
            long lastChange = start;
            long total = compiled();
            while (true) {
                call.run();
                long now = System.nanoTime();
                long t = compiled();
                if (t != total) {
                    total = t;
                    lastChange = now;
                }
                double elapsed = (now - start) * 1e-9;
                if (elapsed >= minWarmupSeconds && (now - lastChange) * 1e-9 >= 2 * minWarmupSeconds
                        || elapsed >= 2 * maxWarmupSeconds) {
                    return;
                }
            }
        }

        public Timing time(Runnable call) {
            long start = System.nanoTime();
            double perCall = timeBatch(call, 1);
            // A new fastest batch means the JIT (or the caches) still make it faster, and so may a compilation that
            // finished during a batch: warm up until two batches in a row, with no compilation finishing, are no
            // faster than 0.9x the best before them (noise only ever makes a batch slower).
            double best = perCall;
            int notFaster = 0;
            boolean steady = false;
            while (true) {
                double elapsed = (System.nanoTime() - start) * 1e-9;
                if (elapsed >= minWarmupSeconds && notFaster >= 2) {
                    steady = true;
                    break;
                }
                if (elapsed >= maxWarmupSeconds
                        || elapsed + perCall > maxWarmupSeconds && elapsed >= minWarmupSeconds) {
                    break;
                }
                long before = compiled();
                double t = timeBatch(call, callsFor(perCall));
                boolean quiet = compiled() == before;
                notFaster = t >= 0.9 * best && quiet ? notFaster + 1 : 0;
                best = Math.min(best, t);
                perCall = t;
            }
            long calls = callsFor(best);
            int n = (int) Math.max(3, Math.min(samples, Math.floor(maxSamplingSeconds / (calls * best))));
            double[] times = new double[n];
            for (int i = 0; i < n; i++) {
                times[i] = timeBatch(call, calls);
            }
            return Timing.of(times, calls, steady);
        }

        /** Calls in one sample: enough to last {@code sampleSeconds} at {@code perCall} seconds each. */
        private long callsFor(double perCall) {
            return Math.max(1, (long) Math.ceil(sampleSeconds / Math.max(perCall, 1e-9)));
        }

        private static double timeBatch(Runnable call, long calls) {
            long t0 = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                call.run();
            }
            return (System.nanoTime() - t0) * 1e-9 / calls;
        }
    }

    /**
     * Every call timed on its own: warm up at least {@code minWarmups} calls and {@code warmupSeconds}, at most
     * {@code maxWarmups} calls (long enough, by time, for C2 to compile the vector kernels), then time at least
     * {@code minRuns} calls and {@code runSeconds}, at most {@code maxRuns} calls, and keep the median and the
     * fastest and slowest call.
     */
    public record EachCall(int minWarmups, int maxWarmups, double warmupSeconds, int minRuns, int maxRuns,
                           double runSeconds) {

        /**
         * Times {@code call}; {@code prepare} runs before each call and {@code check} after it (warm-up calls
         * included), both untimed.
         */
        public Timing time(Runnable prepare, Runnable call, Runnable check) {
            long start = System.nanoTime();
            for (int i = 0; i < maxWarmups; i++) {
                prepare.run();
                call.run();
                check.run();
                if (i + 1 >= minWarmups && (System.nanoTime() - start) * 1e-9 >= warmupSeconds) {
                    break;
                }
            }
            double[] times = new double[maxRuns];
            int runs = 0;
            long measureStart = System.nanoTime();
            while (runs < maxRuns) {
                prepare.run();
                long t0 = System.nanoTime();
                call.run();
                long t1 = System.nanoTime();
                times[runs++] = (t1 - t0) * 1e-9;
                check.run();
                if (runs >= minRuns && (System.nanoTime() - measureStart) * 1e-9 >= runSeconds) {
                    break;
                }
            }
            return Timing.of(Arrays.copyOf(times, runs), 1, false);
        }
    }
}
