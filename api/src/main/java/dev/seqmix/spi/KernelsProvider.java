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

    /**
     * Warms the backend up ({@link Warmup}); {@code Seqmix} calls it with each new instance before handing it
     * out. The default attaches the backend's JIT warm-up, done once per JVM on private instances; a backend
     * whose first-call cost is its own set-up (a device's program builds) may do that instead.
     *
     * @param k the new instance
     */
    default void warmUp(Kernels k) {
        if (k instanceof AbstractKernels a) {
            Warmup.attach(name(), a, this::create);
        }
    }
}
