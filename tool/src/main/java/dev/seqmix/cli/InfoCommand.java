package dev.seqmix.cli;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code seqmix info}: every backend, available or not, and the JVM it would run on. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Lists every backend (available or not, with device, vector width or the reason), "
                + "the default choice, and the JVM, cores and seqmix settings.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("seqmix " + SeqmixCli.version());
        out.println();
        Table backends = new Table("backend", "available", "detail");
        for (BackendInfo b : Seqmix.backends()) {
            backends.add(b.name(), b.available() ? "yes" : "no", b.detail());
        }
        backends.print(out);
        out.println();

        String defaultBackend;
        try (Kernels k = Seqmix.kernels()) {
            defaultBackend = k.info().name();
        } catch (RuntimeException e) {
            defaultBackend = "none: " + e.getMessage();
        }
        Runtime rt = Runtime.getRuntime();
        Table env = new Table("setting", "value");
        env.add("default backend", defaultBackend);
        env.add("-Dseqmix.backend", orUnset(System.getProperty("seqmix.backend")));
        env.add("SEQMIX_BACKEND", orUnset(System.getenv("SEQMIX_BACKEND")));
        String threads = System.getProperty("seqmix.threads");
        env.add("-Dseqmix.threads", threads == null ? "unset (all cores: " + rt.availableProcessors() + ")" : threads);
        env.add("-Dseqmix.opencl.device", orUnset(System.getProperty("seqmix.opencl.device")));
        String warmup;
        try {
            warmup = switch (dev.seqmix.spi.Warmup.mode()) {
                case LAZY -> "lazy: each family of operations warmed at its first use, once per JVM (README, Latency)";
                case EAGER -> "eager: every family warmed in Seqmix.kernels()";
                case NONE -> "none: the first calls run interpreted (slow)";
            };
        } catch (IllegalArgumentException e) {
            warmup = e.getMessage();
        }
        env.add("-Dseqmix.warmup", warmup);
        env.add("cores", Integer.toString(rt.availableProcessors()));
        env.add("JVM", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version"));
        env.add("java.home", System.getProperty("java.home"));
        env.add("OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        env.add("max heap", String.format(Locale.ROOT, "%.1f GiB", rt.maxMemory() / (double) (1L << 30)));
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        env.add("jdk.incubator.vector", vector ? "in the boot layer"
                : "missing (run java with --add-modules jdk.incubator.vector)");
        boolean nativeAccess = SeqmixCli.class.getModule().isNativeAccessEnabled();
        env.add("native access", nativeAccess ? "enabled" : "not enabled (--enable-native-access=ALL-UNNAMED)");
        env.print(out);
        return 0;
    }

    private static String orUnset(String s) {
        return s == null || s.isBlank() ? "unset" : s;
    }
}
