package dev.seqmix.simd;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.spi.KernelsProvider;
import java.lang.System.Logger.Level;

/**
 * The {@code simd} backend's provider. Like Lucene's vectorization provider it checks, before touching
 * any incubator class, that {@code jdk.incubator.vector} is in the boot layer and that C2 is on; only then
 * does it load {@link SimdSupport}, which reads the preferred species. Without the module it logs one
 * WARNING naming {@code --add-modules jdk.incubator.vector} and reports the backend as unavailable, so
 * the default falls back to scalar.
 */
public final class SimdProvider implements KernelsProvider {
    /** The backend's name, {@value}. */
    public static final String NAME = "simd";
    private static final System.Logger LOG = System.getLogger("dev.seqmix.simd");

    /** For {@link java.util.ServiceLoader}; touches no incubator class. */
    public SimdProvider() {
    }

    /** Probed once: the JVM's flags and CPU do not change. */
    private static final class Probe {
        static final BackendInfo INFO = probeOnce();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendInfo probe() {
        return Probe.INFO;
    }

    @Override
    public int defaultRank() {
        return 10;
    }

    @Override
    public Kernels create() {
        if (!Probe.INFO.available()) {
            throw new IllegalStateException("simd backend is not available: " + Probe.INFO.detail());
        }
        return SimdSupport.create();
    }

    private static BackendInfo probeOnce() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.log(Level.WARNING, "Java vector incubator module is not readable. For the simd backend, pass "
                    + "'--add-modules jdk.incubator.vector' to the JVM; using another backend.");
            return new BackendInfo(NAME, false,
                    "jdk.incubator.vector is not in the boot layer (run the JVM with --add-modules jdk.incubator.vector)");
        }
        String c2 = c2Problem();
        if (c2 != null) {
            return new BackendInfo(NAME, false, c2);
        }
        try {
            return SimdSupport.probe();
        } catch (ExceptionInInitializerError e) {
            // SimdSupport's species is chosen in its static initializer: a bad -Dseqmix.vectorBits lands here
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new BackendInfo(NAME, false, cause instanceof IllegalArgumentException
                    ? cause.getMessage() : "the Vector API failed to initialize: " + cause);
        } catch (LinkageError | RuntimeException e) {
            return new BackendInfo(NAME, false, "the Vector API failed to initialize: " + e);
        }
    }

    /** Why C2 is off (the Vector API is only fast when C2 compiles it), or null. */
    private static String c2Problem() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            if (bean == null) {
                return null;
            }
            if ("false".equals(option(bean, "UseCompiler"))) {
                return "the JIT is off (-Xint): the Vector API would run interpreted";
            }
            String tiered = option(bean, "TieredCompilation");
            String stop = option(bean, "TieredStopAtLevel");
            if ("true".equals(tiered) && stop != null && Integer.parseInt(stop) < 4) {
                return "C2 is off (-XX:TieredStopAtLevel=" + stop + "): the Vector API needs C2";
            }
            return null;
        } catch (LinkageError | RuntimeException e) {
            return null; // no management module: assume a normal server VM
        }
    }

    private static String option(com.sun.management.HotSpotDiagnosticMXBean bean, String name) {
        try {
            return bean.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
