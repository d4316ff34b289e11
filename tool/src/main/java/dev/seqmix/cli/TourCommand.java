package dev.seqmix.cli;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.reference.Golden;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqmix tour}: every operation on every available backend, on an embedded workload. Each result is
 * compared with the scalar backend's (the reference), repeated runs must give the same bits, and the golden
 * examples of docs/contract.md#golden are checked on each backend. Exit code 1 if any check fails.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = {"Runs every operation on each available backend, times it (median of a few runs after "
                + "a warm-up), checks it against the scalar backend and the golden examples, and prints one table.",
            "Exit code 0 when every check passes, 1 when one fails."})
final class TourCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Only this backend (repeatable); default: every available one. Scalar is run anyway "
                    + "as the reference, but only listed when selected.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--quick", description = "A tiny workload (seconds; for tests and smoke checks).")
    boolean quick;

    @Option(names = "--no-progress", description = "No progress bar on stderr (there is none where stderr is not a "
            + "terminal).")
    boolean noProgress;

    @Option(names = "--verbose", description = "Keep seqmix's log lines (backend choice) on stderr.")
    boolean verbose;

    /** One line of the table. */
    private record Row(String op, String size, String backend, double seconds, double speedup, String error,
                       double tolerance, boolean ok, String note) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return Console.withQuietLog(verbose, () -> tour(out));
    }

    private int tour(PrintWriter out) {
        List<BackendInfo> infos = Console.backendsChecked(spec.commandLine(), backends);
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<BackendInfo> selected = new ArrayList<>();
        for (BackendInfo b : infos) {
            boolean wanted = backends.isEmpty() || backends.contains(b.name());
            if (!wanted) {
                continue;
            }
            if (b.available()) {
                selected.add(b);
            } else if (!backends.isEmpty()) {
                rows.add(new Row("(backend)", "", b.name(), Double.NaN, Double.NaN, "", Double.NaN, false,
                        "not available: " + b.detail()));
            } else {
                notes.add(b.name() + ": skipped, not available (" + b.detail() + ")");
            }
        }
        // The reference runs first so that the others can be compared with it as they go.
        selected.sort((a, b) -> Boolean.compare(!a.name().equals("scalar"), !b.name().equals("scalar")));
        boolean scalarSelected = !selected.isEmpty() && selected.get(0).name().equals("scalar");

        Workload w = quick ? Workload.quick() : Workload.standard();
        Stopwatch.EachCall timing = quick ? QUICK : STANDARD;
        try (Kernels scalar = Seqmix.kernels("scalar")) {
            List<TourCases.Case> cases = TourCases.build(w, scalar);
            int goldenGroups = 3;
            long steps = (long) selected.size() * (cases.size() + goldenGroups) + (scalarSelected ? 0 : cases.size());
            Map<TourCases.Case, float[][]> reference = new HashMap<>();
            Map<TourCases.Case, Double> scalarSeconds = new HashMap<>();
            boolean progress = !noProgress && Console.stderrIsTerminal();
            try (ProgressBar bar = Console.progressBar("seqmix tour", steps, progress, spec.commandLine().getErr())) {
                if (!scalarSelected) {
                    for (TourCases.Case c : cases) {
                        bar.setExtraMessage(c.op + " (scalar reference)");
                        TourCases.Bound bound = c.bind(scalar);
                        bound.prepare();
                        bound.run();
                        reference.put(c, Errors.copy(bound.outputs()));
                        bar.step();
                    }
                }
                for (BackendInfo info : selected) {
                    String name = info.name();
                    boolean isScalar = name.equals("scalar");
                    Kernels k;
                    try {
                        k = isScalar ? scalar : Seqmix.kernels(name);
                    } catch (RuntimeException e) {
                        rows.add(new Row("(backend)", "", name, Double.NaN, Double.NaN, "", Double.NaN, false,
                                "cannot be created: " + e));
                        bar.stepBy(cases.size() + goldenGroups);
                        continue;
                    }
                    try {
                        for (TourCases.Case c : cases) {
                            bar.setExtraMessage(c.op + " " + c.size + " on " + name);
                            rows.add(measure(c, k, isScalar, timing, reference, scalarSeconds));
                            bar.step();
                        }
                        bar.setExtraMessage("golden examples on " + name);
                        rows.add(golden("golden TaLK", name, GoldenChecks.checkTalk(k), notes));
                        bar.step();
                        rows.add(golden("golden Toeplitz", name, GoldenChecks.checkToeplitz(k), notes));
                        bar.step();
                        rows.add(golden("golden RPE", name, GoldenChecks.checkRpe(k), notes));
                        bar.step();
                    } finally {
                        if (!isScalar) {
                            k.close();
                        }
                    }
                }
                bar.setExtraMessage("done");
            }
            if (progress) {
                spec.commandLine().getErr().println();
            }
        }

        out.println("seqmix tour, " + w.name() + " workload (" + (quick ? "--quick" : "use --quick for a tiny one")
                + "), " + Runtime.getRuntime().availableProcessors() + " cores, -Dseqmix.threads="
                + System.getProperty("seqmix.threads", "unset") + ", JDK " + System.getProperty("java.runtime.version"));
        out.println();
        Table table = new Table("operation", "size", "backend", "time", "vs scalar", "max err", "tol", "check")
                .right(3, 4, 5, 6);
        int failed = 0;
        for (Row r : rows) {
            if (!r.ok) {
                failed++;
            }
            table.add(r.op, r.size, r.backend, Numbers.formatTime(r.seconds),
                    Double.isNaN(r.speedup) ? "-" : String.format(Locale.ROOT, "%.2fx", r.speedup),
                    r.error, Double.isNaN(r.tolerance) ? "-" : String.format(Locale.ROOT, "%.0e", r.tolerance),
                    r.ok ? "ok" : "FAIL" + (r.note.isEmpty() ? "" : ": " + r.note));
        }
        table.print(out);
        out.println();
        out.println("time: median of the timed runs after a warm-up; vs scalar: the scalar time over this one.");
        out.println("max err: max|x - ref| / max|ref| against the scalar backend's result; fft/rfft inverse are also "
                + "checked against the original signal (round trip) and talkStream against causal talkForward.");
        out.println("golden: docs/contract.md#golden, |x - expected| / max(1, |expected|). Every run of an operation must "
                + "also give the same bits.");
        for (String n : notes) {
            out.println("note: " + n);
        }
        out.println((rows.size() - failed) + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /**
     * How long to warm up and how many runs to time. The warm-up is long enough (by time, not count) for C2
     * to compile the vector kernels: the Vector API runs tens of times slower before that.
     */
    private static final Stopwatch.EachCall STANDARD = new Stopwatch.EachCall(3, 10_000, 0.8, 3, 15, 0.5);
    private static final Stopwatch.EachCall QUICK = new Stopwatch.EachCall(1, 1, 0, 1, 2, 0);

    /** The same-bits check run after every call: every run of an operation must give the bits of the first. */
    private static final class SameBits implements Runnable {
        private final TourCases.Bound bound;
        private Long first;
        private boolean same = true;

        SameBits(TourCases.Bound bound) {
            this.bound = bound;
        }

        @Override
        public void run() {
            long bits = Errors.bits(bound.outputs());
            if (first == null) {
                first = bits;
            } else if (bits != first) {
                same = false;
            }
        }
    }

    private static Row measure(TourCases.Case c, Kernels k, boolean isScalar, Stopwatch.EachCall timing,
                               Map<TourCases.Case, float[][]> reference, Map<TourCases.Case, Double> scalarSeconds) {
        String backend = k.info().name();
        try {
            TourCases.Bound bound = c.bind(k);
            SameBits sameBits = new SameBits(bound);
            double median = timing.time(bound::prepare, bound::run, sameBits).median();
            boolean deterministic = sameBits.same;
            float[][] outputs = bound.outputs();
            double independent = c.independentError(outputs);
            boolean hasIndependent = !Double.isNaN(independent);
            double error;
            String errorText;
            if (isScalar) {
                reference.put(c, Errors.copy(outputs));
                scalarSeconds.put(c, median);
                error = hasIndependent ? independent : 0;
                errorText = hasIndependent ? Numbers.formatError(independent) : "ref";
            } else {
                double vsScalar = Errors.maxRelative(outputs, reference.get(c));
                error = hasIndependent ? Math.max(vsScalar, independent) : vsScalar;
                errorText = Numbers.formatError(error);
            }
            Double base = scalarSeconds.get(c);
            double speedup = base == null ? Double.NaN : base / median;
            boolean accurate = error <= c.tolerance;
            String note = !accurate ? "error above tolerance" : !deterministic ? "runs gave different bits" : "";
            return new Row(c.op, c.size, backend, median, speedup, errorText, c.tolerance,
                    accurate && deterministic, note);
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Row(c.op, c.size, backend, Double.NaN, Double.NaN, "-", c.tolerance, false, e.toString());
        }
    }

    private static Row golden(String op, String backend, List<GoldenChecks.Check> checks, List<String> notes) {
        double worst = 0;
        boolean ok = true;
        int failed = 0;
        for (GoldenChecks.Check c : checks) {
            worst = Math.max(worst, Double.isNaN(c.maxError()) ? Double.POSITIVE_INFINITY : c.maxError());
            if (!c.ok()) {
                ok = false;
                failed++;
                notes.add(backend + " " + op + ": " + c.name() + ": " + c.detail());
            }
        }
        return new Row(op, checks.size() + (checks.size() == 1 ? " example" : " examples"), backend, Double.NaN,
                Double.NaN, Numbers.formatError(worst),
                Golden.TOLERANCE, ok, ok ? "" : failed + " of " + checks.size() + " wrong (see notes)");
    }
}
