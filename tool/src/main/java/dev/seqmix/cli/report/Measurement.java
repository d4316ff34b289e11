package dev.seqmix.cli.report;

import dev.seqmix.cli.Numbers;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured number and where it came from. Every value in the report's tables and plots is one of these (or
 * derived from one by {@link #metric}), and results.json holds them all.
 *
 * @param id             unique within one report ("m17"); table cells name it
 * @param operation      what was run
 * @param implementation a seqmix backend ("scalar", "simd", "opencl") or a peer ("JTransforms", "FFTW",
 *                       "System.arraycopy", "plain Java")
 * @param size           the x axis: FFT or Toeplitz n, sequence length, or elements moved (bandwidth)
 * @param shape          the full problem size in words
 * @param value          seconds per call (median of the samples), or the relative RMS error
 *                       ({@link Operation#FFT_ERROR})
 * @param low            the fastest sample (seconds), or the value itself for an error
 * @param high           the slowest sample
 * @param samples        how many timed samples (JMH: measurement iterations times forks)
 * @param callsPerSample calls timed together in one sample (0 when unknown)
 * @param steady         whether the warm-up ended because the time stopped improving (not at its time limit)
 * @param flops          nominal floating-point operations per call (benchFFT's 5 n log2 n for FFTs), or 0
 * @param bytes          bytes a call must read and write at least, or 0
 * @param source         "measured in this run" or the JMH file and benchmark it was read from
 */
record Measurement(String id, Operation operation, String implementation, long size, String shape, double value,
                   double low, double high, int samples, long callsPerSample, boolean steady, double flops,
                   double bytes, String source) {

    /** This measurement under another id (files drawn together). */
    Measurement withId(String newId) {
        return new Measurement(newId, operation, implementation, size, shape, value, low, high, samples,
                callsPerSample, steady, flops, bytes, source);
    }

    /** This measurement under another implementation name. */
    Measurement withImplementation(String name) {
        return new Measurement(id, operation, name, size, shape, value, low, high, samples, callsPerSample, steady,
                flops, bytes, source);
    }

    /** A value shown in a table or plot, derived from the measurement. */
    enum Metric {
        SECONDS("time per call (s)"),
        MFLOPS("benchFFT mflops: 5 n log2(n) / time in us"),
        GIGABYTES_PER_SECOND("GB/s: bytes read and written / time"),
        GIGAFLOPS("GFLOP/s: nominal flops / time"),
        RELATIVE_ERROR("relative RMS error against float64"),
        /** A rate as a fraction of a ceiling's: {@link #fractionOf}; a cell names both measurements. */
        FRACTION_OF_CEILING("fraction of the device's ceiling");

        /** The axis title. */
        final String label;

        Metric(String label) {
            this.label = label;
        }

        /** How a table shows a value of this metric. */
        String format(double v) {
            if (!Double.isFinite(v)) {
                return "-";
            }
            return switch (this) {
                case SECONDS -> Numbers.formatTime(v);
                case MFLOPS -> String.format(Locale.ROOT, "%.0f", v);
                case GIGABYTES_PER_SECOND, GIGAFLOPS -> String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
                case RELATIVE_ERROR -> String.format(Locale.ROOT, "%.2e", v);
                case FRACTION_OF_CEILING -> String.format(Locale.ROOT, "%.3f", v);
            };
        }
    }

    /** {@code m} computed from this measurement: the time, flops/time in 1e6/s, bytes/time in 1e9/s, or the error. */
    double metric(Metric m) {
        return switch (m) {
            case SECONDS, RELATIVE_ERROR -> value;
            case MFLOPS -> flops / (value * 1e6);
            case GIGABYTES_PER_SECOND -> bytes / (value * 1e9);
            case GIGAFLOPS -> flops / (value * 1e9);
            case FRACTION_OF_CEILING -> Double.NaN; // needs the ceiling: fractionOf
        };
    }

    /**
     * The rate this measurement is judged by: bytes per second where it names the bytes it must move (copies,
     * scans, TaLK, FFTs: memory-bound), else flops per second (attention, the FMA peak).
     */
    Metric rate() {
        return bytes > 0 ? Metric.GIGABYTES_PER_SECOND : Metric.GIGAFLOPS;
    }

    /** {@return this measurement's {@link #rate} as a fraction of {@code ceiling}'s} @param ceiling the ceiling */
    double fractionOf(Measurement ceiling) {
        return metric(rate()) / ceiling.metric(rate());
    }

    /**
     * This measurement as an object of results.json. JSON has no NaN or infinity: a number that is one (the error
     * of an FFT that returned NaN, a JMH interval it could not compute) is written as null, and the object's
     * {@code nonFinite} field names it: {@code "value": null, ..., "nonFinite": {"value": "NaN"}} (or "Infinity",
     * "-Infinity"). The measurement is kept, so that the report still shows it (as "-").
     */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, String> nonFinite = new LinkedHashMap<>();
        m.put("id", id);
        m.put("operation", operation.key);
        m.put("implementation", implementation);
        m.put("size", size);
        m.put("shape", shape);
        putNumber(m, nonFinite, "value", value);
        putNumber(m, nonFinite, "low", low);
        putNumber(m, nonFinite, "high", high);
        m.put("samples", samples);
        m.put("callsPerSample", callsPerSample);
        m.put("steady", steady);
        putNumber(m, nonFinite, "flops", flops);
        putNumber(m, nonFinite, "bytes", bytes);
        m.put("source", source);
        if (!nonFinite.isEmpty()) {
            m.put("nonFinite", nonFinite);
        }
        return m;
    }

    private static void putNumber(Map<String, Object> m, Map<String, String> nonFinite, String key, double v) {
        if (Double.isFinite(v)) {
            m.put(key, v);
        } else {
            m.put(key, null);
            nonFinite.put(key, Double.toString(v)); // NaN, Infinity, -Infinity
        }
    }

    /** The measurement of one object of results.json ({@link #toJson}); {@link IllegalArgumentException} if bad. */
    static Measurement fromJson(Map<?, ?> m) {
        return new Measurement((String) m.get("id"), Operation.ofKey((String) m.get("operation")),
                (String) m.get("implementation"), (long) number(m, "size"), (String) m.get("shape"),
                number(m, "value"), number(m, "low"), number(m, "high"), (int) number(m, "samples"),
                (long) number(m, "callsPerSample"), Boolean.TRUE.equals(m.get("steady")), number(m, "flops"),
                number(m, "bytes"), (String) m.get("source"));
    }

    private static double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v != null) {
            throw new IllegalArgumentException(m.get("id") + ": " + key + " is not a number: " + v);
        }
        // null: a non-finite number, named in nonFinite (results.json of earlier versions did not name it: NaN)
        Object named = m.get("nonFinite") instanceof Map<?, ?> nonFinite ? nonFinite.get(key) : null;
        if (named == null) {
            return Double.NaN;
        }
        return switch (String.valueOf(named)) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException(m.get("id") + ": nonFinite." + key
                    + " is neither NaN, Infinity nor -Infinity: " + named);
        };
    }
}
