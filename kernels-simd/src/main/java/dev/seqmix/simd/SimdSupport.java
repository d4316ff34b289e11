package dev.seqmix.simd;

import dev.seqmix.BackendInfo;
import dev.seqmix.internal.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The first class that touches the Vector API; loaded only after {@link SimdProvider} has checked that
 * the incubator module is present. Chooses the float species: the preferred one, or a narrower one
 * forced with {@code -Dseqmix.vectorBits=128|256|512}.
 */
final class SimdSupport {
    /** The species every simd kernel uses, fixed for the JVM so that the kernels stay monomorphic. */
    static final VectorSpecies<Float> SPECIES = chooseSpecies();

    private SimdSupport() {
    }

    private static VectorSpecies<Float> chooseSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        String forced = System.getProperty("seqmix.vectorBits");
        if (forced == null || forced.isBlank()) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(forced.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seqmix.vectorBits: expected 128, 256 or 512, got " + forced, e);
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("seqmix.vectorBits: expected 128, 256 or 512, got " + forced);
        }
        if (bits > preferred.vectorBitSize()) {
            throw new IllegalArgumentException("seqmix.vectorBits: " + bits + " bits is wider than this CPU's "
                    + preferred.vectorBitSize());
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    static BackendInfo probe() {
        VectorSpecies<Float> s;
        try {
            s = SPECIES;
        } catch (ExceptionInInitializerError e) {
            return new BackendInfo(SimdProvider.NAME, false, String.valueOf(e.getCause().getMessage()));
        }
        if (s.vectorBitSize() < 128) {
            return new BackendInfo(SimdProvider.NAME, false, "the preferred float vector has only "
                    + s.vectorBitSize() + " bits (at least 128 needed)");
        }
        return new BackendInfo(SimdProvider.NAME, true, s.vectorBitSize() + "-bit vectors, " + s.length()
                + " float lanes, " + Parallel.threads() + " thread(s)");
    }

    /** n rounded up to a multiple of {@code lanes} (a row stride that keeps every row vector-aligned). */
    static int roundUp(int n, int lanes) {
        return (n + lanes - 1) / lanes * lanes;
    }

    static SimdKernels create() {
        return new SimdKernels();
    }
}
