package dev.seqmix;

import java.lang.foreign.MemorySegment;

/**
 * Causal TaLK for inference, one time step at a time (from {@link Kernels#talkStream(TalkShape)}).
 * Each {@link #step} advances every batch row by one step and gives exactly the row that the causal
 * {@link Kernels#talkForward} gives at that step. It keeps only the last {@code maxLeft + 2} prefix
 * values per channel, so left offsets must lie in {@code [0, 1]}.
 *
 * <p>A stream is stateful and not thread-safe: use one per thread (or synchronize).
 */
public interface TalkStream {

    /**
     * One step.
     *
     * @param xt    {@code [batch][channels]}, this step's input
     * @param leftT {@code [batch][heads]}, this step's left offsets, each in {@code [0, 1]}
     * @param outT  output {@code [batch][channels]}
     * @throws IllegalArgumentException for a wrong length or an offset outside {@code [0, 1]} or NaN
     */
    void step(float[] xt, float[] leftT, float[] outT);

    /**
     * {@link #step(float[], float[], float[])} on segments.
     *
     * @param xt    {@code [batch][channels]}, this step's input
     * @param leftT {@code [batch][heads]}, this step's left offsets, each in {@code [0, 1]}
     * @param outT  output {@code [batch][channels]}
     */
    void step(MemorySegment xt, MemorySegment leftT, MemorySegment outT);

    /** Forgets all steps: the next step is time 0 again. */
    void reset();
}
