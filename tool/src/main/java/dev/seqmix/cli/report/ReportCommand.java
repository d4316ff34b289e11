package dev.seqmix.cli.report;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.cli.Console;
import dev.seqmix.cli.Stopwatch;
import dev.seqmix.opencl.OpenClDevices;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seqmix report}: sweeps every operation of the report over sizes on a log scale, on every backend and peer,
 * and writes {@code index.html} with tables and PNG plots, plus {@code results.json} (every measurement; each table
 * cell names the one it shows). {@code --from FILE} draws the same from a JMH JSON result file instead.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Measures the papers' speed comparison (softmax and kernelized RPE attention, TaLK), FFT "
                + "speed and accuracy against JTransforms and FFTW, scan and TaLK throughput against the copy "
                + "bandwidth, and the Toeplitz crossover, on every available backend; writes DIR/index.html with "
                + "tables and PNG plots, and DIR/results.json.",
            "The default sweep takes about 3 minutes on 2 cores; --full runs the papers' whole range (tens of "
                + "minutes); --from FILE draws the report from a JMH JSON result file without measuring."})
public final class ReportCommand implements Callable<Integer> {
    /** How results.json holds a number that is NaN or infinite (see Measurement.toJson). */
    private static final String NON_FINITE = "JSON has no NaN or infinity: such a number (the error "
            + "of an FFT that returned NaN, say) is null there, and the measurement's nonFinite field names it, e.g. "
            + "\"nonFinite\": {\"value\": \"NaN\"}.";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("seqmix-report");

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Only this backend (repeatable); default: every available one.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--full", description = "Longer sweeps: attention up to n = 65536 where a call takes under a "
            + "minute, more FFT sizes, longer timing.")
    boolean full;

    @Option(names = "--quick", description = "A tiny sweep (seconds; small shapes, for tests and smoke checks).")
    boolean quick;

    @Option(names = "--from", paramLabel = "FILE", description = "Draw the report from this file instead of "
            + "measuring: a JMH JSON result file (written by -rf json) or a results.json of seqmix report or seqmix "
            + "gpu (repeatable: several files side by side on one page, e.g. two GPUs).")
    List<Path> from = new ArrayList<>();

    @Option(names = "--no-progress", description = "No progress bar on stderr (there is none where stderr is not a "
            + "terminal).")
    boolean noProgress;

    @Option(names = "--verbose", description = "Keep seqmix's log lines (backend choice) on stderr.")
    boolean verbose;

    @Override
    public Integer call() {
        // Plots are drawn off screen: no display is needed, and none may be opened.
        System.setProperty("java.awt.headless", "true");
        if (full && quick) {
            throw new ParameterException(spec.commandLine(), "--full and --quick: choose one");
        }
        if (!from.isEmpty()) {
            if (full || quick || !backends.isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "--from draws existing results: --full, --quick and --backend do not apply");
            }
            for (Path f : from) {
                if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                    throw new ParameterException(spec.commandLine(), "--from: no readable file '" + f + "'");
                }
            }
        }
        checkOut();
        return Console.withQuietLog(verbose, !from.isEmpty() ? this::fromFiles : this::measure);
    }

    /**
     * Fails before anything is measured (a sweep takes minutes) where the report could not be written: --out must
     * be a directory that can be created (it is, now) and written in (a file is created there and removed).
     */
    private void checkOut() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out: '" + out + "' exists and is not a directory");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(),
                    "--out: cannot create the directory '" + out + "': " + reason(e));
        }
        try {
            Files.delete(Files.createTempFile(out, ".seqmix-report-", ".tmp"));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--out: cannot write in '" + out + "': " + reason(e));
        }
    }

    /** Why a file operation failed, in words ("Not a directory: /a/file/sub"). */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof FileSystemException f) {
            return (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName()) + ": " + f.getFile();
        }
        return e.toString();
    }

    private int fromFiles() {
        PrintWriter err = spec.commandLine().getErr();
        ResultFiles r;
        try {
            r = ResultFiles.read(from);
        } catch (IOException | JmhResults.FormatException e) {
            err.println("seqmix report: " + e.getMessage());
            return 1;
        }
        String names = String.join(", ", from.stream().map(p -> p.getFileName().toString()).toList());
        List<String> method = List.of("Every number was read from " + names + ", nothing was measured by this "
                        + "command. From a JMH file: the benchmark's primary metric (the mean over its measurement "
                        + "iterations), converted to seconds per call; hover a cell for JMH's 99.9% confidence "
                        + "interval, the benchmark and its params. What each benchmark times is in its class's "
                        + "comment (bench/src/main/java/dev/seqmix/bench) and in bench/RESULTS.md. From a seqmix "
                        + "results.json: the measurements as that run took them (its method is in its own page).",
                "results.json lists the measurements read; every table cell names the one it shows (data-source). "
                        + NON_FINITE);
        return publish(spec.commandLine().getOut(), err, out, r.title(), r.environment(), method, r.measurements(),
                r.notes(), r.devices(), System.nanoTime());
    }

    private int measure() {
        long start = System.nanoTime();
        List<BackendInfo> infos = Console.backendsChecked(spec.commandLine(), backends);
        SweepPlan plan = quick ? SweepPlan.quick() : full ? SweepPlan.full() : SweepPlan.standard();
        List<String> notes = new ArrayList<>();
        Map<String, Kernels> open = new LinkedHashMap<>();
        try {
            for (BackendInfo b : infos) {
                if (!backends.isEmpty() && !backends.contains(b.name())) {
                    continue;
                }
                if (!b.available()) {
                    notes.add(b.name() + ": skipped, not available (" + b.detail() + ")");
                    continue;
                }
                try {
                    open.put(b.name(), Seqmix.kernels(b.name()));
                } catch (RuntimeException e) {
                    notes.add(b.name() + ": skipped, cannot be created: " + e);
                }
            }
            Sweep sweep = new Sweep(plan, open);
            List<Sweep.Task> tasks = new ArrayList<>(sweep.tasks());
            DeviceSection devices = null;
            if (open.containsKey("opencl")) {
                devices = new DeviceSection(sweep, List.of(OpenClDevices.choose(null)), plan.deviceSeconds(), quick);
                tasks.addAll(devices.tasks());
            }
            boolean progress = !noProgress && Console.stderrIsTerminal();
            PrintWriter err = spec.commandLine().getErr();
            try (ProgressBar bar = Console.progressBar("seqmix report", tasks.size(), progress, err)) {
                for (Sweep.Task t : tasks) {
                    bar.setExtraMessage(t.label());
                    try {
                        t.body().run();
                    } catch (RuntimeException | OutOfMemoryError e) {
                        notes.add(t.label() + ": failed: " + e);
                    }
                    bar.step();
                }
                bar.setExtraMessage("writing the report");
            }
            if (progress) {
                err.println();
            }
            notes.addAll(sweep.notes);
            Map<String, String> env = Environment.ofThisRun(infos);
            env.put("sweep", plan.name() + (quick ? " (--quick)" : full ? " (--full)" : " (--full runs longer sweeps)")
                    + ", " + tasks.size() + " steps, " + String.format(Locale.ROOT, "%.0f s",
                    (System.nanoTime() - start) * 1e-9));
            return publish(spec.commandLine().getOut(), spec.commandLine().getErr(), out, "seqmix benchmark report",
                    env, method(plan), sweep.measurements, notes, devices == null ? List.of() : devices.properties,
                    start);
        } finally {
            open.values().forEach(Kernels::close);
        }
    }

    private static List<String> method(SweepPlan plan) {
        Stopwatch.Batched w = plan.stopwatch();
        List<String> m = new ArrayList<>();
        m.add(String.format(Locale.ROOT, "Every number was measured by this run of seqmix report, in this JVM, one "
                        + "case at a time (FFT, the papers' comparison, bandwidth, Toeplitz), on inputs made "
                        + "beforehand and outputs supplied by the caller, so that the timed loop allocates nothing. "
                        + "Before each section, every backend runs its operations at a small size until the JIT has "
                        + "compiled nothing for a while (the Vector API runs far slower before C2 has compiled it). "
                        + "Each case then warms up at least %.2f s, and until two batches of calls in a row, with no "
                        + "compilation finishing during them, are no faster than 0.9x the best batch before them, at "
                        + "most %.1f s (a case that ends its warm-up at the limit says so in its tooltip). Then %d "
                        + "timed samples (fewer, down to 3, where they would take more than %.1f s), each of as many "
                        + "calls as last %.1f ms; a table shows the median sample's time per call (or a value derived "
                        + "from it), and its tooltip the fastest and slowest sample, the counts and the shape.",
                w.minWarmupSeconds(), w.maxWarmupSeconds(), w.samples(), w.maxSamplingSeconds(),
                w.sampleSeconds() * 1e3));
        m.add("Threads: the seqmix backends split large calls over their worker threads (-Dseqmix.threads, "
                + "default all cores); JTransforms, FFTW and the plain direct loops run on one thread. The machine "
                + "may have been shared with other work: read small differences as noise.");
        m.add("Sizes (" + plan.name() + " sweep): " + String.join(" ", plan.describe()));
        m.add("results.json holds every measurement (median, fastest and slowest sample, samples, calls per "
                + "sample, nominal flops and bytes); every table cell names the one it shows (data-source). "
                + NON_FINITE);
        return m;
    }

    /** Writes results.json, the plots and index.html into {@code out}, and says where on {@code stdout}. */
    static int publish(PrintWriter stdout, PrintWriter err, Path out, String title, Map<String, String> env,
                       List<String> method, List<Measurement> measurements, List<String> notes,
                       List<Map<String, String>> devices, long start) {
        if (measurements.isEmpty()) {
            err.println("seqmix report: nothing was measured or read" + (notes.isEmpty() ? "" : "; " + notes));
            return 1;
        }
        try {
            Files.createDirectories(out);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("title", title);
            json.put("environment", env);
            json.put("notes", notes);
            if (!devices.isEmpty()) {
                json.put("devices", devices);
            }
            json.put("measurements", measurements.stream().map(Measurement::toJson).toList());
            Files.writeString(out.resolve("results.json"), Json.write(json));

            List<Figure> figures = Figures.build(measurements);
            Map<Figure, Boolean> drawn = new LinkedHashMap<>();
            for (Figure f : figures) {
                drawn.put(f, Charts.write(f, out));
            }
            List<Measurement> others = measurements.stream().filter(m -> m.operation() == Operation.OTHER).toList();
            List<Measurement> latency = measurements.stream().filter(m -> m.operation().isLatency()).toList();
            List<Measurement> device = measurements.stream().filter(m -> m.operation().isDevice()).toList();
            new HtmlReport(title, env, method, drawn, latency, others, notes, devices, device)
                    .write(out.resolve("index.html"));
            stdout.printf(Locale.ROOT, "seqmix report: %d measurements, %d figures, %d notes -> %s (%.0f s)%n",
                    measurements.size(), figures.size(), notes.size(), out.resolve("index.html"),
                    (System.nanoTime() - start) * 1e-9);
            stdout.flush();
            return 0;
        } catch (IOException e) {
            err.println("seqmix report: cannot write the report to " + out + ": " + e);
            return 1;
        } catch (Error | RuntimeException e) {
            // Java2D needs fontconfig and a font to draw text; without them it fails in font setup.
            err.println("seqmix report: could not draw the plots (" + e + "). On Linux, Java2D needs fontconfig "
                    + "and at least one font: install them (Debian: apt-get install fontconfig fonts-dejavu-core). "
                    + "The measurements are in " + out.resolve("results.json") + ".");
            return 1;
        }
    }
}
