package dev.seqmix.spi;

import dev.seqmix.internal.ScratchPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies between segments and pooled arrays, for backends whose kernels work on arrays. The copies run
 * on the calling thread, so segments of confined arenas work; the arrays may then be shared with
 * worker threads.
 *
 * <p>Large calls go in chunks of whole batch entries ({@link #batchesPerChunk}), so that the heap holds at
 * most about {@link #CHUNK_FLOATS} floats per argument (and the pooled arrays are reused) instead of a copy
 * of the whole off-heap data; a single batch entry larger than that is still copied whole.
 */
public final class Segments {
    /**
     * Floats per argument that one chunk copies to the heap: {@code -Dseqmix.segmentChunkFloats}, default 2^22
     * (16 MiB, the scratch pool's largest array). Tests set it small to run the chunked path on small shapes.
     */
    public static final long CHUNK_FLOATS = Math.max(1, Long.getLong("seqmix.segmentChunkFloats", 1L << 22));

    private Segments() {
    }

    /**
     * Batch entries per chunk for entries of {@code floatsPerEntry} floats (the largest argument's).
     *
     * @param batch          the call's batch count
     * @param floatsPerEntry floats of one batch entry in the largest argument
     * @return entries per chunk, at least 1
     */
    public static int batchesPerChunk(int batch, long floatsPerEntry) {
        return (int) Math.max(1, Math.min(batch, CHUNK_FLOATS / Math.max(1, floatsPerEntry)));
    }

    /** A chunk of batch entries {@code [from, from + count)}. */
    @FunctionalInterface
    public interface Chunk {
        /**
         * Runs one chunk.
         *
         * @param from  the first batch entry
         * @param count how many entries
         */
        void run(int from, int count);
    }

    /**
     * Runs {@code body} over the batch in chunks of {@link #batchesPerChunk} entries, in order.
     *
     * @param batch          the call's batch count
     * @param floatsPerEntry floats of one batch entry in the largest argument
     * @param body           what to do with each chunk
     */
    public static void inChunks(int batch, long floatsPerEntry, Chunk body) {
        int step = batchesPerChunk(batch, floatsPerEntry);
        for (int b = 0; b < batch; b += step) {
            body.run(b, Math.min(step, batch - b));
        }
    }

    /**
     * A pooled array holding floats {@code [from, from + n)} of {@code s}, or null when {@code s} is null.
     *
     * @param s    the segment, or null
     * @param from the first float to copy
     * @param n    the number of floats to copy
     * @return the array (give it back with {@link #release(float[])}), or null
     */
    public static float[] load(MemorySegment s, long from, int n) {
        if (s == null) {
            return null;
        }
        float[] a = ScratchPool.floats(n);
        MemorySegment.copy(s, ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * from, a, 0, n);
        return a;
    }

    /**
     * Writes {@code a[0..n)} to floats {@code [from, from + n)} of {@code s} (nothing when either is null).
     *
     * @param a    the array, or null
     * @param s    the segment, or null
     * @param from the first float of {@code s} to write
     * @param n    the number of floats
     */
    public static void store(float[] a, MemorySegment s, long from, int n) {
        if (a != null && s != null) {
            MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * from, n);
        }
    }

    /**
     * A pooled array holding the first {@code n} floats of {@code s}, or null when {@code s} is null.
     *
     * @param s the segment, or null
     * @param n the number of floats to copy
     * @return the array (give it back with {@link #release(float[])}), or null
     */
    public static float[] load(MemorySegment s, int n) {
        return load(s, 0, n);
    }

    /**
     * A pooled array for an output, or null when {@code s} is null.
     *
     * @param s the output segment, or null
     * @param n the number of floats needed
     * @return the array (give it back with {@link #release(float[])}), or null
     */
    public static float[] scratch(MemorySegment s, int n) {
        return s == null ? null : ScratchPool.floats(n);
    }

    /**
     * Writes {@code a[0..n)} to {@code s} (nothing when either is null).
     *
     * @param a the array, or null
     * @param s the segment, or null
     * @param n the number of floats to copy
     */
    public static void store(float[] a, MemorySegment s, int n) {
        store(a, s, 0, n);
    }

    /**
     * Returns a pooled array (null ignored).
     *
     * @param a the array from {@link #load} or {@link #scratch}, or null
     */
    public static void release(float[] a) {
        if (a != null) {
            ScratchPool.release(a);
        }
    }
}
