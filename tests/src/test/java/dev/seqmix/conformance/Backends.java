package dev.seqmix.conformance;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import java.util.List;
import java.util.stream.Stream;

/** The backends the suite runs on: every available one (and the build insists on the required ones). */
public final class Backends {
    private Backends() {
    }

    /** Names of the available backends, for {@code @MethodSource}. */
    public static Stream<String> names() {
        return available().stream();
    }

    public static List<String> available() {
        return Seqmix.backends().stream().filter(BackendInfo::available).map(BackendInfo::name).toList();
    }

    public static Kernels open(String name) {
        return Seqmix.kernels(name);
    }
}
