package dev.seqmix.conformance;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The opencl backward passes' loops that default sizes reach only on large shapes, against the float64 oracles:
 * softmax tiles of 1, 4 and 32 rows (many key and query blocks, the diagonal sums carried from block to block,
 * tails of every length), and working buffers of one (batch, head) pair or one key tile at a time (the rpe
 * backward's loop over pair groups, the softmax backward's chunks of key tiles). The limits are the backend's test
 * hooks, read when a {@code Kernels} is made.
 */
class OpenClBackwardTilingTest {
    private static final String TILE = "seqmix.opencl.softmaxBackwardTile";
    private static final String GROUP_BYTES = "seqmix.opencl.backwardGroupBytes";

    /** The limits, where the run has opencl (none where it does not, or where the run is narrowed to simd). */
    static Stream<Arguments> limits() {
        if (!Backends.available().contains("opencl")) {
            return Stream.empty();
        }
        return Stream.of(Arguments.of("1", "1"), Arguments.of("4", "1"), Arguments.of("4", null),
                Arguments.of("32", "1"));
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("limits")
    void gradientsMatchTheOracle(String tile, String groupBytes) {
        List<AttentionShape> shapes = List.of(new AttentionShape(3, 41, 2, 4, 2, 3, false),
                new AttentionShape(3, 41, 2, 4, 2, 3, true), new AttentionShape(2, 13, 3, 8, 5, 7, true),
                new AttentionShape(1, 67, 2, 16, 4, 8, false), new AttentionShape(1, 1, 1, 1, 1, 1, true));
        String oldTile = System.getProperty(TILE);
        String oldGroup = System.getProperty(GROUP_BYTES);
        set(TILE, tile);
        set(GROUP_BYTES, groupBytes);
        try (Kernels k = Backends.open("opencl")) {
            for (AttentionShape s : shapes) {
                AttentionBackwardTest.Inputs in = AttentionBackwardTest.Inputs.of(s, s.hashCode() + 5);
                AttentionBackwardTest.softmaxMatchesOracle(k, s, in.q(), in.k(), in.v(), in.bias(), in.g());
                AttentionBackwardTest.rpeMatchesOracle(k, s, in.phiQ(), in.phiK(), in.v(), in.bias(), in.g());
            }
        } finally {
            set(TILE, oldTile);
            set(GROUP_BYTES, oldGroup);
        }
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
