package dev.seqmix.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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

    /**
     * The arguments of one split call, carried to the threads in an object that each thread owns and reuses: a
     * lambda capturing them would be a new object every call. Slots are named by type, not meaning; each call
     * site's {@link Body} reads back the slots its caller filled. A split clears every slot when it ends, so that
     * the pool keeps none of the caller's arrays reachable.
     */
    public static final class Args {
        /** A shape, plan or kernel object. */
        public Object o0;
        /** A second object. */
        public Object o1;
        /** Float arrays. */
        public float[] f0, f1, f2, f3, f4, f5, f6, f7, f8, f9;
        /** Integers. */
        public int i0, i1, i2;
        /** A flag. */
        public boolean b0;
        private final Split owner;

        private Args(Split owner) {
            this.owner = owner;
        }

        /** {@return this carrier with {@code o0} set} @param o0 an object */
        public Args with(Object o0) {
            this.o0 = o0;
            return this;
        }

        /** {@return this carrier with {@code o0} and {@code o1} set} @param o0 an object @param o1 another */
        public Args with(Object o0, Object o1) {
            this.o0 = o0;
            this.o1 = o1;
            return this;
        }

        /** {@return this carrier with {@code f0} set} @param f0 an array */
        public Args floats(float[] f0) {
            this.f0 = f0;
            return this;
        }

        /** {@return this carrier with {@code f0, f1} set} @param f0 an array @param f1 an array */
        public Args floats(float[] f0, float[] f1) {
            this.f0 = f0;
            this.f1 = f1;
            return this;
        }

        /** {@return this carrier with {@code f0 .. f2} set} @param f0 an array @param f1 an array @param f2 an array */
        public Args floats(float[] f0, float[] f1, float[] f2) {
            floats(f0, f1);
            this.f2 = f2;
            return this;
        }

        /**
         * {@return this carrier with {@code f0 .. f3} set}
         * @param f0 an array @param f1 an array @param f2 an array @param f3 an array
         */
        public Args floats(float[] f0, float[] f1, float[] f2, float[] f3) {
            floats(f0, f1, f2);
            this.f3 = f3;
            return this;
        }

        /**
         * {@return this carrier with {@code f0 .. f4} set}
         * @param f0 an array @param f1 an array @param f2 an array @param f3 an array @param f4 an array
         */
        public Args floats(float[] f0, float[] f1, float[] f2, float[] f3, float[] f4) {
            floats(f0, f1, f2, f3);
            this.f4 = f4;
            return this;
        }

        /**
         * {@return this carrier with {@code f0 .. f6} set}
         * @param f0 an array @param f1 an array @param f2 an array @param f3 an array @param f4 an array
         * @param f5 an array @param f6 an array
         */
        public Args floats(float[] f0, float[] f1, float[] f2, float[] f3, float[] f4, float[] f5, float[] f6) {
            floats(f0, f1, f2, f3, f4);
            this.f5 = f5;
            this.f6 = f6;
            return this;
        }

        /**
         * {@return this carrier with {@code f0 .. f9} set}
         * @param f0 an array @param f1 an array @param f2 an array @param f3 an array @param f4 an array
         * @param f5 an array @param f6 an array @param f7 an array @param f8 an array @param f9 an array
         */
        public Args floats(float[] f0, float[] f1, float[] f2, float[] f3, float[] f4, float[] f5, float[] f6,
                           float[] f7, float[] f8, float[] f9) {
            floats(f0, f1, f2, f3, f4, f5, f6);
            this.f7 = f7;
            this.f8 = f8;
            this.f9 = f9;
            return this;
        }

        /** {@return this carrier with {@code i0} set} @param i0 an integer */
        public Args ints(int i0) {
            this.i0 = i0;
            return this;
        }

        /** {@return this carrier with {@code i0, i1} set} @param i0 an integer @param i1 an integer */
        public Args ints(int i0, int i1) {
            this.i0 = i0;
            this.i1 = i1;
            return this;
        }

        /**
         * {@return this carrier with {@code i0 .. i2} set} @param i0 an integer @param i1 an integer
         * @param i2 an integer
         */
        public Args ints(int i0, int i1, int i2) {
            ints(i0, i1);
            this.i2 = i2;
            return this;
        }

        /** {@return this carrier with {@code b0} set} @param b0 a flag */
        public Args flag(boolean b0) {
            this.b0 = b0;
            return this;
        }

        void clear() {
            o0 = o1 = null;
            f0 = f1 = f2 = f3 = f4 = f5 = f6 = f7 = f8 = f9 = null;
        }
    }

    /**
     * A body run over the task indices {@code [from, to)}, reading its arguments from {@link Args}. Call sites
     * keep their body in a field, created once: a body that captured anything would again be an object a call.
     */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the tasks {@code [from, to)}.
         *
         * @param args the call's arguments
         * @param from the first task index
         * @param to   one past the last task index
         */
        void run(Args args, int from, int to);
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
     * The calling thread's argument carrier for its next {@link #run}: fill the slots its body reads, then call
     * {@code run} at once. Inside a split on this thread (a pool worker that took up another task while it
     * waited) a fresh carrier: rare, and it pays its own objects.
     *
     * @return the carrier to pass to {@link #run}
     */
    public static Args args() {
        Split split = Split.MINE.get();
        return split.busy ? new Split().args : split.args;
    }

    /**
     * Runs {@code body} over {@code [0, tasks)} on {@code parts} threads (the caller and {@code parts - 1}
     * pool workers), and waits. The tasks are cut into fixed contiguous chunks (the cut depends only on
     * {@code tasks} and {@code parts}) that the threads claim in turn; which thread runs a chunk varies, what
     * it computes does not. Allocates nothing.
     *
     * @param parts threads to use, from {@link #parts(int, long)}; 1 or less runs {@code body} on the caller
     * @param tasks task indices {@code [0, tasks)}
     * @param args  the carrier from {@link #args()}, filled with the body's arguments; cleared on return
     * @param body  the work of a range of tasks
     */
    public static void run(int parts, int tasks, Args args, Body body) {
        Split split = args.owner;
        if (split.busy) {
            throw new IllegalStateException("Parallel.args() was taken before another split began on this thread");
        }
        split.busy = true;
        try {
            if (parts <= 1) {
                body.run(args, 0, tasks);
                return;
            }
            // The caller's interrupt status is the application's: it is taken before the uninterruptible joins
            // and given back after, with any interrupt that came meanwhile, whatever the pool's waiting does with
            // it (InterruptStatusTest holds every backend to this).
            boolean interrupted = Thread.interrupted();
            try {
                split.run(parts, tasks, body);
            } finally {
                if (Thread.interrupted() || interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            split.body = null;
            args.clear(); // do not keep the caller's arrays reachable
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
     * One thread's split: its chunk counter, its worker tasks and its argument carrier, kept and reused, so
     * that a split call allocates nothing.
     * Chunk c is {@code [tasks c / count, tasks (c + 1) / count)}.
     */
    private static final class Split {
        static final ThreadLocal<Split> MINE = ThreadLocal.withInitial(Split::new);

        private final AtomicInteger next = new AtomicInteger();
        /** Workers of the current split that have not finished; the last one wakes the caller. */
        private final AtomicInteger running = new AtomicInteger();
        private final ClaimAction[] workers = new ClaimAction[Math.max(0, THREADS - 1)];
        final Args args = new Args(this);
        boolean busy;
        Body body;
        private int tasks;
        private int count;
        private volatile Thread caller;
        private Throwable failure; // the first, under this object's lock

        void run(int requestedParts, int tasks, Body body) {
            int parts = Math.min(requestedParts, workers.length + 1);
            this.body = body;
            this.tasks = tasks;
            this.count = (int) Math.min(tasks, (long) parts * CHUNKS_PER_PART);
            this.failure = null;
            this.caller = Thread.currentThread();
            next.set(0);
            running.set(parts - 1);
            boolean inPool = Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == Pool.POOL;
            for (int p = 0; p < parts - 1; p++) {
                ClaimAction action = workers[p];
                if (action == null) {
                    action = workers[p] = new ClaimAction(this);
                } else {
                    action.reinitialize(); // completed by the previous split (awaitWorkers saw it done)
                }
                if (inPool) {
                    action.fork();
                } else {
                    Pool.POOL.execute(action);
                }
            }
            try {
                claimAll();
            } catch (Throwable t) {
                fail(t);
            }
            awaitWorkers(parts - 1, inPool);
            caller = null;
            Throwable f;
            synchronized (this) {
                f = failure;
                failure = null;
            }
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }

        /**
         * Waits for the workers. An outside caller parks until the last worker wakes it: joining a task from
         * outside the pool allocates a waiter node each time it has to block. A caller inside the pool joins,
         * so that it runs its own forked tasks when no other worker takes them.
         */
        private void awaitWorkers(int launched, boolean inPool) {
            if (inPool) {
                for (int p = 0; p < launched; p++) {
                    workers[p].join();
                }
                return;
            }
            boolean interrupted = false;
            while (running.get() != 0) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // park returns at once while the flag is set
            }
            for (int p = 0; p < launched; p++) {
                while (!workers[p].isDone()) { // the pool marks a task done just after its last line ran
                    Thread.onSpinWait();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }

        void workerDone() {
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        /** Runs chunks until none is left (a failure stops this thread's claiming; the others finish theirs). */
        void claimAll() {
            for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
                body.run(args, (int) ((long) tasks * c / count), (int) ((long) tasks * (c + 1) / count));
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
            try {
                split.claimAll();
            } catch (Throwable t) {
                split.fail(t);
            } finally {
                split.workerDone();
            }
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
