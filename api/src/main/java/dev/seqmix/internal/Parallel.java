package dev.seqmix.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

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
        /**
         * Runs the tasks {@code [from, to)}.
         *
         * @param from the first task index
         * @param to   one past the last task index
         */
        void run(int from, int to);
    }

    /** {@return the configured thread count} */
    public static int threads() {
        return THREADS;
    }

    /**
     * How many parts to split {@code tasks} independent tasks of about {@code workPerTask} operations
     * each into: 1 (stay on the caller) when the work is small or only one thread is configured.
     *
     * @param tasks       independent tasks
     * @param workPerTask elementary operations per task, roughly
     * @return the number of parts, at least 1 and at most {@code min(threads(), tasks)}
     */
    public static int parts(int tasks, long workPerTask) {
        if (THREADS <= 1 || tasks <= 1 || (long) tasks * workPerTask < MIN_PARALLEL_WORK) {
            return 1;
        }
        return Math.min(THREADS, tasks);
    }

    /**
     * Chunks per part: the parts claim chunks of tasks one at a time, so that a thread slowed down by
     * something else (the JIT, the GC, another process) leaves its share to the others instead of
     * making them wait at the join.
     */
    static final int CHUNKS_PER_PART = 4;

    /**
     * Runs {@code body} over {@code [0, tasks)} on {@code parts} threads (the caller and {@code parts - 1}
     * pool workers), and waits. The tasks are cut into fixed contiguous chunks (the cut depends only on
     * {@code tasks} and {@code parts}) that the threads claim in turn; which thread runs a chunk varies, what
     * it computes does not.
     *
     * @param parts threads to use, from {@link #parts(int, long)}; 1 or less runs {@code body} on the caller
     * @param tasks task indices {@code [0, tasks)}
     * @param body  the work of a range of tasks
     */
    public static void run(int parts, int tasks, Range body) {
        if (parts <= 1) {
            body.run(0, tasks);
            return;
        }
        // The caller's interrupt status is the application's: it is taken before the uninterruptible joins and
        // given back after, with any interrupt that came meanwhile, whatever the pool's waiting does with it
        // (InterruptStatusTest holds every backend to this).
        boolean interrupted = Thread.interrupted();
        try {
            runSplit(parts, tasks, body);
        } finally {
            if (Thread.interrupted() || interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void runSplit(int parts, int tasks, Range body) {
        Split split = Split.MINE.get();
        if (split.busy) {
            split = new Split(); // a split inside a split on the same thread: rare, pays its own objects
        }
        split.busy = true;
        try {
            split.run(parts, tasks, body);
        } finally {
            split.body = null; // do not keep the caller's arrays reachable
            split.busy = false;
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

    /**
     * One thread's split: its chunk counter and its worker tasks, kept and reused, so that a split call
     * allocates no task objects (only its {@link Range}, where the caller's lambda captures arguments).
     * Chunk c is {@code [tasks c / count, tasks (c + 1) / count)}.
     */
    private static final class Split {
        static final ThreadLocal<Split> MINE = ThreadLocal.withInitial(Split::new);

        private final AtomicInteger next = new AtomicInteger();
        private final ClaimAction[] workers = new ClaimAction[Math.max(0, THREADS - 1)];
        boolean busy;
        Range body;
        private int tasks;
        private int count;

        void run(int requestedParts, int tasks, Range body) {
            int parts = Math.min(requestedParts, workers.length + 1);
            this.body = body;
            this.tasks = tasks;
            this.count = (int) Math.min(tasks, (long) parts * CHUNKS_PER_PART);
            next.set(0);
            boolean inPool = Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == Pool.POOL;
            for (int p = 0; p < parts - 1; p++) {
                ClaimAction action = workers[p];
                if (action == null) {
                    action = workers[p] = new ClaimAction(this);
                } else {
                    action.reinitialize(); // completed and joined by the previous split
                }
                if (inPool) {
                    action.fork();
                } else {
                    Pool.POOL.execute(action);
                }
            }
            Throwable failure = null;
            try {
                claimAll();
            } catch (Throwable t) {
                failure = t;
            }
            for (int p = 0; p < parts - 1; p++) {
                try {
                    workers[p].join();
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

        /** Runs chunks until none is left (a failure stops this thread's claiming; the others finish theirs). */
        void claimAll() {
            for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
                body.run((int) ((long) tasks * c / count), (int) ((long) tasks * (c + 1) / count));
            }
        }
    }

    private static final class ClaimAction extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient Split split;

        ClaimAction(Split split) {
            this.split = split;
        }

        @Override
        protected void compute() {
            split.claimAll();
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
