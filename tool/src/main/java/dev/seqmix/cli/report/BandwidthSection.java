package dev.seqmix.cli.report;

import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.bench.BenchData;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scan and TaLK throughput against the copy bandwidth of the same run, on {@code [1][time][channels]}: bytes that a
 * call must move at least (its inputs read once, its outputs written once) per second. The ceiling is
 * {@code System.arraycopy} of the same elements (read 4 bytes, write 4 bytes each) on one thread, and split over
 * every core (the backends split large calls over their worker threads).
 */
final class BandwidthSection {
    static final String COPY_ONE_THREAD = "System.arraycopy, 1 thread";
    private static final List<Operation> OPERATIONS =
            List.of(Operation.CUMSUM, Operation.TALK_FORWARD_BANDWIDTH, Operation.TALK_BACKWARD);

    private final Sweep sweep;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private int inputsTime = -1;
    private float[] x;
    private float[] left;
    private float[] right;
    private float[] gradOut;

    BandwidthSection(Sweep sweep) {
        this.sweep = sweep;
    }

    /** Bytes a scan or a copy of {@code elements} floats moves: each read once and written once. */
    static double copyBytes(long elements) {
        return 8.0 * elements;
    }

    /** TaLK forward: read x and both offsets, write out. */
    static double talkForwardBytes(TalkShape s) {
        return 8.0 * s.sequenceLength() + 8.0 * s.offsetLength();
    }

    /** TaLK backward: read x, gradOut and both offsets; write gradX and both offset gradients. */
    static double talkBackwardBytes(TalkShape s) {
        return 12.0 * s.sequenceLength() + 16.0 * s.offsetLength();
    }

    static String copyAllThreads(int cores) {
        return "System.arraycopy, " + cores + " threads";
    }

    List<Sweep.Task> tasks() {
        SweepPlan p = sweep.plan;
        List<Sweep.Task> tasks = new ArrayList<>();
        List<String> copies = new ArrayList<>(List.of(COPY_ONE_THREAD));
        if (cores > 1) {
            copies.add(copyAllThreads(cores));
        }
        int w = p.warmupLength();
        tasks.add(new Sweep.Task("warm-up: copy", () -> copies.forEach(
                c -> sweep.warmUp(Operation.COPY, c, w, () -> build(Operation.COPY, c, w)))));
        for (String backend : sweep.backends.keySet()) {
            tasks.add(new Sweep.Task("warm-up: scan and TaLK on " + backend, () -> OPERATIONS.forEach(
                    op -> sweep.warmUp(op, backend, w, () -> build(op, backend, w)))));
        }
        for (int time : p.bandwidthTimes()) {
            tasks.add(new Sweep.Task("copy " + time, () -> copies.forEach(
                    c -> sweep.time(Operation.COPY, c, time, () -> build(Operation.COPY, c, time)))));
            for (String backend : sweep.backends.keySet()) {
                if (p.bandwidthCap().allows(backend, time)) {
                    tasks.add(new Sweep.Task("scan and TaLK " + time + " " + backend, () -> OPERATIONS.forEach(
                            op -> sweep.time(op, backend, time, () -> build(op, backend, time)))));
                }
            }
        }
        return tasks;
    }

    /** Inputs are made once per size and shared (they are never modified). */
    private void prepare(TalkShape s) {
        if (inputsTime == s.time()) {
            return;
        }
        x = null; // let the previous size go before the next is made
        gradOut = null;
        x = BenchData.uniform(1, s.sequenceLength(), -1, 1);
        left = BenchData.uniform(2, s.offsetLength(), 0, 1);
        right = BenchData.uniform(3, s.offsetLength(), 0, 1);
        gradOut = BenchData.uniform(4, s.sequenceLength(), -1, 1);
        inputsTime = s.time();
    }

    private Sweep.Case build(Operation op, String implementation, int time) {
        SweepPlan p = sweep.plan;
        TalkShape s = new TalkShape(1, time, p.channels(), p.heads(), p.maxLeft(), p.maxLeft());
        prepare(s);
        long elements = s.sequenceLength();
        String shape = "[1][" + time + "][" + s.channels() + "]";
        String talk = shape + ", " + s.heads() + " heads, maxLeft = maxRight = " + s.maxLeft();
        float[] in = x;
        float[] l = left;
        float[] r = right;
        float[] g = gradOut;
        float[] out = new float[in.length];
        Kernels k = sweep.backends.get(implementation);
        return switch (op) {
            case COPY -> new Sweep.Case(op, implementation, elements, shape, 0, copyBytes(elements),
                    implementation.equals(COPY_ONE_THREAD) ? () -> System.arraycopy(in, 0, out, 0, in.length)
                            : parallelCopy(in, out));
            case CUMSUM -> new Sweep.Case(op, implementation, elements, shape, 0, copyBytes(elements),
                    () -> k.cumsum(1, time, s.channels(), in, out));
            case TALK_FORWARD_BANDWIDTH -> new Sweep.Case(op, implementation, elements, talk, 0,
                    talkForwardBytes(s), () -> k.talkForward(s, in, l, r, out));
            default -> {
                float[] gradLeft = new float[s.offsetLength()];
                float[] gradRight = new float[s.offsetLength()];
                yield new Sweep.Case(op, implementation, elements, talk, 0, talkBackwardBytes(s),
                        () -> k.talkBackward(s, in, l, r, g, out, gradLeft, gradRight));
            }
        };
    }

    /** One slice of the copy per core, on a parallel stream (a few small objects a call: negligible here). */
    private Runnable parallelCopy(float[] in, float[] out) {
        int chunk = (in.length + cores - 1) / cores;
        return () -> IntStream.range(0, cores).parallel().forEach(c -> {
            int from = c * chunk;
            if (from < in.length) {
                System.arraycopy(in, from, out, from, Math.min(chunk, in.length - from));
            }
        });
    }
}
