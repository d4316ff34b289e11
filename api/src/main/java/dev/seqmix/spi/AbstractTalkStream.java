package dev.seqmix.spi;

import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.lang.foreign.MemorySegment;

/** Base of every backend's {@link TalkStream}: validation in one place, then the protected step kernel. */
public abstract class AbstractTalkStream implements TalkStream {
    private static final Operation STEP = new Operation()
            .in("xt", 0, "batch*channels").in("leftT", 1, "batch*heads").out("outT", 0, "batch*channels");
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
        STEP.arrays(n, m, 0, 0, 0, xt, leftT, outT, null, null, null, null, null);
        Checks.unitInterval("leftT", leftT, m);
        doStep(xt, leftT, outT);
    }

    @Override
    public final void step(MemorySegment xt, MemorySegment leftT, MemorySegment outT) {
        owner.ensureOpen();
        int n = shape.batch() * shape.channels();
        int m = shape.batch() * shape.heads();
        STEP.segments(n, m, 0, 0, 0, xt, leftT, outT, null, null, null, null, null);
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
