package dev.seqmix.cli.report;

import dev.seqmix.cli.report.Figure.Guide;
import dev.seqmix.cli.report.Figure.Series;
import dev.seqmix.cli.report.Measurement.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * Turns measurements (of this run, or read from a JMH file) into the report's figures. Nothing here is measured or
 * assumed: a series is the measurements of one operation and implementation, and a figure without data is left out.
 */
final class Figures {
    private final List<Measurement> all;

    private Figures(List<Measurement> all) {
        this.all = all;
    }

    static List<Figure> build(List<Measurement> measurements) {
        Figures f = new Figures(measurements);
        List<Figure> figures = new ArrayList<>();
        figures.addAll(f.papers());
        f.fftSpeed().ifPresent(figures::add);
        f.fftError().ifPresent(figures::add);
        f.bandwidth("bandwidth-scan.png", "Scan throughput against the copy ceiling", List.of(Operation.CUMSUM))
                .ifPresent(figures::add);
        f.bandwidth("bandwidth-talk.png", "TaLK throughput against the copy ceiling",
                List.of(Operation.TALK_FORWARD_BANDWIDTH, Operation.TALK_BACKWARD)).ifPresent(figures::add);
        f.toeplitz().ifPresent(figures::add);
        return figures;
    }

    /** The measurements of {@code op} on {@code implementation}, by increasing size. */
    private List<Measurement> points(Operation op, String implementation) {
        return all.stream().filter(m -> m.operation() == op && m.implementation().equals(implementation))
                .sorted(Comparator.comparingLong(Measurement::size)).toList();
    }

    /** Implementations that have measurements of any of {@code ops}, in the order they were measured. */
    private Set<String> implementations(Operation... ops) {
        Set<String> names = new LinkedHashSet<>();
        for (Measurement m : all) {
            for (Operation op : ops) {
                if (m.operation() == op) {
                    names.add(m.implementation());
                }
            }
        }
        return names;
    }

    private static void addIfAny(List<Series> series, String label, List<Measurement> points) {
        if (!points.isEmpty()) {
            series.add(new Series(label, points));
        }
    }

    // ---------------------------------------------------------------- the papers' comparison

    private List<Figure> papers() {
        List<Figure> figures = new ArrayList<>();
        for (String backend : implementations(PapersSection.OPERATIONS.toArray(new Operation[0]))) {
            List<Series> series = new ArrayList<>();
            for (Operation op : PapersSection.OPERATIONS) {
                addIfAny(series, op.label, points(op, backend));
            }
            List<Guide> guides = new ArrayList<>();
            for (Series s : series) {
                Operation op = s.points().get(0).operation();
                DoubleUnaryOperator cost = switch (op) {
                    case SOFTMAX_ATTENTION, SOFTMAX_ATTENTION_BACKWARD -> n -> n * n;
                    case RPE_ATTENTION, RPE_ATTENTION_BACKWARD -> n -> n * Math.log(n);
                    default -> n -> n;
                };
                String slope = switch (op) {
                    case SOFTMAX_ATTENTION, SOFTMAX_ATTENTION_BACKWARD -> "n^2";
                    case RPE_ATTENTION, RPE_ATTENTION_BACKWARD -> "n log n";
                    default -> "n";
                };
                guide(s, cost, "slope " + slope + " (from " + s.label() + "'s first point)").ifPresent(guides::add);
            }
            StringBuilder shapes = new StringBuilder();
            for (Series s : series) {
                shapes.append(" ").append(s.label()).append(": ").append(s.points().get(0).shape()
                        .replaceFirst("(length|time) \\d+", "$1 n")).append(".");
            }
            figures.add(new Figure("papers-" + fileSafe(backend) + ".png",
                    "The papers' speed comparison on " + backend,
                    "Time per call against sequence length n, log-log, on the " + backend + " backend." + shapes
                            + " Dashed: slopes n^2, n log n and n through each line's first point, so that O(n^2), "
                            + "O(n log n) and O(n) can be told apart.",
                    "sequence length n", Metric.SECONDS, true, series, guides, List.of(), false));
        }
        return figures;
    }

