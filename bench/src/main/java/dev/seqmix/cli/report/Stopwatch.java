package dev.seqmix.cli.report;

import dev.seqmix.cli.Numbers;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * In-process timing of one call: warm up until the time per call has stopped improving and the JIT has stopped
 * compiling (the Vector API runs tens to hundreds of times slower before C2 has compiled it), then time
 * {@code samples} samples, each long enough for the clock ({@code sampleSeconds}: short calls are repeated within a
 * sample), and keep the median and the fastest and slowest sample. The call must not allocate, so that no sample
 * pays for a collection.
 *
 * @param minWarmupSeconds   warm up at least this long ...
 * @param maxWarmupSeconds   ... and at most this long (the result is then marked not steady)
 * @param sampleSeconds      the least duration of one sample
 * @param samples            timed samples, fewer (down to 3) where they would take more than {@code maxSamplingSeconds}
 * @param maxSamplingSeconds the most time the samples may take, unless 3 samples of one call take longer
 */
record Stopwatch(double minWarmupSeconds, double maxWarmupSeconds, double sampleSeconds, int samples,
                 double maxSamplingSeconds) {

    /** The JIT's total compilation time (ms), or -1 where the JVM does not say: a change means it compiled. */
    private static long compiled() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** The outcome: seconds per call. */
    record Timing(double median, double fastest, double slowest, int samples, long callsPerSample, boolean steady) {
    }

    /**
     * Runs {@code call} (a small instance of what will be timed, so that calls are cheap and many) until the JIT has
     * compiled nothing for {@code 2 * minWarmupSeconds}, at least {@code minWarmupSeconds}, at most
     * {@code 2 * maxWarmupSeconds}. The hot methods are then compiled for every size that shares them.
     */
    void warmUp(Runnable call) {
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

    Timing time(Runnable call) {
        long start = System.nanoTime();
        double perCall = timeBatch(call, 1);
        // A new fastest batch means the JIT (or the caches) still make it faster, and so may a compilation that
        // finished during a batch: warm up until two batches in a row, with no compilation finishing, are no faster
        // than 0.9x the best before them (noise only ever makes a batch slower).
        double best = perCall;
        int notFaster = 0;
        boolean steady = false;
        while (true) {
            double elapsed = (System.nanoTime() - start) * 1e-9;
            if (elapsed >= minWarmupSeconds && notFaster >= 2) {
                steady = true;
                break;
            }
            if (elapsed >= maxWarmupSeconds || elapsed + perCall > maxWarmupSeconds && elapsed >= minWarmupSeconds) {
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
        return new Timing(Numbers.median(times), Numbers.quantile(times, 0), Numbers.quantile(times, 1), n, calls,
                steady);
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
