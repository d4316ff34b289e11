package dev.seqmix.spi;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.lang.foreign.MemorySegment;

/**
 * Base of every backend: the public methods validate their arguments here, in one place (so every
 * backend rejects the same inputs with the same messages), then call the protected {@code do...}
 * kernels with arguments known to be valid.
 *
 * <p>Contract of the {@code do...} methods: shapes are valid and arrays hold at least the elements the
 * shape implies (pooled arrays may be longer: never use {@code array.length}); null appears only where
 * the public method allows it. The segment forms by default copy into pooled arrays on the calling
 * thread and run the array kernels; backends that can work on segments directly override them.
 */
public abstract class AbstractKernels implements Kernels {
    private volatile boolean closed;

    /** An open instance. */
    protected AbstractKernels() {
    }

    /** Throws {@link IllegalStateException} once {@link #close()} has been called. */
    public final void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("seqmix Kernels (" + info().name() + ") is closed");
        }
    }

    /** {@return whether {@link #close()} has been called} */
    protected final boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() {
        if (!closed) {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    release();
                }
            }
        }
    }

    /** Releases the backend's resources; called once, by the first {@link #close()}. */
    protected void release() {
    }

    private static final String SEQ = "batch*time*channels";

    private static int scanLength(int batch, int time, int channels) {
        Checks.dimension("batch", batch);
        Checks.dimension("time", time);
        Checks.dimension("channels", channels);
        return Checks.elements(SEQ, batch, time, channels);
    }

    // ---------------------------------------------------------------- scan

    @Override
    public final void cumsum(int batch, int time, int channels, float[] x, float[] out) {
        scanArrays(batch, time, channels, x, out, false);
    }

    @Override
    public final void cumsumReverse(int batch, int time, int channels, float[] x, float[] out) {
        scanArrays(batch, time, channels, x, out, true);
    }

    @Override
    public final void cumsum(int batch, int time, int channels, MemorySegment x, MemorySegment out) {
        scanSegments(batch, time, channels, x, out, false);
    }

    @Override
    public final void cumsumReverse(int batch, int time, int channels, MemorySegment x, MemorySegment out) {
        scanSegments(batch, time, channels, x, out, true);
    }

    private void scanArrays(int batch, int time, int channels, float[] x, float[] out, boolean reverse) {
        ensureOpen();
        int n = scanLength(batch, time, channels);
        Checks.array("x", x, n, SEQ);
        Checks.array("out", out, n, SEQ);
        doScan(batch, time, channels, x, out, reverse);
    }

    private void scanSegments(int batch, int time, int channels, MemorySegment x, MemorySegment out,
                              boolean reverse) {
        ensureOpen();
        int n = scanLength(batch, time, channels);
        Checks.segment("x", x, n, SEQ);
        Checks.output("out", out, n, SEQ);
        Checks.identicalOrDisjoint("out", out, "x", x);
        doScan(batch, time, channels, x, out, reverse);
    }

    /**
     * Inclusive prefix (or, if {@code reverse}, suffix) sum along time; {@code out} may be {@code x}.
     *
     * @param batch    independent sequences
     * @param time     sequence length
     * @param channels channels per step
     * @param x        input {@code [batch][time][channels]}
     * @param out      output {@code [batch][time][channels]}; may be {@code x}
     * @param reverse  suffix sums instead of prefix sums
     */
    protected abstract void doScan(int batch, int time, int channels, float[] x, float[] out, boolean reverse);

    /**
     * The segment form of {@link #doScan(int, int, int, float[], float[], boolean) doScan}: by default copies into pooled arrays and runs the array form.
     *
     * @param batch    independent sequences
     * @param time     sequence length
     * @param channels channels per step
     * @param x        input {@code [batch][time][channels]}
     * @param out      output {@code [batch][time][channels]}; may be {@code x}
     * @param reverse  suffix sums instead of prefix sums
     */
    protected void doScan(int batch, int time, int channels, MemorySegment x, MemorySegment out, boolean reverse) {
        int n = batch * time * channels;
        float[] xa = Segments.load(x, n);
        try {
            doScan(batch, time, channels, xa, xa, reverse);
            Segments.store(xa, out, n);
        } finally {
            Segments.release(xa);
        }
    }

    // ---------------------------------------------------------------- TaLK

    private static void talkForwardArgs(TalkShape s) {
        if (s == null) {
            throw new NullPointerException("s must not be null");
        }
    }

    @Override
    public final void talkForward(TalkShape s, float[] x, float[] left, float[] right, float[] out) {
        ensureOpen();
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        Checks.array("x", x, n, SEQ);
        Checks.array("left", left, m, "batch*time*heads");
        if (!s.causal()) {
            Checks.array("right", right, m, "batch*time*heads");
        }
        Checks.array("out", out, n, SEQ);
        Checks.distinct("out", out, "x", x);
        Checks.finite("left", left, m);
        if (!s.causal()) {
            Checks.finite("right", right, m);
        }
        doTalkForward(s, x, left, s.causal() ? null : right, out);
    }

    @Override
    public final void talkForward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right,
                                  MemorySegment out) {
        ensureOpen();
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        Checks.segment("x", x, n, SEQ);
        Checks.segment("left", left, m, "batch*time*heads");
        if (!s.causal()) {
            Checks.segment("right", right, m, "batch*time*heads");
        }
        Checks.output("out", out, n, SEQ);
        Checks.disjoint("out", out, "x", x);
        Checks.disjoint("out", out, "left", left);
        if (!s.causal()) {
            Checks.disjoint("out", out, "right", right);
        }
        Checks.finite("left", left, m);
        if (!s.causal()) {
            Checks.finite("right", right, m);
        }
        doTalkForward(s, x, left, s.causal() ? null : right, out);
    }

    /**
     * TaLK forward; {@code right} is null exactly when {@code s.causal()}. Offsets are finite.
     *
     * @param s     the shape
     * @param x     {@code [batch][time][channels]}
     * @param left  {@code [batch][time][heads]}
     * @param right {@code [batch][time][heads]}, or null when causal
     * @param out   output {@code [batch][time][channels]}
     */
    protected abstract void doTalkForward(TalkShape s, float[] x, float[] left, float[] right, float[] out);

    /**
     * The segment form of {@link #doTalkForward(TalkShape, float[], float[], float[], float[]) doTalkForward}: by default copies into pooled arrays and runs the array form.
     *
     * @param s     the shape
     * @param x     {@code [batch][time][channels]}
     * @param left  {@code [batch][time][heads]}
     * @param right {@code [batch][time][heads]}, or null when causal
     * @param out   output {@code [batch][time][channels]}
     */
    protected void doTalkForward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right,
                                 MemorySegment out) {
        int n = s.sequenceLength();
        int m = s.offsetLength();
        float[] xa = Segments.load(x, n);
        float[] la = Segments.load(left, m);
        float[] ra = Segments.load(right, m);
        float[] oa = Segments.scratch(out, n);
        try {
            doTalkForward(s, xa, la, ra, oa);
            Segments.store(oa, out, n);
        } finally {
            Segments.release(xa);
            Segments.release(la);
            Segments.release(ra);
            Segments.release(oa);
        }
    }

    @Override
    public final void talkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                   float[] gradX, float[] gradLeft, float[] gradRight) {
        ensureOpen();
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        Checks.array("x", x, n, SEQ);
        Checks.array("left", left, m, "batch*time*heads");
        if (!s.causal()) {
            Checks.array("right", right, m, "batch*time*heads");
        }
        Checks.array("gradOut", gradOut, n, SEQ);
        Checks.array("gradX", gradX, n, SEQ);
        Checks.array("gradLeft", gradLeft, m, "batch*time*heads");
        if (!s.causal() || gradRight != null) {
            Checks.array("gradRight", gradRight, m, "batch*time*heads");
        }
        Checks.distinct("gradX", gradX, "x", x);
        Checks.distinct("gradX", gradX, "gradOut", gradOut);
        Checks.distinct("gradLeft", gradLeft, "left", left);
        Checks.distinct("gradLeft", gradLeft, "right", right);
        Checks.distinct("gradRight", gradRight, "left", left);
        Checks.distinct("gradRight", gradRight, "right", right);
        Checks.distinct("gradRight", gradRight, "gradLeft", gradLeft);
        Checks.finite("left", left, m);
        if (!s.causal()) {
            Checks.finite("right", right, m);
        }
        doTalkBackward(s, x, left, s.causal() ? null : right, gradOut, gradX, gradLeft, gradRight);
    }

    @Override
    public final void talkBackward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right,
                                   MemorySegment gradOut, MemorySegment gradX, MemorySegment gradLeft,
                                   MemorySegment gradRight) {
        ensureOpen();
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        Checks.segment("x", x, n, SEQ);
        Checks.segment("left", left, m, "batch*time*heads");
        if (!s.causal()) {
            Checks.segment("right", right, m, "batch*time*heads");
        }
        Checks.segment("gradOut", gradOut, n, SEQ);
        Checks.output("gradX", gradX, n, SEQ);
        Checks.output("gradLeft", gradLeft, m, "batch*time*heads");
        if (!s.causal() || gradRight != null) {
            Checks.output("gradRight", gradRight, m, "batch*time*heads");
        }
        MemorySegment activeRight = s.causal() ? null : right;
        backwardOutputDisjoint("gradX", gradX, x, left, activeRight, gradOut);
        backwardOutputDisjoint("gradLeft", gradLeft, x, left, activeRight, gradOut);
        backwardOutputDisjoint("gradRight", gradRight, x, left, activeRight, gradOut);
        Checks.disjoint("gradX", gradX, "gradLeft", gradLeft);
        Checks.disjoint("gradX", gradX, "gradRight", gradRight);
        Checks.disjoint("gradLeft", gradLeft, "gradRight", gradRight);
        Checks.finite("left", left, m);
        if (!s.causal()) {
            Checks.finite("right", right, m);
        }
        doTalkBackward(s, x, left, activeRight, gradOut, gradX, gradLeft, gradRight);
    }

    private static void backwardOutputDisjoint(String name, MemorySegment out, MemorySegment x, MemorySegment left,
                                               MemorySegment right, MemorySegment gradOut) {
        Checks.disjoint(name, out, "x", x);
        Checks.disjoint(name, out, "left", left);
        Checks.disjoint(name, out, "right", right);
        Checks.disjoint(name, out, "gradOut", gradOut);
    }

    /**
     * TaLK backward; {@code right} is null exactly when {@code s.causal()}; {@code gradRight} may be
     * null only when causal, and is then, if present, to be filled with zeros.
     *
     * @param s         the shape
     * @param x         the forward pass's input {@code [batch][time][channels]}
     * @param left      {@code [batch][time][heads]}
     * @param right     {@code [batch][time][heads]}, or null when causal
     * @param gradOut   {@code [batch][time][channels]}
     * @param gradX     output {@code [batch][time][channels]}
     * @param gradLeft  output {@code [batch][time][heads]}
     * @param gradRight output {@code [batch][time][heads]}, or null (only when causal)
     */
    protected abstract void doTalkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                           float[] gradX, float[] gradLeft, float[] gradRight);

    /**
     * The segment form of {@link #doTalkBackward(TalkShape, float[], float[], float[], float[], float[], float[], float[]) doTalkBackward}: by default copies into pooled arrays and runs the array form.
     *
     * @param s         the shape
     * @param x         the forward pass's input {@code [batch][time][channels]}
     * @param left      {@code [batch][time][heads]}
     * @param right     {@code [batch][time][heads]}, or null when causal
     * @param gradOut   {@code [batch][time][channels]}
     * @param gradX     output {@code [batch][time][channels]}
     * @param gradLeft  output {@code [batch][time][heads]}
     * @param gradRight output {@code [batch][time][heads]}, or null (only when causal)
     */
    protected void doTalkBackward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right,
                                  MemorySegment gradOut, MemorySegment gradX, MemorySegment gradLeft,
                                  MemorySegment gradRight) {
        int n = s.sequenceLength();
        int m = s.offsetLength();
        float[] xa = Segments.load(x, n);
        float[] la = Segments.load(left, m);
        float[] ra = Segments.load(right, m);
        float[] ga = Segments.load(gradOut, n);
        float[] gxa = Segments.scratch(gradX, n);
        float[] gla = Segments.scratch(gradLeft, m);
        float[] gra = Segments.scratch(gradRight, m);
        try {
            doTalkBackward(s, xa, la, ra, ga, gxa, gla, gra);
            Segments.store(gxa, gradX, n);
            Segments.store(gla, gradLeft, m);
            Segments.store(gra, gradRight, m);
        } finally {
            Segments.release(xa);
            Segments.release(la);
            Segments.release(ra);
            Segments.release(ga);
            Segments.release(gxa);
            Segments.release(gla);
            Segments.release(gra);
        }
    }

    @Override
    public final TalkStream talkStream(TalkShape s) {
        ensureOpen();
        talkForwardArgs(s);
        if (!s.causal()) {
            throw new IllegalArgumentException("s.maxRight: expected 0 (a stream is causal), got " + s.maxRight());
        }
        return createTalkStream(s);
    }

    /**
     * A new stream for a causal shape.
     *
     * @param s the shape, causal
     * @return a stream at time 0
     */
    protected abstract TalkStream createTalkStream(TalkShape s);

    // ---------------------------------------------------------------- FFT

    /** Largest supported FFT size. */
    public static final int MAX_FFT_SIZE = 1 << 27;

    @Override
    public final FftPlan fftPlan(int n) {
        ensureOpen();
        if (n < 1 || n > MAX_FFT_SIZE) {
            throw new IllegalArgumentException("n: expected 1 <= n <= " + MAX_FFT_SIZE + ", got " + n);
        }
        return plan(n);
    }

    /**
     * The (cached) plan of a valid size.
     *
     * @param n the size, in {@code [1, MAX_FFT_SIZE]}
     * @return the plan
     */
    protected abstract FftPlan plan(int n);

    // ---------------------------------------------------------------- Toeplitz

    @Override
    public final void toeplitzMatmul(int batch, int n, int cols, float[] coeffs, float[] x, float[] y) {
        ensureOpen();
        Checks.dimension("batch", batch);
        Checks.dimension("n", n);
        Checks.dimension("cols", cols);
        int c = Checks.elements("batch*(2n-1)", batch, 2L * n - 1);
        int m = Checks.elements("batch*n*cols", batch, n, cols);
        Checks.array("coeffs", coeffs, c, "batch*(2n-1)");
        Checks.array("x", x, m, "batch*n*cols");
        Checks.array("y", y, m, "batch*n*cols");
        Checks.distinct("y", y, "x", x);
        Checks.distinct("y", y, "coeffs", coeffs);
        doToeplitzMatmul(batch, n, cols, coeffs, x, y);
    }

    @Override
    public final void toeplitzMatmul(int batch, int n, int cols, MemorySegment coeffs, MemorySegment x,
                                     MemorySegment y) {
        ensureOpen();
        Checks.dimension("batch", batch);
        Checks.dimension("n", n);
        Checks.dimension("cols", cols);
        int c = Checks.elements("batch*(2n-1)", batch, 2L * n - 1);
        int m = Checks.elements("batch*n*cols", batch, n, cols);
        Checks.segment("coeffs", coeffs, c, "batch*(2n-1)");
        Checks.segment("x", x, m, "batch*n*cols");
        Checks.output("y", y, m, "batch*n*cols");
        Checks.disjoint("y", y, "x", x);
        Checks.disjoint("y", y, "coeffs", coeffs);
        doToeplitzMatmul(batch, n, cols, coeffs, x, y);
    }

    /**
     * Toeplitz products: {@code y[b][i][k] = sum_j coeffs[b][(j - i) + n - 1] * x[b][j][k]}.
     *
     * @param batch  independent products
     * @param n      the Toeplitz matrix's order
     * @param cols   columns of {@code x} and {@code y}
     * @param coeffs {@code [batch][2n-1]}
     * @param x      {@code [batch][n][cols]}
     * @param y      output {@code [batch][n][cols]}
     */
    protected abstract void doToeplitzMatmul(int batch, int n, int cols, float[] coeffs, float[] x, float[] y);

    /**
     * The segment form of {@link #doToeplitzMatmul(int, int, int, float[], float[], float[]) doToeplitzMatmul}: by default copies into pooled arrays and runs the array form.
     *
     * @param batch  independent products
     * @param n      the Toeplitz matrix's order
     * @param cols   columns of {@code x} and {@code y}
     * @param coeffs {@code [batch][2n-1]}
     * @param x      {@code [batch][n][cols]}
     * @param y      output {@code [batch][n][cols]}
     */
    protected void doToeplitzMatmul(int batch, int n, int cols, MemorySegment coeffs, MemorySegment x,
                                    MemorySegment y) {
        int c = batch * (2 * n - 1);
        int m = batch * n * cols;
        float[] ca = Segments.load(coeffs, c);
        float[] xa = Segments.load(x, m);
        float[] ya = Segments.scratch(y, m);
        try {
            doToeplitzMatmul(batch, n, cols, ca, xa, ya);
            Segments.store(ya, y, m);
        } finally {
            Segments.release(ca);
            Segments.release(xa);
            Segments.release(ya);
        }
    }

    // ---------------------------------------------------------------- attention

    private static void shape(AttentionShape s) {
        if (s == null) {
            throw new NullPointerException("s must not be null");
        }
    }

    private static final String KEYS = "batch*length*heads*keyDim";
    private static final String VALUES = "batch*length*heads*valueDim";
    private static final String FEATURES = "batch*length*heads*features";
    private static final String PROJECTION = "features*keyDim";
    private static final String BIAS = "heads*(2*length-1)";

    @Override
    public final void randomFeatures(AttentionShape s, float[] x, float[] projection, boolean queries, float[] phi) {
        ensureOpen();
        shape(s);
        Checks.array("x", x, s.keyLength(), KEYS);
        Checks.array("projection", projection, s.projectionLength(), PROJECTION);
        Checks.array("phi", phi, s.featureLength(), FEATURES);
        Checks.distinct("phi", phi, "x", x);
        Checks.distinct("phi", phi, "projection", projection);
        doRandomFeatures(s, x, projection, queries, phi);
    }

    @Override
    public final void randomFeatures(AttentionShape s, MemorySegment x, MemorySegment projection, boolean queries,
                                     MemorySegment phi) {
        ensureOpen();
        shape(s);
        Checks.segment("x", x, s.keyLength(), KEYS);
        Checks.segment("projection", projection, s.projectionLength(), PROJECTION);
        Checks.output("phi", phi, s.featureLength(), FEATURES);
        Checks.disjoint("phi", phi, "x", x);
        Checks.disjoint("phi", phi, "projection", projection);
        doRandomFeatures(s, x, projection, queries, phi);
    }

    /**
     * Positive random features, as {@link Kernels#randomFeatures(AttentionShape, float[], float[], boolean, float[])}.
     *
     * @param s          the shape
     * @param x          {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}
     * @param queries    whether {@code x} holds queries (per-row stabilizer) or keys
     * @param phi        output {@code [batch][length][heads][features]}
     */
    protected abstract void doRandomFeatures(AttentionShape s, float[] x, float[] projection, boolean queries,
                                             float[] phi);

    /**
     * The segment form of {@link #doRandomFeatures(AttentionShape, float[], float[], boolean, float[]) doRandomFeatures}: by default copies into pooled arrays and runs the array form.
     *
     * @param s          the shape
     * @param x          {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}
     * @param queries    whether {@code x} holds queries (per-row stabilizer) or keys
     * @param phi        output {@code [batch][length][heads][features]}
     */
    protected void doRandomFeatures(AttentionShape s, MemorySegment x, MemorySegment projection, boolean queries,
                                    MemorySegment phi) {
        float[] xa = Segments.load(x, s.keyLength());
        float[] pa = Segments.load(projection, s.projectionLength());
        float[] oa = Segments.scratch(phi, s.featureLength());
        try {
            doRandomFeatures(s, xa, pa, queries, oa);
            Segments.store(oa, phi, s.featureLength());
        } finally {
            Segments.release(xa);
            Segments.release(pa);
            Segments.release(oa);
        }
    }

    @Override
    public final void rpeAttention(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                   float[] out) {
        ensureOpen();
        shape(s);
        Checks.array("phiQ", phiQ, s.featureLength(), FEATURES);
        Checks.array("phiK", phiK, s.featureLength(), FEATURES);
        Checks.array("v", v, s.valueLength(), VALUES);
        Checks.array("bias", bias, s.biasLength(), BIAS);
        Checks.array("out", out, s.valueLength(), VALUES);
        Checks.distinct("out", out, "phiQ", phiQ);
        Checks.distinct("out", out, "phiK", phiK);
        Checks.distinct("out", out, "v", v);
        Checks.distinct("out", out, "bias", bias);
        doRpeAttention(s, phiQ, phiK, v, bias, out);
    }

    @Override
    public final void rpeAttention(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                                   MemorySegment bias, MemorySegment out) {
        ensureOpen();
        shape(s);
        Checks.segment("phiQ", phiQ, s.featureLength(), FEATURES);
        Checks.segment("phiK", phiK, s.featureLength(), FEATURES);
        Checks.segment("v", v, s.valueLength(), VALUES);
        Checks.segment("bias", bias, s.biasLength(), BIAS);
        Checks.output("out", out, s.valueLength(), VALUES);
        Checks.disjoint("out", out, "phiQ", phiQ);
        Checks.disjoint("out", out, "phiK", phiK);
        Checks.disjoint("out", out, "v", v);
        Checks.disjoint("out", out, "bias", bias);
        doRpeAttention(s, phiQ, phiK, v, bias, out);
    }

    /**
     * Kernelized RPE attention, as {@link Kernels#rpeAttention(AttentionShape, float[], float[], float[], float[], float[])}.
     *
     * @param s    the shape
     * @param phiQ {@code [batch][length][heads][features]}
     * @param phiK {@code [batch][length][heads][features]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    protected abstract void doRpeAttention(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                           float[] out);

    /**
     * The segment form of {@link #doRpeAttention(AttentionShape, float[], float[], float[], float[], float[]) doRpeAttention}: by default copies into pooled arrays and runs the array form.
     *
     * @param s    the shape
     * @param phiQ {@code [batch][length][heads][features]}
     * @param phiK {@code [batch][length][heads][features]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    protected void doRpeAttention(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                                  MemorySegment bias, MemorySegment out) {
        float[] qa = Segments.load(phiQ, s.featureLength());
        float[] ka = Segments.load(phiK, s.featureLength());
        float[] va = Segments.load(v, s.valueLength());
        float[] ba = Segments.load(bias, s.biasLength());
        float[] oa = Segments.scratch(out, s.valueLength());
        try {
            doRpeAttention(s, qa, ka, va, ba, oa);
            Segments.store(oa, out, s.valueLength());
        } finally {
            Segments.release(qa);
            Segments.release(ka);
            Segments.release(va);
            Segments.release(ba);
            Segments.release(oa);
        }
    }

    @Override
    public final void softmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                          float[] out) {
        ensureOpen();
        shape(s);
        Checks.array("q", q, s.keyLength(), KEYS);
        Checks.array("k", k, s.keyLength(), KEYS);
        Checks.array("v", v, s.valueLength(), VALUES);
        Checks.array("bias", bias, s.biasLength(), BIAS);
        Checks.array("out", out, s.valueLength(), VALUES);
        Checks.distinct("out", out, "q", q);
        Checks.distinct("out", out, "k", k);
        Checks.distinct("out", out, "v", v);
        Checks.distinct("out", out, "bias", bias);
        doSoftmaxRpeAttention(s, q, k, v, bias, out);
    }

    @Override
    public final void softmaxRpeAttention(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                          MemorySegment bias, MemorySegment out) {
        ensureOpen();
        shape(s);
        Checks.segment("q", q, s.keyLength(), KEYS);
        Checks.segment("k", k, s.keyLength(), KEYS);
        Checks.segment("v", v, s.valueLength(), VALUES);
        Checks.segment("bias", bias, s.biasLength(), BIAS);
        Checks.output("out", out, s.valueLength(), VALUES);
        Checks.disjoint("out", out, "q", q);
        Checks.disjoint("out", out, "k", k);
        Checks.disjoint("out", out, "v", v);
        Checks.disjoint("out", out, "bias", bias);
        doSoftmaxRpeAttention(s, q, k, v, bias, out);
    }

    /**
     * Softmax RPE attention, as
     * {@link Kernels#softmaxRpeAttention(AttentionShape, float[], float[], float[], float[], float[])}.
     *
     * @param s    the shape
     * @param q    {@code [batch][length][heads][keyDim]}
     * @param k    {@code [batch][length][heads][keyDim]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    protected abstract void doSoftmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                                  float[] out);

    /**
     * The segment form of {@link #doSoftmaxRpeAttention(AttentionShape, float[], float[], float[], float[], float[]) doSoftmaxRpeAttention}: by default copies into pooled arrays and runs the array form.
     *
     * @param s    the shape
     * @param q    {@code [batch][length][heads][keyDim]}
     * @param k    {@code [batch][length][heads][keyDim]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    protected void doSoftmaxRpeAttention(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                         MemorySegment bias, MemorySegment out) {
        float[] qa = Segments.load(q, s.keyLength());
        float[] ka = Segments.load(k, s.keyLength());
        float[] va = Segments.load(v, s.valueLength());
        float[] ba = Segments.load(bias, s.biasLength());
        float[] oa = Segments.scratch(out, s.valueLength());
        try {
            doSoftmaxRpeAttention(s, qa, ka, va, ba, oa);
            Segments.store(oa, out, s.valueLength());
        } finally {
            Segments.release(qa);
            Segments.release(ka);
            Segments.release(va);
            Segments.release(ba);
            Segments.release(oa);
        }
    }
}