    private static Optional<Guide> guide(Series s, DoubleUnaryOperator cost, String label) {
        List<Measurement> p = s.points();
        if (p.size() < 2) {
            return Optional.empty();
        }
        double[] x = new double[p.size()];
        double[] y = new double[p.size()];
        double x0 = p.get(0).size();
        double y0 = p.get(0).value();
        for (int i = 0; i < p.size(); i++) {
            x[i] = p.get(i).size();
            y[i] = y0 * cost.applyAsDouble(x[i]) / cost.applyAsDouble(x0);
        }
        return Optional.of(new Guide(label, x, y));
    }

    // ---------------------------------------------------------------- FFT

    private Optional<Figure> fftSpeed() {
        return fftFigure(Operation.FFT, "fft-mflops.png", "FFT speed against its peers",
                "One complex forward FFT of n points (single precision), in benchFFT's \"mflops\": 5 n log2(n) / "
                        + "(time in microseconds), higher is faster; the same formula for every n, so it is a scaled "
                        + "inverse of the time, not a count of operations. Every implementation copies the 2n-float "
                        + "input into its buffer and transforms in place (as FftBenchmark). JTransforms on one "
                        + "thread; FFTW single precision through FFM downcalls with FFTW_MEASURE plans; seqmix's "
                        + "opencl backend includes the transfers to and from the device. The plot shows powers of "
                        + "two; the table has the other sizes too.", Metric.MFLOPS, false, true);
    }

    private Optional<Figure> fftError() {
        return fftFigure(Operation.FFT_ERROR, "fft-error.png", "FFT accuracy beside speed",
                "Relative RMS error sqrt(sum |X - X_ref|^2 / sum |X_ref|^2) of one forward transform of uniform "
                        + "random input in [-1, 1) (real and imaginary parts), against a float64 reference: the "
                        + "direct DFT in double up to n = " + FftSection.DIRECT_REFERENCE_MAX
                        + ", a double-precision FFT above (radix-2, Bluestein for other n), spot-checked against the "
                        + "direct DFT (see notes). The same input and plan as the speed figure. The plot shows powers "
                        + "of two; the table has the other sizes too.", Metric.RELATIVE_ERROR, true, true);
    }

    /** One line per implementation of {@code op}; empty when nothing measured it. */
    private Optional<Figure> fftFigure(Operation op, String file, String title, String caption, Metric metric,
                                       boolean logY, boolean plotPowersOfTwoOnly) {
        List<Series> series = new ArrayList<>();
        for (String impl : implementations(op)) {
            addIfAny(series, impl, points(op, impl));
        }
        return series.isEmpty() ? Optional.empty() : Optional.of(new Figure(file, title, caption, "n", metric, logY,
                series, List.of(), List.of(), plotPowersOfTwoOnly));
    }

    // ---------------------------------------------------------------- bandwidth

    private Optional<Figure> bandwidth(String file, String title, List<Operation> ops) {
        List<Series> series = new ArrayList<>();
        List<Series> copies = new ArrayList<>();
        for (String impl : implementations(Operation.COPY)) {
            addIfAny(copies, "ceiling: " + impl, points(Operation.COPY, impl));
        }
        List<Series> measured = new ArrayList<>();
        for (Operation op : ops) {
            for (String impl : implementations(op)) {
                addIfAny(measured, op.label + " " + impl, points(op, impl));
            }
        }
        if (measured.isEmpty()) {
            return Optional.empty();
        }
        series.addAll(copies);
        series.addAll(measured);
        return Optional.of(new Figure(file, title,
                "Throughput in GB/s (1e9 bytes per second) against the number of float elements, [batch][time]"
                        + "[channels]: the bytes a call must move at least (each input read once, each output "
                        + "written once: 8 bytes per element for cumsum and TaLK forward plus the offsets, 12 for "
                        + "TaLK backward plus the offsets and their gradients) over its time. The ceiling is "
                        + "System.arraycopy of the same elements (8 bytes each), timed in the same run, on one "
                        + "thread and split over every core.",
                "elements (batch x time x channels)", Metric.GIGABYTES_PER_SECOND, true, series, List.of(),
                ceilingNotes(copies, measured), false));
    }

