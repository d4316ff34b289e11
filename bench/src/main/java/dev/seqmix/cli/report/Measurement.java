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

    /** A value shown in a table or plot, derived from the measurement. */
    enum Metric {
        SECONDS("time per call (s)"),
        MFLOPS("benchFFT mflops: 5 n log2(n) / time in us"),
        GIGABYTES_PER_SECOND("GB/s: bytes read and written / time"),
        RELATIVE_ERROR("relative RMS error against float64");

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
                case GIGABYTES_PER_SECOND -> String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
                case RELATIVE_ERROR -> String.format(Locale.ROOT, "%.2e", v);
            };
        }
    }

    /** {@code m} computed from this measurement: the time, flops/time in 1e6/s, bytes/time in 1e9/s, or the error. */
    double metric(Metric m) {
        return switch (m) {
            case SECONDS, RELATIVE_ERROR -> value;
            case MFLOPS -> flops / (value * 1e6);
            case GIGABYTES_PER_SECOND -> bytes / (value * 1e9);
        };
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("operation", operation.key);
        m.put("implementation", implementation);
        m.put("size", (double) size);
        m.put("shape", shape);
        m.put("value", value);
        m.put("low", low);
        m.put("high", high);
        m.put("samples", (double) samples);
        m.put("callsPerSample", (double) callsPerSample);
        m.put("steady", steady);
        m.put("flops", flops);
        m.put("bytes", bytes);
        m.put("source", source);
        return m;
    }

    static Measurement fromJson(Map<?, ?> m) {
        return new Measurement((String) m.get("id"), Operation.ofKey((String) m.get("operation")),
                (String) m.get("implementation"), number(m, "size").longValue(), (String) m.get("shape"),
                number(m, "value"), number(m, "low"), number(m, "high"), number(m, "samples").intValue(),
                number(m, "callsPerSample").longValue(), Boolean.TRUE.equals(m.get("steady")), number(m, "flops"),
                number(m, "bytes"), (String) m.get("source"));
    }

    private static Double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? Double.NaN : (Double) v; // null: written from a non-finite value
    }
}
