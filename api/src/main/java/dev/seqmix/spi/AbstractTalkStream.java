package dev.seqmix.spi;

import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.lang.foreign.MemorySegment;

/** Base of every backend's {@link TalkStream}: validation in one place, then the protected step kernel. */
public abstract class AbstractTalkStream implements TalkStream {
    /** The stream's shape (causal). */
    protected final TalkShape shape;
    private final AbstractKernels owner;

    /**
     * A stream at time 0.
     *
     * @param shape the shape, causal
     * @param owner the backend that made it: every call checks that it is still open
     */
    protected AbstractTalkStream(TalkShape shape, AbstractKernels owner) {
        this.shape = shape;
        this.owner = owner;
    }

    @Override
    public final void step(float[] xt, float[] leftT, float[] outT) {
        owner.ensureOpen();
        int n = shape.batch() * shape.channels();
        int m = shape.batch() * shape.heads();
        Checks.array("xt", xt, n, "batch*channels");
        Checks.array("leftT", leftT, m, "batch*heads");
        Checks.array("outT", outT, n, "batch*channels");
        Checks.distinct("outT", outT, "xt", xt);
        Checks.distinct("outT", outT, "leftT", leftT);
        Checks.unitInterval("leftT", leftT, m);
        doStep(xt, leftT, outT);
    }

    @Override
    public final void step(MemorySegment xt, MemorySegment leftT, MemorySegment outT) {
        owner.ensureOpen();
        int n = shape.batch() * shape.channels();
        int m = shape.batch() * shape.heads();
        Checks.segment("xt", xt, n, "batch*channels");
        Checks.segment("leftT", leftT, m, "batch*heads");
        Checks.output("outT", outT, n, "batch*channels");
        Checks.disjoint("outT", outT, "xt", xt);
        Checks.disjoint("outT", outT, "leftT", leftT);
        Checks.unitInterval("leftT", leftT, m);
        float[] xa = Segments.load(xt, n);
        float[] la = Segments.load(leftT, m);
        float[] oa = Segments.scratch(outT, n);
        try {
            doStep(xa, la, oa);
            Segments.store(oa, outT, n);
        } finally {
            Segments.release(xa);
            Segments.release(la);
            Segments.release(oa);
        }
    }

    @Override
    public final void reset() {
        owner.ensureOpen();
        doReset();
    }

    /**
     * One step, after validation; offsets are in [0, 1].
     *
     * @param xt    {@code [batch][channels]}, this step's input
     * @param leftT {@code [batch][heads]}, this step's left offsets
     * @param outT  output {@code [batch][channels]}, not the same array as an input
     */
    protected abstract void doStep(float[] xt, float[] leftT, float[] outT);

    /** Forgets all steps, after the open check. */
    protected abstract void doReset();
}