    /** For each measured line, its throughput at its largest size as a fraction of the best copy there. */
    private static List<String> ceilingNotes(List<Series> copies, List<Series> measured) {
        List<String> notes = new ArrayList<>();
        for (Series s : measured) {
            Measurement last = s.points().get(s.points().size() - 1);
            double best = 0;
            String bestName = null;
            for (Series c : copies) {
                for (Measurement m : c.points()) {
                    if (m.size() == last.size() && m.metric(Metric.GIGABYTES_PER_SECOND) > best) {
                        best = m.metric(Metric.GIGABYTES_PER_SECOND);
                        bestName = c.label();
                    }
                }
            }
            if (bestName != null) {
                double percent = 100 * last.metric(Metric.GIGABYTES_PER_SECOND) / best;
                notes.add(String.format(Locale.ROOT, "%s at %d elements: %.2f GB/s, %s%% of the faster copy there "
                                + "(%s, %.2f GB/s).", s.label(), last.size(), last.metric(Metric.GIGABYTES_PER_SECOND),
                        String.format(Locale.ROOT, percent < 10 ? "%.1f" : "%.0f", percent),
                        bestName.replace("ceiling: ", ""), best));
            }
        }
        return notes;
    }

    // ---------------------------------------------------------------- Toeplitz

    private Optional<Figure> toeplitz() {
        List<Series> series = new ArrayList<>();
        List<Measurement> direct = new ArrayList<>();
        for (String impl : implementations(Operation.TOEPLITZ_DIRECT)) {
            direct = points(Operation.TOEPLITZ_DIRECT, impl);
            addIfAny(series, "direct product (" + impl + ")", direct);
        }
        List<String> notes = new ArrayList<>();
        for (String backend : implementations(Operation.TOEPLITZ, Operation.TOEPLITZ_FFT_PATH)) {
            addIfAny(series, backend + " " + Operation.TOEPLITZ.label, points(Operation.TOEPLITZ, backend));
            List<Measurement> fftPath = points(Operation.TOEPLITZ_FFT_PATH, backend);
            addIfAny(series, backend + " " + Operation.TOEPLITZ_FFT_PATH.label, fftPath);
            crossover(direct, fftPath, backend).ifPresent(notes::add);
        }
        if (series.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Figure("toeplitz.png", "Toeplitz product: FFT path against direct",
                "Time of one n x n Toeplitz matrix times an n x cols matrix, log-log. \"direct product\": the "
                        + "O(n^2 cols) loop (BenchData.toeplitzDirect). \"toeplitzMatmul\": the backend's own "
                        + "choice (direct up to its crossover size, FFT above). \"FFT path\": the product by FFT at "
                        + "every n, through the backend's real FFT plan (circulant embedding, built in the report, "
                        + "so it also runs below the backend's crossover). Where the direct line crosses the FFT "
                        + "path is the crossover.",
                "n", Metric.SECONDS, true, series, List.of(), notes, false));
    }

    /** The smallest measured n from which the FFT path is faster than the direct product at every larger n. */
    private static Optional<String> crossover(List<Measurement> direct, List<Measurement> fftPath, String backend) {
        Map<Long, Double> directTime = new TreeMap<>();
        direct.forEach(m -> directTime.put(m.size(), m.value()));
        Long from = null;
        long largestCompared = -1;
        for (Measurement m : fftPath) {
            Double d = directTime.get(m.size());
            if (d == null) {
                continue;
            }
            largestCompared = m.size();
            if (m.value() < d) {
                if (from == null) {
                    from = m.size();
                }
            } else {
                from = null;
            }
        }
        if (largestCompared < 0) {
            return Optional.empty();
        }
        return Optional.of(from == null
                ? "The FFT path on " + backend + " is not faster than the direct product at any n up to "
                        + largestCompared + " (the largest n both were measured at)."
                : "Crossover on " + backend + ": the FFT path is faster than the direct product from n = " + from
                        + " on (measured up to n = " + largestCompared + ").");
    }

    static String fileSafe(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
