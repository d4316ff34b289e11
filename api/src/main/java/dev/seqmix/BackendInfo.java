package dev.seqmix;

import java.util.Objects;

/**
 * What is known about one backend.
 *
 * @param name      the backend's name: {@code "scalar"}, {@code "simd"} or {@code "opencl"}
 * @param available whether {@link Seqmix#kernels(String)} can create it in this JVM
 * @param detail    the device or vector width when available, otherwise why it is not
 */
public record BackendInfo(String name, boolean available, String detail) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code name} or {@code detail} is null
     */
    public BackendInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }
}
