package dev.seqmix.spi;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;

/**
 * A backend, found through {@link java.util.ServiceLoader} (registered in {@code module-info} with
 * {@code provides} and in {@code META-INF/services}). Implementations must have a public no-argument
 * constructor that touches no optional classes (incubator modules, native libraries): everything that
 * may fail belongs in {@link #probe()}.
 */
public interface KernelsProvider {

    /** {@return the backend's name: {@code "scalar"}, {@code "simd"}, {@code "opencl"}} */
    String name();

    /**
     * Whether the backend works in this JVM, with the device or vector width, or the reason it does not.
     * Must not throw; may cache its answer.
     *
     * @return the backend's name, availability and detail
     */
    BackendInfo probe();

    /**
     * Rank for the default choice when no backend is requested: the available backend with the highest
     * rank wins. Negative: never chosen by default. Called only when {@link #probe()} says available.
     *
     * @return the rank
     */
    int defaultRank();

    /** {@return a new instance}; called only when {@link #probe()} says available. */
    Kernels create();
}
