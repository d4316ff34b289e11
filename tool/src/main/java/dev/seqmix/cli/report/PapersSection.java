package dev.seqmix.cli.report;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.bench.BenchData;
import java.util.ArrayList;
import java.util.List;

/**
 * The speed comparison of the two papers: time against sequence length at batch 1, the plan's channels and heads,
 * for exact softmax attention with RPE (O(n^2)), kernelized RPE attention (random features of q and k, then the
 * FFT Toeplitz attention: O(n log n)) and TaLK forward (O(n)), and the two attention backward passes (training), on
 * each backend.
 */
final class PapersSection {
    /** The forward passes, then the attention backward passes (training), each against sequence length. */
    static final List<Operation> OPERATIONS = List.of(Operation.SOFTMAX_ATTENTION, Operation.RPE_ATTENTION,
            Operation.TALK_FORWARD, Operation.SOFTMAX_ATTENTION_BACKWARD, Operation.RPE_ATTENTION_BACKWARD);

    private final Sweep sweep;
    private int inputsLength = -1;
    private BenchData.AttentionInputs attention;
    private float[][] talk;

    PapersSection(Sweep sweep) {
        this.sweep = sweep;
    }

    List<Sweep.Task> tasks() {
        SweepPlan p = sweep.plan;
        List<Sweep.Task> tasks = new ArrayList<>();
        for (String backend : sweep.backends.keySet()) {
            tasks.add(new Sweep.Task("warm-up: attention and TaLK on " + backend, () -> {
                for (Operation op : OPERATIONS) {
                    sweep.warmUp(op, backend, p.warmupLength(), () -> build(op, backend, p.warmupLength()));
                }
            }));
        }
        for (int n : p.lengths()) {
            for (String backend : sweep.backends.keySet()) {
                for (Operation op : OPERATIONS) {
                    if (cap(op).allows(backend, n)) {
                        tasks.add(new Sweep.Task(op.key + " " + n + " " + backend,
                                () -> sweep.time(op, backend, n, () -> build(op, backend, n))));
                    }
                }
            }
        }
        return tasks;
    }

    private SweepPlan.Cap cap(Operation op) {
        return switch (op) {
            case SOFTMAX_ATTENTION, SOFTMAX_ATTENTION_BACKWARD -> sweep.plan.softmaxCap();
            case RPE_ATTENTION, RPE_ATTENTION_BACKWARD -> sweep.plan.rpeCap();
            default -> sweep.plan.talkCap();
        };
    }

    /** Inputs are made once per length and shared by every backend (they are never modified). */
    private void prepare(int n) {
        if (inputsLength != n) {
            attention = null;
            talk = null;
            inputsLength = n;
        }
    }

    private Sweep.Case build(Operation op, String backend, int n) {
        prepare(n);
        SweepPlan p = sweep.plan;
        Kernels k = sweep.backends.get(backend);
        if (op == Operation.TALK_FORWARD) {
            TalkShape s = new TalkShape(1, n, p.channels(), p.heads(), p.maxLeft(), p.maxLeft());
            if (talk == null) {
                talk = new float[][] {BenchData.uniform(1, s.sequenceLength(), -1, 1),
                    BenchData.uniform(2, s.offsetLength(), 0, 1), BenchData.uniform(3, s.offsetLength(), 0, 1)};
            }
            float[][] in = talk;
            float[] out = new float[s.sequenceLength()];
            return new Sweep.Case(op, backend, n, "batch 1, time " + n + ", " + s.channels() + " channels, "
                    + s.heads() + " heads, maxLeft = maxRight = " + s.maxLeft(), 0, 0,
                    () -> k.talkForward(s, in[0], in[1], in[2], out));
        }
        int d = p.headDim();
        AttentionShape s = new AttentionShape(1, n, p.heads(), d, d, d, false);
        if (attention == null) {
            attention = BenchData.attentionInputs(s);
        }
        BenchData.AttentionInputs in = attention;
        float[] out = new float[s.valueLength()];
        String shape = "batch 1, length " + n + ", " + s.heads() + " heads, key/value/feature dimension " + d
                + ", not causal";
        if (op == Operation.SOFTMAX_ATTENTION) {
            return new Sweep.Case(op, backend, n, shape, 0, 0,
                    () -> k.softmaxRpeAttention(s, in.q(), in.k(), in.v(), in.bias(), out));
        }
        float[] gq = new float[s.keyLength()];
        float[] gk = new float[s.keyLength()];
        float[] gv = new float[s.valueLength()];
        float[] gb = new float[s.biasLength()];
        if (op == Operation.SOFTMAX_ATTENTION_BACKWARD) { // the values stand in for the output's gradient
            return new Sweep.Case(op, backend, n, shape, 0, 0, () -> k.softmaxRpeAttentionBackward(s, in.q(), in.k(),
                    in.v(), in.bias(), in.v(), gq, gk, gv, gb));
        }
        float[] phiQ = new float[s.featureLength()];
        float[] phiK = new float[s.featureLength()];
        if (op == Operation.RPE_ATTENTION_BACKWARD) {
            k.randomFeatures(s, in.q(), in.projection(), true, phiQ);
            k.randomFeatures(s, in.k(), in.projection(), false, phiK);
            float[] gPhiQ = new float[s.featureLength()];
            float[] gPhiK = new float[s.featureLength()];
            return new Sweep.Case(op, backend, n, shape + ", both random features' backward passes included", 0, 0,
                    () -> {
                        k.rpeAttentionBackward(s, phiQ, phiK, in.v(), in.bias(), in.v(), gPhiQ, gPhiK, gv, gb);
                        k.randomFeaturesBackward(s, in.q(), in.projection(), true, gPhiQ, gq);
                        k.randomFeaturesBackward(s, in.k(), in.projection(), false, gPhiK, gk);
                    });
        }
        return new Sweep.Case(op, backend, n, shape + ", random features of q and k included", 0, 0, () -> {
            k.randomFeatures(s, in.q(), in.projection(), true, phiQ);
            k.randomFeatures(s, in.k(), in.projection(), false, phiK);
            k.rpeAttention(s, phiQ, phiK, in.v(), in.bias(), out);
        });
    }
}
