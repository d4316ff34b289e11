package dev.seqmix.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;

import dev.seqmix.SeqmixException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Programs of one context, built once per (source, build options) and kept until the context closes; their
 * kernels likewise, once per name. Sources are resources next to this class: {@code common.cl} followed by a
 * kernel family's file. A failed build throws {@link SeqmixException} with the build log.
 *
 * <p>Not thread-safe by itself: used under its {@link OpenClContext}'s lock.
 */
final class ProgramCache {
    private final cl_context context;
    private final cl_device_id device;
    private final String baseOptions;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    /** Every object created, in creation order (released in reverse). */
    private final List<Object> created = new ArrayList<>();

    ProgramCache(cl_context context, cl_device_id device, String baseOptions) {
        this.context = context;
        this.device = device;
        this.baseOptions = baseOptions;
    }

    /** The kernel {@code name} of the family {@code family} ({@code family + ".cl"} after {@code common.cl}). */
    cl_kernel kernel(String family, String name) {
        String key = family + "#" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            cl_program p = program(family, familySource(family), baseOptions);
            try {
                k = clCreateKernel(p, name, null);
            } catch (CLException e) {
                throw Cl.fail("clCreateKernel(" + name + ")", e);
            }
            created.add(k);
            kernels.put(key, k);
        }
        return k;
    }

    /**
     * A family's source: {@code common.cl}, {@code family.cl} and the files that continue it. The attention
     * backward passes share the forwards' helpers and one of their kernels (the softmax statistics), so they are
     * one program: one build for a training step's forward and backward.
     */
    static String familySource(String family) {
        StringBuilder src = new StringBuilder(source("common.cl")).append('\n').append(source(family + ".cl"));
        for (String part : CONTINUATIONS.getOrDefault(family, List.of())) {
            src.append('\n').append(source(part));
        }
        return src.toString();
    }

    private static final Map<String, List<String>> CONTINUATIONS = Map.of("attention",
            List.of("attention_backward.cl"));

    /** The program built from {@code source} with {@code options}, built on first use. */
    cl_program program(String name, String source, String options) {
        String key = name + "\u0000" + options + "\u0000" + source.hashCode() + "\u0000" + source.length();
        cl_program p = programs.get(key);
        if (p != null) {
            return p;
        }
        try {
            p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        } catch (CLException e) {
            throw Cl.fail("clCreateProgramWithSource(" + name + ")", e);
        }
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            SignalGuard.restoreIfChanged();
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new SeqmixException("OpenCL: building program " + name + " with options '" + options
                    + "' failed with " + CL.stringFor_errorCode(e.getStatus()) + " (" + e.getStatus()
                    + "); build log:\n" + (log.isBlank() ? "(empty)" : log), e);
        }
        SignalGuard.restoreIfChanged(); // the driver's compiler may have replaced the JVM's signal handlers
        created.add(p);
        programs.put(key, p);
        return p;
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            int n = buf.length;
            while (n > 0 && buf[n - 1] == 0) {
                n--;
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8).strip();
        } catch (CLException e) {
            return "(build log unavailable: " + CL.stringFor_errorCode(e.getStatus()) + ")";
        }
    }

    /** A kernel source file, a resource of this package. */
    static String source(String file) {
        try (InputStream in = ProgramCache.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing OpenCL source resource " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Releases kernels and programs, newest first. */
    void release() {
        for (int i = created.size() - 1; i >= 0; i--) {
            Object o = created.get(i);
            try {
                if (o instanceof cl_kernel k) {
                    clReleaseKernel(k);
                } else if (o instanceof cl_program p) {
                    clReleaseProgram(p);
                }
            } catch (CLException ignored) {
                // releasing is best effort: keep releasing the rest
            }
        }
        created.clear();
        kernels.clear();
        programs.clear();
    }
}
