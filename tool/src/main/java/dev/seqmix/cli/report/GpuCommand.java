package dev.seqmix.cli.report;

import dev.seqmix.BackendInfo;
import dev.seqmix.Seqmix;
import dev.seqmix.cli.Console;
import dev.seqmix.opencl.OpenClDevices;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seqmix gpu}: the device benchmark on its own, within a time budget, for a machine lent for minutes: each
 * chosen OpenCL device's ceilings and every opencl operation as a fraction of them ({@link DeviceSection}), written
 * as results.json and index.html (the report's page; {@code seqmix report --from} draws several side by side), with
 * a short summary on stdout.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true,
        description = {"Benchmarks OpenCL devices against their own ceilings: copy bandwidth, host-device transfers "
                + "and the FP32 FMA peak, measured in the same run, then every opencl operation's kernel time "
                + "(profiling events) and end-to-end time, as a fraction of the ceiling that bounds it. Writes "
                + "DIR/results.json and DIR/index.html and prints a summary.",
            "Compare devices: seqmix report --from a/results.json --from b/results.json --out both"})
public final class GpuCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--list", description = "List every OpenCL platform and device, with their indexes, and stop.")
    boolean list;

    @Option(names = "--device", paramLabel = "INDEX|NAME",
            description = "The device: its index (see --list) or part of its name or platform's name (repeatable). "
                    + "Default: the opencl backend's choice (the first GPU or accelerator, else the first device).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--all-devices", description = "Every device, one after the other (the budget is shared).")
    boolean all;

    @Option(names = "--budget", paramLabel = "TIME", converter = Budget.class,
            description = "The whole run's time budget: 300s, 5m, or seconds (default: ${DEFAULT-VALUE}). Each device "
                    + "gets an equal share, a fifth of it for its ceilings; cases that do not fit are left out and "
                    + "named in the notes.")
    double budget = 300;

    @Option(names = "--quick", description = "Small shapes (for tests and smoke checks).")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("seqmix-gpu");

    @Option(names = "--verbose", description = "Keep seqmix's log lines on stderr.")
    boolean verbose;

    /** "300s", "5m", "90" (seconds), "1.5m". */
    static final class Budget implements ITypeConverter<Double> {
        private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|m|min)?");

        @Override
        public Double convert(String value) {
            Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a time such as 300s, 5m or 90, got '" + value + "'");
            }
            double v = Double.parseDouble(m.group(1)) * (m.group(2) == null || m.group(2).equals("s") ? 1 : 60);
            if (v <= 0) {
                throw new IllegalArgumentException("the budget must be positive, got '" + value + "'");
            }
            return v;
        }
    }

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        if (all && !devices.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--all-devices and --device: choose one");
        }
        return Console.withQuietLog(verbose, this::run);
    }

    private int run() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BackendInfo opencl = Seqmix.backends().stream().filter(b -> b.name().equals("opencl")).findFirst()
                .orElse(new BackendInfo("opencl", false, "the opencl module is not on the class path"));
        if (!opencl.available()) {
            err.println("seqmix gpu: OpenCL is not available: " + opencl.detail());
            return 1;
        }
        List<OpenClDevices.Device> every = OpenClDevices.list();
        if (list) {
            for (OpenClDevices.Device d : every) {
                stdout.printf(Locale.ROOT, "%d: %s (%s, %s, %s), %s, %d compute units, %d MHz, %.1f GiB%n", d.index(),
                        d.name(), d.type(), d.vendor(), d.platform(), d.openclVersion(), d.computeUnits(), d.clockMhz(),
                        d.globalMemory() / (double) (1L << 30));
            }
            stdout.flush();
            return 0;
        }
        List<OpenClDevices.Device> chosen = new ArrayList<>();
        if (all) {
            chosen.addAll(every);
        } else if (devices.isEmpty()) {
            chosen.add(OpenClDevices.choose(null));
        } else {
            for (String d : devices) {
                chosen.add(OpenClDevices.choose(d)); // SeqmixException naming the devices where none matches
            }
        }
        long start = System.nanoTime();
        Sweep sweep = new Sweep(SweepPlan.quick(), Map.of());
        DeviceSection section = new DeviceSection(sweep, chosen, budget, quick);
        for (Sweep.Task t : section.tasks()) {
            err.println("seqmix gpu: " + t.label() + " ...");
            err.flush();
            try {
                t.body().run();
            } catch (RuntimeException | OutOfMemoryError e) {
                sweep.notes.add(t.label() + ": failed: " + e);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("command", "seqmix gpu --budget " + budget + "s" + (quick ? " --quick" : ""));
        env.put("JVM", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        env.put("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " host cores");
        env.put("run", String.format(Locale.ROOT, "%d device(s), %.0f s", chosen.size(),
                (System.nanoTime() - start) * 1e-9));
        List<String> method = List.of("Each device's ceilings come first (a fifth of its share of the budget), then "
                + "every opencl operation at growing sizes, the smallest size of each first: one call on each of two "
                + "instances (program builds, buffers), then up to 5 calls each, the median recorded: kernel time from "
                + "profiling events on one instance, end to end on the other, without profiling. Cases past the "
                + "budget are left out and counted in the notes.");
        int rc = ReportCommand.publish(stdout, err, out, "seqmix device benchmark", env, method, sweep.measurements,
                sweep.notes, section.properties, start);
        summary(stdout, sweep.measurements);
        return rc;
    }

    /** Per device: the ceilings, and the operations' best and worst fractions. */
    private static void summary(PrintWriter out, List<Measurement> measurements) {
        List<String> labels = measurements.stream().map(Measurement::implementation).distinct().toList();
        for (String label : labels) {
            out.println("device " + label + ":");
            for (Measurement m : measurements) {
                if (m.implementation().equals(label) && m.operation() == Operation.DEVICE_CEILING) {
                    out.printf(Locale.ROOT, "  %-34s %10s %s%n", m.shape(), m.rate().format(m.metric(m.rate())),
                            m.rate() == Measurement.Metric.GIGAFLOPS ? "GFLOP/s" : "GB/s");
                }
            }
            for (Measurement m : measurements) {
                if (m.implementation().equals(label) && m.operation() == Operation.DEVICE_KERNELS) {
                    DevicePage.ceilingOf(measurements, m).ifPresent(c -> out.printf(Locale.ROOT,
                            "  %-58s kernels %9s  %.3f of %s%n", m.shape(), Measurement.Metric.SECONDS.format(m.value()),
                            m.fractionOf(c), c.shape()));
                }
            }
        }
        out.flush();
    }
}
