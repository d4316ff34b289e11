package dev.seqmix.cli.report;

import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.bench.BenchData;
import dev.seqmix.bench.TailLatencyBenchmark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The latency of the small calls embedders make (the same calls as {@link TailLatencyBenchmark}): each call timed
 * on its own, on one thread and on {@link #SHARED_THREADS} threads sharing one {@code Kernels} (each thread with its
 * own buffers and stream), and the distribution kept as its p50, p99, p99.9 and maximum. Calls of a few hundred
 * nanoseconds are timed one by one too: the clock's own cost (some tens of nanoseconds) is in every sample.
 */
final class LatencySection {
    /** Threads sharing one instance in the second run of each case, as in the first-call issue's target. */
    static final int SHARED_THREADS = 4;
    /** Most samples kept per thread (about 16 MB for four threads); a run stops at its time or here. */
    private static final int MAX_SAMPLES = 1 << 19;

    /** One small call. */
    enum SmallCall {
        STREAM_STEP("TalkStream.step", "one step of [1][" + TailLatencyBenchmark.STEP.channels() + "], "
                + TailLatencyBenchmark.STEP.heads() + " heads, maxLeft " + TailLatencyBenchmark.STEP.maxLeft()),
        FFT("complex FFT", "n = " + TailLatencyBenchmark.FFT_N + ", a forward and an inverse transform"),
        TALK_FORWARD("talkForward", describe(TailLatencyBenchmark.TALK));

        final String label;
        final String shape;

        SmallCall(String label, String shape) {
            this.label = label;
            this.shape = shape;
        }

        private static String describe(TalkShape s) {
            return "[" + s.batch() + "][" + s.time() + "][" + s.channels() + "], " + s.heads()
                    + " heads, maxLeft = maxRight = " + s.maxLeft();
        }

        /** This call on {@code k} with buffers (and a stream) of the calling thread's own. */
        Runnable build(Kernels k, long seed) {
            return switch (this) {
                case STREAM_STEP -> {
                    TalkStream stream = k.talkStream(TailLatencyBenchmark.STEP);
                    float[] x = BenchData.uniform(seed, TailLatencyBenchmark.STEP.channels(), -1, 1);
                    float[] left = BenchData.uniform(seed + 1, TailLatencyBenchmark.STEP.heads(), 0, 1);
                    float[] out = new float[x.length];
                    yield () -> stream.step(x, left, out);
                }
                case FFT -> {
                    FftPlan plan = k.fftPlan(TailLatencyBenchmark.FFT_N);
                    float[] data = BenchData.uniform(seed, 2 * TailLatencyBenchmark.FFT_N, -1, 1);
                    yield () -> {
                        plan.forward(data, 1);
                        plan.inverse(data, 1);
                    };
                }
                case TALK_FORWARD -> {
                    TalkShape s = TailLatencyBenchmark.TALK;
                    float[] x = BenchData.uniform(seed, s.sequenceLength(), -1, 1);
                    float[] offsets = BenchData.uniform(seed + 1, s.offsetLength(), 0, 1);
                    float[] out = new float[x.length];
                    yield () -> k.talkForward(s, x, offsets, offsets, out);
                }
            };
        }
    }

    /** The percentiles kept, as the operations that name them. */
    static final List<Operation> PERCENTILES = List.of(Operation.LATENCY_P50, Operation.LATENCY_P99,
            Operation.LATENCY_P999, Operation.LATENCY_MAX);

    private final Sweep sweep;

    LatencySection(Sweep sweep) {
        this.sweep = sweep;
    }

    List<Sweep.Task> tasks() {
        List<Sweep.Task> tasks = new ArrayList<>();
        for (var e : sweep.backends.entrySet()) {
            String backend = e.getKey();
            Kernels k = e.getValue();
            for (SmallCall call : SmallCall.values()) {
                tasks.add(new Sweep.Task("latency: " + call.label + " on " + backend, () -> {
                    try {
                        sweep.plan.stopwatch().warmUp(call.build(k, 1));
                        for (int threads : new int[] {1, SHARED_THREADS}) {
                            record(backend, call, threads, sample(k, call, threads, sweep.plan.latencySeconds()));
                        }
                    } catch (RuntimeException | OutOfMemoryError | InterruptedException ex) {
                        sweep.fail(PERCENTILES.get(0), backend, 1, ex);
                    }
                }));
            }
        }
        return tasks;
    }

    /** Nanoseconds of every call of {@code threads} threads calling for {@code seconds}, sorted. */
    static long[] sample(Kernels k, SmallCall call, int threads, double seconds) throws InterruptedException {
        long[][] perThread = new long[threads][];
        int[] counts = new int[threads];
        RuntimeException[] failures = new RuntimeException[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Runnable body = call.build(k, 100 + 10L * t);
            long[] samples = new long[MAX_SAMPLES];
            perThread[t] = samples;
            workers[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        body.run(); // this thread's own first calls (its stream, its buffers)
                    }
                    ready.countDown();
                    go.await();
                    long end = System.nanoTime() + (long) (seconds * 1e9);
                    int n = 0;
                    long before = System.nanoTime();
                    while (n < samples.length && before < end) {
                        body.run();
                        long after = System.nanoTime();
                        samples[n++] = after - before;
                        before = after;
                    }
                    counts[id] = n;
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException ex) {
                    failures[id] = ex;
                    ready.countDown();
                }
            }, "seqmix-latency-" + t);
            workers[t].start();
        }
        ready.await();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        for (RuntimeException f : failures) {
            if (f != null) {
                throw f;
            }
        }
        long[] all = new long[Arrays.stream(counts).sum()];
        for (int t = 0, at = 0; t < threads; at += counts[t], t++) {
            System.arraycopy(perThread[t], 0, all, at, counts[t]);
        }
        Arrays.sort(all);
        return all;
    }

    /** The sample at quantile q of sorted samples: the smallest with at least a fraction q at or below it. */
    static long quantile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private void record(String backend, SmallCall call, int threads, long[] sorted) {
        if (sorted.length == 0) {
            sweep.notes.add("latency: " + call.label + " on " + backend + ", " + threads + " thread(s): no call "
                    + "finished in " + sweep.plan.latencySeconds() + " s");
            return;
        }
        double[] q = {0.5, 0.99, 0.999, 1.0};
        String shape = shape(call.label + ", " + call.shape, threads);
        for (int i = 0; i < q.length; i++) {
            sweep.latency(PERCENTILES.get(i), backend, threads, shape, quantile(sorted, q[i]) * 1e-9,
                    sorted[0] * 1e-9, sorted[sorted.length - 1] * 1e-9, sorted.length);
        }
    }

    /** The shape a latency measurement names: the call and how many threads shared the instance. */
    static String shape(String call, int threads) {
        return call + "; " + (threads == 1 ? "1 thread" : threads + " threads sharing one instance");
    }
}
