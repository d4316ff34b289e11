package dev.seqmix.cli.report;

import dev.seqmix.AttentionShape;
import dev.seqmix.TalkShape;
import dev.seqmix.bench.AttentionBenchmark;
import dev.seqmix.bench.TalkBenchmark;
import dev.seqmix.bench.ToeplitzBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a JMH JSON result file ({@code -rf json}) into measurements: each result's benchmark, params and primary
 * metric (score, its 99.9% confidence interval and unit). Benchmarks the figures know (FFT and its peers,
 * attention, scan and copy, TaLK, Toeplitz) become their operations; any other goes to a table of its own. Every
 * result is kept (only one repeating an earlier one's benchmark, params, mode and threads is left out): results
 * that differ only in a param (threads=1 and threads=2) are named apart by it, "simd (threads=2)".
 *
 * @param measurements one per result kept
 * @param environment  what the file says about the JVM and JMH's settings
 * @param notes        results left out (a score that is not a time or is NaN, a repeated result), and why
 */
record JmhResults(List<Measurement> measurements, Map<String, String> environment, List<String> notes) {

    /** A file that is not a JMH JSON result file, with the reason. */
    static final class FormatException extends Exception {
        FormatException(String message) {
            super(message);
        }
    }

    static JmhResults read(Path file) throws IOException, FormatException {
        Object root;
        try {
            root = Json.read(file);
        } catch (Json.InvalidException e) {
            throw new FormatException(e.getMessage() + " (expected a JMH JSON result file, as written by -rf json)");
        }
        if (!(root instanceof List<?> results) || results.isEmpty()) {
            throw new FormatException(file + " is not a JMH JSON result file: expected a non-empty array of results "
                    + "(as written by JMH's -rf json)");
        }
        List<Measurement> measurements = new ArrayList<>();
        List<Map<String, String>> identities = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String name = file.getFileName().toString();
        for (int i = 0; i < results.size(); i++) {
            if (!(results.get(i) instanceof Map<?, ?> r) || !(r.get("benchmark") instanceof String benchmark)
                    || !(r.get("primaryMetric") instanceof Map<?, ?> metric)) {
                throw new FormatException(file + " is not a JMH JSON result file: result " + i
                        + " has no \"benchmark\" or \"primaryMetric\"");
            }
            Map<String, String> params = params(r.get("params"));
            double[] seconds = seconds(metric, benchmark);
            if (seconds != null && !Double.isFinite(seconds[0])) {
                notes.add(benchmark + " " + params + ": left out, its score is " + metric.get("score")
                        + " (JMH could not compute it)");
                continue;
            }
            if (seconds == null) {
                notes.add(benchmark + " " + params + ": left out, score unit '" + metric.get("scoreUnit")
                        + "' is not a time or a rate");
                continue;
            }
            Map<String, String> identity = identity(r, params);
            if (!seen.add(benchmark + " " + identity)) {
                notes.add(benchmark + " " + identity + ": left out, the same benchmark with the same params, mode "
                        + "and threads appears earlier in the file (the first is shown)");
                continue;
            }
            List<Measurement> percentiles = latency(benchmark, params, r, metric, name, measurements.size());
            if (!percentiles.isEmpty()) {
                measurements.addAll(percentiles);
                percentiles.forEach(p -> identities.add(identity));
                continue;
            }
            measurements.add(toMeasurement("j" + (measurements.size() + 1), benchmark, params, seconds,
                    samples(r), name));
            identities.add(identity);
        }
        return new JmhResults(distinguished(measurements, identities), environment(file, (Map<?, ?>) results.get(0)),
                notes);
    }

    /**
     * What tells a result from another of the same benchmark: every JMH param, and JMH's mode and thread count
     * (keys with a space, which no param name has).
     */
    private static Map<String, String> identity(Map<?, ?> result, Map<String, String> params) {
        Map<String, String> id = new LinkedHashMap<>(params);
        id.put("JMH mode", String.valueOf(result.get("mode")));
        id.put("JMH threads", number(result.get("threads")));
        return id;
    }

    /**
     * The measurements, each implementation named with the params that tell its results apart: where results of
     * one operation, implementation and size differ in a param (threads=1 and threads=2; a peer run under every
     * backend param), each result of that operation and implementation says its value, "simd (threads=2)", so that
     * each is a line and a table column of its own. A param that never tells results apart stays in the tooltip
     * only (the measurement's source lists every param).
     */
    private static List<Measurement> distinguished(List<Measurement> measurements,
                                                   List<Map<String, String>> identities) {
        Map<String, Map<Long, List<Map<String, String>>>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < measurements.size(); i++) {
            Measurement m = measurements.get(i);
            bySize.computeIfAbsent(m.operation() + "|" + m.implementation(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(m.size(), k -> new ArrayList<>()).add(identities.get(i));
        }
        Map<String, Set<String>> telling = new LinkedHashMap<>();
        bySize.forEach((line, sizes) -> {
            Set<String> keys = new LinkedHashSet<>();
            for (List<Map<String, String>> same : sizes.values()) {
                Set<String> all = new TreeSet<>();
                same.forEach(id -> all.addAll(id.keySet()));
                for (String key : all) {
                    if (same.stream().map(id -> id.getOrDefault(key, "unset")).distinct().count() > 1) {
                        keys.add(key);
                    }
                }
            }
            telling.put(line, keys);
        });
        List<Measurement> out = new ArrayList<>();
        for (int i = 0; i < measurements.size(); i++) {
            Measurement m = measurements.get(i);
            Map<String, String> id = identities.get(i);
            Set<String> keys = telling.get(m.operation() + "|" + m.implementation());
            if (keys.isEmpty()) {
                out.add(m);
                continue;
            }
            List<String> values = new ArrayList<>();
            keys.forEach(k -> values.add(k + "=" + id.getOrDefault(k, "unset")));
            out.add(m.withImplementation(m.implementation() + " (" + String.join(", ", values) + ")"));
        }
        return out;
    }

    /**
     * A {@code TailLatencyBenchmark} result in JMH's SampleTime mode as the latency table's percentiles (p50, p99,
     * p99.9, max of JMH's scorePercentiles, size: JMH's thread count); empty for any other result.
     */
    private static List<Measurement> latency(String benchmark, Map<String, String> params, Map<?, ?> r,
                                             Map<?, ?> metric, String file, int idsSoFar) throws FormatException {
        String[] parts = benchmark.split("\\.");
        if (parts.length < 2 || !parts[parts.length - 2].equals("TailLatencyBenchmark") || !"sample".equals(r.get("mode"))
                || !(metric.get("scorePercentiles") instanceof Map<?, ?> pct)) {
            return List.of();
        }
        LatencySection.SmallCall call = switch (parts[parts.length - 1]) {
            case "streamStep" -> LatencySection.SmallCall.STREAM_STEP;
            case "fft256" -> LatencySection.SmallCall.FFT;
            case "talkForward" -> LatencySection.SmallCall.TALK_FORWARD;
            default -> null;
        };
        double unit = metric.get("scoreUnit") instanceof String u && u.endsWith("/op")
                ? unitSeconds(u.substring(0, u.length() - 3)) : Double.NaN;
        if (call == null || Double.isNaN(unit)) {
            return List.of();
        }
        int threads = (int) Math.round(r.get("threads") instanceof Double d ? d : 1);
        String shape = LatencySection.shape(call.label + ", " + call.shape, threads);
        String[] keys = {"50.0", "99.0", "99.9", "100.0"};
        double lowest = pct.get("0.0") instanceof Double d ? d * unit : Double.NaN;
        double highest = pct.get("100.0") instanceof Double d ? d * unit : Double.NaN;
        String source = file + ": " + benchmark + " " + params + ", JMH SampleTime percentiles";
        List<Measurement> out = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            if (!(pct.get(keys[i]) instanceof Double v)) {
                throw new FormatException("result " + benchmark + ": scorePercentiles has no \"" + keys[i] + "\"");
            }
            out.add(new Measurement("j" + (idsSoFar + out.size() + 1), LatencySection.PERCENTILES.get(i),
                    params.getOrDefault("backend", ""), threads, shape, v * unit, lowest, highest,
                    samples(r), 1, true, 0, 0, source));
        }
        return out;
    }

    private static Map<String, String> params(Object o) {
        Map<String, String> p = new TreeMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> p.put(String.valueOf(k), String.valueOf(v)));
        }
        return p;
    }

    private static int samples(Map<?, ?> r) {
        Object iterations = r.get("measurementIterations");
        Object forks = r.get("forks");
        if (iterations instanceof Double i && forks instanceof Double f) {
            return (int) (i * Math.max(1, f));
        }
        return 0;
    }

    /** {score, low, high} in seconds per operation, or null when the unit is neither time per op nor ops per time. */
    private static double[] seconds(Map<?, ?> metric, String benchmark) throws FormatException {
        if (!(jmhNumber(metric.get("score")) instanceof Double score)
                || !(metric.get("scoreUnit") instanceof String unit)) {
            throw new FormatException("result " + benchmark + ": primaryMetric has no score or scoreUnit");
        }
        double lo = score;
        double hi = score;
        if (metric.get("scoreConfidence") instanceof List<?> ci && ci.size() == 2
                && jmhNumber(ci.get(0)) instanceof Double a && jmhNumber(ci.get(1)) instanceof Double b
                && Double.isFinite(a) && Double.isFinite(b)) {
            lo = a;
            hi = b;
        }
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            return null;
        }
        if (parts[1].equals("op")) {
            double s = unitSeconds(parts[0]);
            return Double.isNaN(s) ? null : new double[] {score * s, lo * s, hi * s};
        }
        if (parts[0].equals("ops")) {
            double s = unitSeconds(parts[1]);
            // a rate: the time per op is its inverse, and the interval's ends swap
            return Double.isNaN(s) ? null : new double[] {s / score, s / hi, s / lo};
        }
        return null;
    }

    /**
     * A number as JMH writes it: a JSON number, or the string "NaN", "+INF" or "-INF" (JSON has no such numbers;
     * a score is NaN when JMH could not compute it, an interval when there was one sample); null for anything else.
     */
    private static Double jmhNumber(Object o) {
        if (o instanceof Double d) {
            return d;
        }
        return o instanceof String s ? switch (s) {
            case "NaN" -> Double.NaN;
            case "+INF" -> Double.POSITIVE_INFINITY;
            case "-INF" -> Double.NEGATIVE_INFINITY;
            default -> null;
        } : null;
    }

    private static double unitSeconds(String unit) {
        return switch (unit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> Double.NaN;
        };
    }

    private static Measurement toMeasurement(String id, String benchmark, Map<String, String> params,
                                             double[] seconds, int samples, String file) {
        String[] parts = benchmark.split("\\.");
        String method = parts[parts.length - 1];
        String clazz = parts.length > 1 ? parts[parts.length - 2] : "";
        String backend = params.getOrDefault("backend", "");
        String source = file + ": " + clazz + "." + method + (params.isEmpty() ? "" : " " + params);
        Mapped m = map(clazz, method, backend, params);
        if (m == null) {
            m = new Mapped(Operation.OTHER, clazz + "." + method + (params.isEmpty() ? "" : " " + params), 0,
                    "JMH benchmark", 0, 0);
        }
        return new Measurement(id, m.op, m.implementation, m.size, m.shape, seconds[0], seconds[1], seconds[2],
                samples, 0, false, m.flops, m.bytes, source);
    }

    private record Mapped(Operation op, String implementation, long size, String shape, double flops, double bytes) {
    }

    /** How a known benchmark maps to an operation of the figures; null for any other. */
    private static Mapped map(String clazz, String method, String backend, Map<String, String> params) {
        try {
            switch (clazz + "." + method) {
                case "FftBenchmark.forward", "FftBenchmark.jtransformsForward", "FftBenchmark.fftwForward" -> {
                    int n = Integer.parseInt(params.get("n"));
                    String impl = switch (method) {
                        case "jtransformsForward" -> FftSection.JTRANSFORMS;
                        case "fftwForward" -> FftSection.FFTW;
                        default -> backend;
                    };
                    return new Mapped(Operation.FFT, impl, n, "n = " + n + ", one transform (copy + in place)",
                            FftSection.benchFftFlops(n), 0);
                }
                case "AttentionBenchmark.rpeAttention", "AttentionBenchmark.softmaxRpeAttention",
                     "AttentionBenchmark.rpeAttentionBackward", "AttentionBenchmark.softmaxRpeAttentionBackward" -> {
                    AttentionShape s = AttentionBenchmark.shape(Integer.parseInt(params.get("length")));
                    boolean rpe = method.startsWith("rpeAttention");
                    Operation op = switch (method) {
                        case "rpeAttention" -> Operation.RPE_ATTENTION;
                        case "softmaxRpeAttention" -> Operation.SOFTMAX_ATTENTION;
                        case "rpeAttentionBackward" -> Operation.RPE_ATTENTION_BACKWARD;
                        default -> Operation.SOFTMAX_ATTENTION_BACKWARD;
                    };
                    return new Mapped(op, backend,
                            s.length(), "batch 1, length " + s.length() + ", " + s.heads() + " heads, dimension "
                                    + s.keyDim() + (rpe ? ", random features given (not timed)" : ""), 0, 0);
                }
                case "ScanBenchmark.cumsum", "ScanBenchmark.copy" -> {
                    String shape = params.get("shape");
                    long elements = 1;
                    for (String d : shape.split("x")) {
                        elements *= Long.parseLong(d);
                    }
                    boolean copy = method.equals("copy");
                    return new Mapped(copy ? Operation.COPY : Operation.CUMSUM,
                            copy ? BandwidthSection.COPY_ONE_THREAD : backend, elements, "[" + shape.replace("x", "][")
                                    + "]", 0, BandwidthSection.copyBytes(elements));
                }
                case "TalkBenchmark.copy" -> {
                    long elements = TalkBenchmark.SHAPE.sequenceLength();
                    return new Mapped(Operation.COPY, BandwidthSection.COPY_ONE_THREAD, elements, "["
                            + TalkBenchmark.SHAPE.batch() + "][" + TalkBenchmark.SHAPE.time() + "]["
                            + TalkBenchmark.SHAPE.channels() + "]", 0, BandwidthSection.copyBytes(elements));
                }
                case "TalkBenchmark.forward", "TalkBenchmark.backward" -> {
                    TalkShape b = TalkBenchmark.SHAPE;
                    int window = params.containsKey("window") ? Integer.parseInt(params.get("window")) : b.maxLeft();
                    TalkShape s = new TalkShape(b.batch(), b.time(), b.channels(), b.heads(), window, window);
                    boolean forward = method.equals("forward");
                    return new Mapped(forward ? Operation.TALK_FORWARD_BANDWIDTH : Operation.TALK_BACKWARD, backend,
                            s.sequenceLength(), "[" + s.batch() + "][" + s.time() + "][" + s.channels() + "], "
                                    + s.heads() + " heads, maxLeft = maxRight = " + s.maxLeft(), 0,
                            forward ? BandwidthSection.talkForwardBytes(s) : BandwidthSection.talkBackwardBytes(s));
                }
                case "ToeplitzBenchmark.toeplitzMatmul", "ToeplitzDirectBenchmark.direct" -> {
                    int n = Integer.parseInt(params.get("n"));
                    boolean direct = method.equals("direct");
                    return new Mapped(direct ? Operation.TOEPLITZ_DIRECT : Operation.TOEPLITZ,
                            direct ? ToeplitzSection.PLAIN_JAVA : backend, n,
                            n + " x " + n + " Toeplitz times " + n + " x " + ToeplitzBenchmark.COLS, 0, 0);
                }
                default -> {
                    return null;
                }
            }
        } catch (RuntimeException e) {
            return null; // a param missing or not a number: shown in the other benchmarks' table as it is
        }
    }

    private static Map<String, String> environment(Path file, Map<?, ?> first) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("source", file.toAbsolutePath() + " (JMH JSON), last modified " + Files.getLastModifiedTime(file));
        env.put("machine", "not recorded in a JMH JSON file");
        env.put("JVM", first.get("vmName") + " " + first.get("vmVersion") + " (JDK " + first.get("jdkVersion") + ")");
        Object args = first.get("jvmArgs");
        env.put("JVM arguments", args instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
                : "not recorded");
        env.put("JMH", first.get("jmhVersion") + ", mode " + first.get("mode") + ", " + number(first.get("threads"))
                + " thread(s), " + number(first.get("forks")) + " fork(s), warm-up "
                + number(first.get("warmupIterations")) + " x " + first.get("warmupTime") + ", measurement "
                + number(first.get("measurementIterations")) + " x " + first.get("measurementTime")
                + " (settings of the first result)");
        env.put("vector width and OpenCL device", "not recorded in a JMH JSON file");
        return env;
    }

    private static String number(Object o) {
        return o instanceof Double d ? String.format(Locale.ROOT, "%.0f", d) : String.valueOf(o);
    }
}
