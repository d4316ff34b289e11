package dev.seqmix.cli.report;

import dev.seqmix.Kernels;
import dev.seqmix.cli.Stopwatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One report run in progress: the plan, the open backends, and what has been measured so far. The sections
 * ({@link FftSection}, {@link PapersSection}, {@link BandwidthSection}, {@link ToeplitzSection},
 * {@link LatencySection}) turn the plan into
 * {@link Task}s; running a task records {@link Measurement}s here, or a note when a case fails.
 */
final class Sweep {
    static final String MEASURED = "measured in this run";

    /** One step of the progress bar. */
    record Task(String label, Runnable body) {
    }

    /**
     * One thing to time: its inputs are made and its outputs allocated when the case is built, so that
     * {@link #call} allocates nothing.
     */
    record Case(Operation op, String implementation, long size, String shape, double flops, double bytes,
                Runnable call) {
    }

    final SweepPlan plan;
    /** Open backends by name, in the order they are run. */
    final Map<String, Kernels> backends;
    final List<Measurement> measurements = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Sweep(SweepPlan plan, Map<String, Kernels> backends) {
        this.plan = plan;
        this.backends = new LinkedHashMap<>(backends);
    }

    /** Every task of every section, in the order they run. */
    List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        tasks.addAll(new FftSection(this).tasks());
        tasks.addAll(new PapersSection(this).tasks());
        tasks.addAll(new BandwidthSection(this).tasks());
        tasks.addAll(new ToeplitzSection(this).tasks());
        tasks.addAll(new LatencySection(this).tasks());
        return tasks;
    }

    /**
     * Builds the case and times it with the plan's stopwatch; a failure (a backend that runs out of device memory,
     * say) becomes a note instead.
     */
    void time(Operation op, String implementation, long size, Supplier<Case> build) {
        try {
            Case c = build.get();
            Stopwatch.Timing t = plan.stopwatch().time(c.call());
            add(c.op(), c.implementation(), c.size(), c.shape(), t.median(), t.fastest(), t.slowest(), t.samples(),
                    t.callsPerSample(), t.steady(), c.flops(), c.bytes());
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(op, implementation, size, e);
        }
    }

    /** Runs a small case until the JIT has compiled it (nothing is recorded). */
    void warmUp(Operation op, String implementation, long size, Supplier<Case> build) {
        try {
            plan.stopwatch().warmUp(build.get().call());
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(op, implementation, size, e);
        }
    }

    /** Records a relative error (one evaluation, no timing). */
    void error(Operation op, String implementation, long size, String shape, double error) {
        add(op, implementation, size, shape, error, error, error, 1, 1, true, 0, 0);
    }

    /**
     * Records a percentile of a latency distribution: {@code value} at that percentile, the fastest and slowest call,
     * and how many calls were timed one by one.
     */
    void latency(Operation percentile, String implementation, int threads, String shape, double value,
                 double fastest, double slowest, int calls) {
        add(percentile, implementation, threads, shape, value, fastest, slowest, calls, 1, true, 0, 0);
    }

    void fail(Operation op, String implementation, long size, Throwable e) {
        notes.add(op.key + " on " + implementation + " at size " + size + " failed: " + e);
    }

    /** Records a measurement taken by a section's own timing (the device benchmark's). */
    void add(Operation op, String implementation, long size, String shape, double value, double low,
                     double high, int samples, long calls, boolean steady, double flops, double bytes) {
        String id = "m" + (measurements.size() + 1);
        measurements.add(new Measurement(id, op, implementation, size, shape, value, low, high, samples, calls,
                steady, flops, bytes, MEASURED));
    }
}
