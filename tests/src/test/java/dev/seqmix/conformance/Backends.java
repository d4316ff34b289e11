package dev.seqmix.conformance;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import java.util.Arrays;
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

    /**
     * The available backends, optionally narrowed by {@code -Dseqmix.test.backends=a,b} (the build runs
     * the suite once more per forced vector width, on simd only).
     */
    public static List<String> available() {
        String only = System.getProperty("seqmix.test.backends", "");
        List<String> wanted = Arrays.stream(only.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return Seqmix.backends().stream().filter(BackendInfo::available).map(BackendInfo::name)
                .filter(name -> wanted.isEmpty() || wanted.contains(name)).toList();
    }

    public static Kernels open(String name) {
        return Seqmix.kernels(name);
    }
}
