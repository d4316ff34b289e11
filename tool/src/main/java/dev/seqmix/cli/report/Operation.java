package dev.seqmix.cli.report;

import java.util.Locale;

/** What a measurement measured. */
enum Operation {
    FFT("complex FFT", "complex FFT forward (copy of 2n floats + transform)"),
    FFT_ERROR("complex FFT error", "complex FFT forward, relative RMS error against float64"),
    SOFTMAX_ATTENTION("softmax RPE attention", "softmax RPE attention (exact, O(n^2))"),
    RPE_ATTENTION("RPE kernelized attention",
            "RPE kernelized attention (random features of q and k + FFT attention)"),
    SOFTMAX_ATTENTION_BACKWARD("softmax RPE attention backward",
            "softmax RPE attention's backward pass (gradients of q, k, v and the bias)"),
    RPE_ATTENTION_BACKWARD("RPE kernelized attention backward",
            "RPE kernelized attention's backward pass (attention, then both random features' backward passes)"),
    TALK_FORWARD("TaLK forward", "TaLK forward (size: sequence length)"),
    CUMSUM("cumsum", "scan, cumsum along time (size: elements)"),
    TALK_FORWARD_BANDWIDTH("TaLK forward", "TaLK forward (size: elements)"),
    TALK_BACKWARD("TaLK backward", "TaLK backward (size: elements)"),
    COPY("copy", "copy of the same bytes (System.arraycopy): the bandwidth ceiling"),
    TOEPLITZ("toeplitzMatmul",
            "toeplitzMatmul as the backend runs it (direct up to its crossover, FFT above)"),
    TOEPLITZ_DIRECT("direct product", "direct Toeplitz product, plain Java loop, one thread"),
    TOEPLITZ_FFT_PATH("FFT path",
            "Toeplitz product by FFT at every n (circulant embedding through the "
            + "backend's real FFT plan)"),
    LATENCY_P50("p50", "one small call's latency, median of the calls"),
    LATENCY_P99("p99", "one small call's latency, 99th percentile of the calls"),
    LATENCY_P999("p99.9", "one small call's latency, 99.9th percentile of the calls"),
    LATENCY_MAX("max", "one small call's latency, the slowest call"),
    DEVICE_CEILING("device ceiling", "one of the OpenCL device's own ceilings (copies, transfers, FMA peak), "
            + "measured in the same run; value: the best run"),
    DEVICE_KERNELS("kernel time", "an operation's kernels on the OpenCL device: the sum of their profiling-event "
            + "times, median of the calls"),
    DEVICE_END_TO_END("end to end", "an operation's whole call on the OpenCL device (transfers and host work "
            + "included) on an instance without profiling, median of the calls"),
    OTHER("other", "a JMH benchmark that no figure shows");

    /** Whether this is one of the device benchmark's ({@link DeviceSection}). */
    boolean isDevice() {
        return this == DEVICE_CEILING || this == DEVICE_KERNELS || this == DEVICE_END_TO_END;
    }

    /** Whether this is a percentile of the latency table (size: the threads that shared the instance). */
    boolean isLatency() {
        return this == LATENCY_P50 || this == LATENCY_P99 || this == LATENCY_P999 || this == LATENCY_MAX;
    }

    /** How results.json names it: the constant's name in camel case (FFT_ERROR: fftError). */
    final String key;
    /** How plots and tables name it. */
    final String label;
    final String description;

    Operation(String label, String description) {
        this.label = label;
        this.description = description;
        StringBuilder k = new StringBuilder();
        for (String word : name().split("_")) {
            k.append(k.isEmpty() ? word.toLowerCase(Locale.ROOT)
                    : word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT));
        }
        this.key = k.toString();
    }

    static Operation ofKey(String key) {
        for (Operation o : values()) {
            if (o.key.equals(key)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + key + "'");
    }
}
