package dev.seqmix.cli.report;

import dev.seqmix.BackendInfo;
import dev.seqmix.bench.peers.Fftw;
import dev.seqmix.cli.SeqmixCli;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** What the report says about where and when its numbers were taken: name -> value, in order. */
final class Environment {
    private Environment() {
    }

    /** This machine and JVM, every backend (vector width, OpenCL device) and the peers. */
    static Map<String, String> ofThisRun(List<BackendInfo> backends) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("machine", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + memory() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("JVM", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", max heap "
                + String.format(Locale.ROOT, "%.1f GiB", Runtime.getRuntime().maxMemory() / (double) (1L << 30)));
        env.put("JVM arguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        env.put("seqmix", SeqmixCli.version());
        env.put("-Dseqmix.threads", System.getProperty("seqmix.threads", "unset (all cores)"));
        for (BackendInfo b : backends) {
            String label = switch (b.name()) {
                case "simd" -> "simd backend (vector width)";
                case "opencl" -> "opencl backend (OpenCL device)";
                default -> b.name() + " backend";
            };
            env.put(label, (b.available() ? "" : "not available: ") + b.detail());
        }
        env.put("JTransforms", jtransformsVersion() + ", pinned to one thread");
        env.put("FFTW", Fftw.available() ? Fftw.version() + " (" + Fftw.libraryName() + "), single precision, "
                + "one thread, through FFM" : Fftw.unavailableReason());
        return env;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the architecture
        }
        return System.getProperty("os.arch") + " CPU";
    }

    private static String memory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GiB memory", os.getTotalMemorySize() / (double) (1L << 30));
        }
        return "memory unknown";
    }

    /** From the pom.properties that Maven puts in the JTransforms jar (kept by the shaded jar). */
    private static String jtransformsVersion() {
        try (InputStream in = Environment.class.getResourceAsStream(
                "/META-INF/maven/com.github.wendykierp/JTransforms/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return "JTransforms " + p.getProperty("version", "(version unknown)");
            }
        } catch (IOException e) {
            // fall through
        }
        return "JTransforms (version unknown)";
    }
}
