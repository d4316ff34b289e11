package dev.seqmix.spi;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * Splits large work across {@code -Dseqmix.threads} threads (default: all cores). Work below a size
 * threshold stays on the calling thread; callers then run their range body directly, so that small
 * calls create no task objects and hand nothing off.
 *
 * <p>Results do not depend on the split: each task index is computed by the same code on whichever
 * thread runs it, and tasks write disjoint outputs.
 */
public final class Parallel {
    /**
     * Below this many elementary operations (about a millisecond of work) a call stays on the calling
     * thread: a split costs a hand-off (tens of microseconds) and a few task objects, which latency-bound
     * callers should not pay.
     */
    public static final long MIN_PARALLEL_WORK = 1L << 21;

    private static final int THREADS = configuredThreads();

    private Parallel() {
    }

    /** A body run over the task indices {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** The configured thread count. */
    public static int threads() {
        return THREADS;
    }

    /**
     * How many parts to split {@code tasks} independent tasks of about {@code workPerTask} operations
     * each into: 1 (stay on the caller) when the work is small or only one thread is configured.
     */
    public static int parts(int tasks, long workPerTask) {
        if (THREADS <= 1 || tasks <= 1 || (long) tasks * workPerTask < MIN_PARALLEL_WORK) {
            return 1;
        }
        return Math.min(THREADS, tasks);
    }

    /** Runs {@code body} over {@code [0, tasks)} split into {@code parts} contiguous ranges, and waits. */
    public static void run(int parts, int tasks, Range body) {
        if (parts <= 1) {
            body.run(0, tasks);
            return;
        }
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) tasks * p / parts);
            int to = (int) ((long) tasks * (p + 1) / parts);
            RangeAction action = new RangeAction(body, from, to);
            forked[p - 1] = action;
            if (Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == Pool.POOL) {
                action.fork();
            } else {
                Pool.POOL.execute(action);
            }
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) tasks / parts));
        } catch (Throwable t) {
            failure = t;
        }
        for (ForkJoinTask<?> task : forked) {
            try {
                task.join();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static int configuredThreads() {
        String value = System.getProperty("seqmix.threads");
        int cores = Runtime.getRuntime().availableProcessors();
        if (value == null || value.isBlank()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new IllegalArgumentException("seqmix.threads: expected at least 1, got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seqmix.threads: expected an integer, got " + value, e);
        }
    }

    private static final class RangeAction extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient Range body;
        private final int from;
        private final int to;

        RangeAction(Range body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            body.run(from, to);
        }
    }

    /** Lazily created, so that a JVM that never splits work starts no threads. */
    private static final class Pool {
        static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, THREADS - 1), pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("seqmix-worker-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
