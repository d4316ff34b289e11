package dev.seqmix.opencl;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.spi.KernelsProvider;
import dev.seqmix.spi.Warmup;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/**
 * The {@code opencl} backend's provider. The constructor touches no JOCL class; {@link #probe()} loads JOCL's
 * native library, lists the platforms and devices and picks one (docs/contract.md#backends). Any failure there
 * (no driver: -1001, no device, no native library for this OS) means "not available" with the reason.
 *
 * <p>Default rank: first only when the chosen device is a GPU or an accelerator. A CPU device (PoCL) is never
 * the default: the simd backend is faster there, and users ask for {@code opencl} by name.
 */
public final class OpenClProvider implements KernelsProvider {
    /** The backend's name, {@value}. */
    public static final String NAME = "opencl";

    /** For {@link java.util.ServiceLoader}; touches no JOCL class. */
    public OpenClProvider() {
    }

    private static final class Probe {
        static final Object RESULT = probeOnce();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendInfo probe() {
        return Probe.RESULT instanceof OpenClDevice d
                ? new BackendInfo(NAME, true, d.describe())
                : new BackendInfo(NAME, false, (String) Probe.RESULT);
    }

    @Override
    public int defaultRank() {
        return Probe.RESULT instanceof OpenClDevice d && d.gpuOrAccelerator() ? 100 : -1;
    }

    @Override
    public Kernels create() {
        if (!(Probe.RESULT instanceof OpenClDevice d)) {
            throw new IllegalStateException("opencl backend is not available: " + Probe.RESULT);
        }
        return new OpenClKernels(d);
    }

    /**
     * One round per family on the instance itself, at the family's first use: the host code is thin Java, the
     * first-call cost is the driver's program builds (per context, and per kernel and launch shape on PoCL).
     */
    @Override
    public void warmUp(Kernels k) {
        Warmup.attachToInstance(NAME, (OpenClKernels) k);
    }

    /** The chosen device, or the reason there is none. */
    private static Object probeOnce() {
        String missing = missingLibrary();
        if (missing != null) {
            return missing;
        }
        try {
            return OpenClDevice.choose(OpenClDevice.discover());
        } catch (LinkageError e) {
            return loadFailure(e);
        } catch (RuntimeException e) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }

    /**
     * On Linux, whether the OpenCL ICD loader can be opened at all, asked before JOCL is touched: JOCL's native
     * code prints each failed candidate to the process's standard output, which belongs to the embedding
     * application. Null when it opens (or on other systems, where JOCL's own search decides).
     */
    @SuppressWarnings("restricted") // libraryLookup: native access, which the backend needs anyway
    private static String missingLibrary() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        for (String name : new String[] {OPENCL_LIBRARY, "libOpenCL.so"}) {
            try (Arena arena = Arena.ofConfined()) {
                SymbolLookup.libraryLookup(name, arena);
                return null;
            } catch (IllegalArgumentException e) {
                // not found, or not loadable: try the next name
            }
        }
        return noLibrary();
    }

    private static String noLibrary() {
        return "no OpenCL library: " + OPENCL_LIBRARY + " could not be loaded (install an OpenCL driver"
                + " and the ICD loader, e.g. Debian's ocl-icd-libopencl1 with pocl-opencl-icd or a GPU"
                + " vendor's driver)";
    }

    /**
     * The reason for a failed native load. The common case is a machine without any OpenCL library (no GPU
     * driver, no ICD loader): JOCL's own text then lists every name it tried, so say the one thing to do.
     */
    static String loadFailure(LinkageError e) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("libOpenCL") || text.contains("OpenCL.dll") || text.contains("OpenCL library")) {
            return noLibrary();
        }
        return "JOCL's native library could not be loaded: " + e;
    }

    private static final String OPENCL_LIBRARY = System.getProperty("os.name", "").startsWith("Windows")
            ? "OpenCL.dll" : System.getProperty("os.name", "").startsWith("Mac") ? "OpenCL.framework"
            : "libOpenCL.so.1";
}
