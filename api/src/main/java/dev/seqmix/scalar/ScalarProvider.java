package dev.seqmix.scalar;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.spi.KernelsProvider;
import dev.seqmix.internal.Parallel;

/** The plain-Java reference backend; always available. */
public final class ScalarProvider implements KernelsProvider {
    public static final String NAME = "scalar";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendInfo probe() {
        return new BackendInfo(NAME, true, "plain Java, " + Parallel.threads() + " thread(s)");
    }

    @Override
    public int defaultRank() {
        return 0;
    }

    @Override
    public Kernels create() {
        return new ScalarKernels();
    }
}
