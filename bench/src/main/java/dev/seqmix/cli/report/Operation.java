package dev.seqmix.cli.report;

/** What a measurement measured. */
enum Operation {
    FFT("fft", "complex FFT", "complex FFT forward (copy of 2n floats + transform)"),
    FFT_ERROR("fftError", "complex FFT error", "complex FFT forward, relative RMS error against float64"),
    SOFTMAX_ATTENTION("softmaxAttention", "softmax RPE attention", "softmax RPE attention (exact, O(n^2))"),
    RPE_ATTENTION("rpeAttention", "RPE kernelized attention",
            "RPE kernelized attention (random features of q and k + FFT attention)"),
    TALK_FORWARD("talkForward", "TaLK forward", "TaLK forward (size: sequence length)"),
    CUMSUM("cumsum", "cumsum", "scan, cumsum along time (size: elements)"),
    TALK_FORWARD_BANDWIDTH("talkForwardBandwidth", "TaLK forward", "TaLK forward (size: elements)"),
    TALK_BACKWARD("talkBackward", "TaLK backward", "TaLK backward (size: elements)"),
    COPY("copy", "copy", "copy of the same bytes (System.arraycopy): the bandwidth ceiling"),
    TOEPLITZ("toeplitz", "toeplitzMatmul",
            "toeplitzMatmul as the backend runs it (direct up to its crossover, FFT above)"),
    TOEPLITZ_DIRECT("toeplitzDirect", "direct product", "direct Toeplitz product, plain Java loop, one thread"),
    TOEPLITZ_FFT_PATH("toeplitzFftPath", "FFT path",
            "Toeplitz product by FFT at every n (circulant embedding through the "
            + "backend's real FFT plan)"),
    OTHER("other", "other", "a JMH benchmark that no figure shows");

    /** How results.json names it. */
    final String key;
    /** How plots and tables name it. */
    final String label;
    final String description;

    Operation(String key, String label, String description) {
        this.key = key;
        this.label = label;
        this.description = description;
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
