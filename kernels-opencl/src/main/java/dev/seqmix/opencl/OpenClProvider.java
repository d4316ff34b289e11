package dev.seqmix.opencl;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.spi.KernelsProvider;

/**
 * The {@code opencl} backend's provider. The constructor touches no JOCL class; {@link #probe()} loads JOCL's
 * native library, lists the platforms and devices and picks one (DESIGN.md section 5). Any failure there
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

    /** The chosen device, or the reason there is none. */
    private static Object probeOnce() {
        try {
            return OpenClDevice.choose(OpenClDevice.discover());
        } catch (LinkageError e) {
            return "JOCL's native library could not be loaded: " + e;
        } catch (RuntimeException e) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }

    /**
     * Prints the probe's answer: used by the tests that run a child JVM without an OpenCL driver.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        OpenClProvider p = new OpenClProvider();
        BackendInfo info = p.probe();
        System.out.println("available=" + info.available());
        System.out.println("detail=" + info.detail());
    }
}
