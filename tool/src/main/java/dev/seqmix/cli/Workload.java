package dev.seqmix.cli;

import dev.seqmix.AttentionShape;
import dev.seqmix.TalkShape;

/**
 * The sizes that {@code seqmix tour} runs: the default workload (a few seconds per backend on two
 * scalar cores) and the tiny {@code --quick} one used by the tests.
 *
 * @param talk        TaLK forward and backward, and the cumsum shape
 * @param stream      the causal TaLK stream (maxRight = 0); {@code time} steps are taken
 * @param fftSmall    complex FFT size (a power of two) ...
 * @param fftSmallBatch ... and its batch
 * @param fftLarge    a larger complex FFT size ...
 * @param fftLargeBatch ... and its batch
 * @param fftOdd      a prime size (Bluestein or similar) ...
 * @param fftOddBatch ... and its batch
 * @param rfft        real FFT size ...
 * @param rfftBatch   ... and its batch
 * @param toeplitzN   Toeplitz size on the FFT path ...
 * @param toeplitzSmallN a size on the direct path ...
 * @param toeplitzCols ... and the columns of both
 * @param attention   attention shape (non-causal)
 */
public record Workload(String name, TalkShape talk, TalkShape stream,
                       int fftSmall, int fftSmallBatch, int fftLarge, int fftLargeBatch,
                       int fftOdd, int fftOddBatch, int rfft, int rfftBatch,
                       int toeplitzN, int toeplitzSmallN, int toeplitzCols, AttentionShape attention) {

    /** The default tour. */
    public static Workload standard() {
        return new Workload("default",
                new TalkShape(4, 2048, 512, 8, 31, 31),
                new TalkShape(4, 2048, 512, 8, 31, 0),
                1 << 10, 64, 1 << 16, 4,
                1009, 16, 1 << 12, 64,
                2048, 48, 64,
                new AttentionShape(1, 2048, 8, 64, 64, 64, false));
    }

    /** A tiny workload that still takes every code path (FFT Toeplitz above the direct crossover). */
    public static Workload quick() {
        return new Workload("quick",
                new TalkShape(2, 64, 32, 4, 3, 3),
                new TalkShape(2, 64, 32, 4, 3, 0),
                1 << 6, 4, 1 << 10, 2,
                31, 3, 1 << 6, 4,
                100, 16, 8,
                new AttentionShape(1, 96, 2, 8, 8, 8, false));
    }
}
