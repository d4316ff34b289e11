package dev.seqmix.spi;

import dev.seqmix.internal.fft.FftSizes;
import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.scalar.AttentionBackward;
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
    /** The backend's warm-up, when attached (Warmup.attach): calls of a family not yet warm wait for it. */
    volatile Warmup warmup;

    /** Returns once the operations of {@code f} are warm (at once when no warm-up is attached). */
    final void warm(Warmup.Family f) {
        Warmup w = warmup;
        if (w != null && !w.isWarm(f)) {
            w.await(f);
        }
    }

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
    private static final String OFFSETS = "batch*time*heads";
    private static final String KEYS = "batch*length*heads*keyDim";
    private static final String VALUES = "batch*length*heads*valueDim";
    private static final String FEATURES = "batch*length*heads*features";
    private static final String PROJECTION = "features*keyDim";
    private static final String BIAS = "heads*(2*length-1)";

    // Each operation's float parameters, in the order of the public methods' arguments (Operation).
    private static final Operation SCAN = new Operation().in("x", 0, SEQ).out("out", 0, SEQ).inPlace("out", "x");
    private static final Operation TALK_FORWARD = new Operation()
            .in("x", 0, SEQ).in("left", 1, OFFSETS).in("right", 1, OFFSETS).out("out", 0, SEQ);
    private static final Operation TALK_BACKWARD = new Operation()
            .in("x", 0, SEQ).in("left", 1, OFFSETS).in("right", 1, OFFSETS).in("gradOut", 0, SEQ)
            .out("gradX", 0, SEQ).out("gradLeft", 1, OFFSETS).out("gradRight", 1, OFFSETS);
    private static final Operation TOEPLITZ = new Operation()
            .in("coeffs", 0, "batch*(2n-1)").in("x", 1, "batch*n*cols").out("y", 1, "batch*n*cols");
    private static final Operation RANDOM_FEATURES = new Operation()
            .in("x", 0, KEYS).in("projection", 1, PROJECTION).out("phi", 2, FEATURES);
    private static final Operation RPE_ATTENTION = new Operation()
            .in("phiQ", 0, FEATURES).in("phiK", 0, FEATURES).in("v", 1, VALUES).in("bias", 2, BIAS)
            .out("out", 1, VALUES);
    private static final Operation SOFTMAX_ATTENTION = new Operation()
            .in("q", 0, KEYS).in("k", 0, KEYS).in("v", 1, VALUES).in("bias", 2, BIAS).out("out", 1, VALUES);
    private static final Operation RANDOM_FEATURES_BACKWARD = new Operation()
            .in("x", 0, KEYS).in("projection", 1, PROJECTION).in("gradPhi", 2, FEATURES).out("gradX", 0, KEYS);
    private static final Operation RPE_ATTENTION_BACKWARD = new Operation()
            .in("phiQ", 0, FEATURES).in("phiK", 0, FEATURES).in("v", 1, VALUES).in("bias", 2, BIAS)
            .in("gradOut", 1, VALUES).out("gradPhiQ", 0, FEATURES).out("gradPhiK", 0, FEATURES)
            .out("gradV", 1, VALUES).out("gradBias", 2, BIAS);
    private static final Operation SOFTMAX_ATTENTION_BACKWARD = new Operation()
            .in("q", 0, KEYS).in("k", 0, KEYS).in("v", 1, VALUES).in("bias", 2, BIAS).in("gradOut", 1, VALUES)
            .out("gradQ", 0, KEYS).out("gradK", 0, KEYS).out("gradV", 1, VALUES).out("gradBias", 2, BIAS);
    /** A causal shape has no right offsets: the argument is ignored, and gradRight may be null. */
    private static final int FORWARD_RIGHT = TALK_FORWARD.bit("right");
    private static final int BACKWARD_RIGHT = TALK_BACKWARD.bit("right");
    private static final int BACKWARD_GRAD_RIGHT = TALK_BACKWARD.bit("gradRight");

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
        warm(Warmup.Family.SCAN);
        int n = scanLength(batch, time, channels);
        SCAN.arrays(n, 0, 0, 0, 0, x, out, null, null, null, null, null, null);
        doScan(batch, time, channels, x, out, reverse);
    }

    private void scanSegments(int batch, int time, int channels, MemorySegment x, MemorySegment out,
                              boolean reverse) {
        ensureOpen();
        warm(Warmup.Family.SCAN);
        int n = scanLength(batch, time, channels);
        SCAN.segments(n, 0, 0, 0, 0, x, out, null, null, null, null, null, null);
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
        int per = time * channels;
        Segments.inChunks(batch, per, (b, nb) -> {
            float[] xa = Segments.load(x, (long) b * per, nb * per);
            try {
                doScan(nb, time, channels, xa, xa, reverse);
                Segments.store(xa, out, (long) b * per, nb * per);
            } finally {
                Segments.release(xa);
            }
        });
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
        warm(Warmup.Family.TALK);
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        TALK_FORWARD.arrays(n, m, 0, s.causal() ? FORWARD_RIGHT : 0, 0, x, left, right, out, null, null, null, null);
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
        warm(Warmup.Family.TALK);
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        TALK_FORWARD.segments(n, m, 0, s.causal() ? FORWARD_RIGHT : 0, 0, x, left, right, out, null, null, null,
                null);
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
        int per = s.time() * s.channels();
        int perOffsets = s.time() * s.heads();
        Segments.inChunks(s.batch(), per, (b, nb) -> {
            TalkShape c = nb == s.batch() ? s
                    : new TalkShape(nb, s.time(), s.channels(), s.heads(), s.maxLeft(), s.maxRight());
            float[] xa = Segments.load(x, (long) b * per, nb * per);
            float[] la = Segments.load(left, (long) b * perOffsets, nb * perOffsets);
            float[] ra = Segments.load(right, (long) b * perOffsets, nb * perOffsets);
            float[] oa = Segments.scratch(out, nb * per);
            try {
                doTalkForward(c, xa, la, ra, oa);
                Segments.store(oa, out, (long) b * per, nb * per);
            } finally {
                Segments.release(xa);
                Segments.release(la);
                Segments.release(ra);
                Segments.release(oa);
            }
        });
    }

    @Override
    public final void talkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                   float[] gradX, float[] gradLeft, float[] gradRight) {
        ensureOpen();
        warm(Warmup.Family.TALK);
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        TALK_BACKWARD.arrays(n, m, 0, s.causal() ? BACKWARD_RIGHT : 0, s.causal() ? BACKWARD_GRAD_RIGHT : 0,
                x, left, right, gradOut, gradX, gradLeft, gradRight, null);
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
        warm(Warmup.Family.TALK);
        talkForwardArgs(s);
        int n = s.sequenceLength();
        int m = s.offsetLength();
        TALK_BACKWARD.segments(n, m, 0, s.causal() ? BACKWARD_RIGHT : 0, s.causal() ? BACKWARD_GRAD_RIGHT : 0,
                x, left, right, gradOut, gradX, gradLeft, gradRight, null);
        MemorySegment activeRight = s.causal() ? null : right;
        Checks.finite("left", left, m);
        if (!s.causal()) {
            Checks.finite("right", right, m);
        }
        doTalkBackward(s, x, left, activeRight, gradOut, gradX, gradLeft, gradRight);
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
        int per = s.time() * s.channels();
        int perOffsets = s.time() * s.heads();
        Segments.inChunks(s.batch(), per, (b, nb) -> {
            TalkShape c = nb == s.batch() ? s
                    : new TalkShape(nb, s.time(), s.channels(), s.heads(), s.maxLeft(), s.maxRight());
            long from = (long) b * per;
            long fromOffsets = (long) b * perOffsets;
            int n = nb * per;
            int m = nb * perOffsets;
            float[] xa = Segments.load(x, from, n);
            float[] la = Segments.load(left, fromOffsets, m);
            float[] ra = Segments.load(right, fromOffsets, m);
            float[] ga = Segments.load(gradOut, from, n);
            float[] gxa = Segments.scratch(gradX, n);
            float[] gla = Segments.scratch(gradLeft, m);
            float[] gra = Segments.scratch(gradRight, m);
            try {
                doTalkBackward(c, xa, la, ra, ga, gxa, gla, gra);
                Segments.store(gxa, gradX, from, n);
                Segments.store(gla, gradLeft, fromOffsets, m);
                Segments.store(gra, gradRight, fromOffsets, m);
            } finally {
            Segments.release(xa);
            Segments.release(la);
            Segments.release(ra);
            Segments.release(ga);
            Segments.release(gxa);
            Segments.release(gla);
            Segments.release(gra);
            }
        });
    }

    @Override
    public final TalkStream talkStream(TalkShape s) {
        ensureOpen();
        warm(Warmup.Family.TALK);
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
    public static final int MAX_FFT_SIZE = FftSizes.MAX;

    @Override
    public final FftPlan fftPlan(int n) {
        ensureOpen();
        warm(Warmup.Family.FFT);
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
        warm(Warmup.Family.TOEPLITZ);
        Checks.dimension("batch", batch);
        Checks.dimension("n", n);
        Checks.dimension("cols", cols);
        int c = Checks.elements("batch*(2n-1)", batch, 2L * n - 1);
        int m = Checks.elements("batch*n*cols", batch, n, cols);
        TOEPLITZ.arrays(c, m, 0, 0, 0, coeffs, x, y, null, null, null, null, null);
        doToeplitzMatmul(batch, n, cols, coeffs, x, y);
    }

    @Override
    public final void toeplitzMatmul(int batch, int n, int cols, MemorySegment coeffs, MemorySegment x,
                                     MemorySegment y) {
        ensureOpen();
        warm(Warmup.Family.TOEPLITZ);
        Checks.dimension("batch", batch);
        Checks.dimension("n", n);
        Checks.dimension("cols", cols);
        int c = Checks.elements("batch*(2n-1)", batch, 2L * n - 1);
        int m = Checks.elements("batch*n*cols", batch, n, cols);
        TOEPLITZ.segments(c, m, 0, 0, 0, coeffs, x, y, null, null, null, null, null);
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
        int perCoeffs = 2 * n - 1;
        int per = n * cols;
        Segments.inChunks(batch, Math.max(per, perCoeffs), (b, nb) -> {
            float[] ca = Segments.load(coeffs, (long) b * perCoeffs, nb * perCoeffs);
            float[] xa = Segments.load(x, (long) b * per, nb * per);
            float[] ya = Segments.scratch(y, nb * per);
            try {
                doToeplitzMatmul(nb, n, cols, ca, xa, ya);
                Segments.store(ya, y, (long) b * per, nb * per);
            } finally {
                Segments.release(ca);
                Segments.release(xa);
                Segments.release(ya);
            }
        });
    }

    // ---------------------------------------------------------------- attention

    private static void shape(AttentionShape s) {
        if (s == null) {
            throw new NullPointerException("s must not be null");
        }
    }

    @Override
    public final void randomFeatures(AttentionShape s, float[] x, float[] projection, boolean queries, float[] phi) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RANDOM_FEATURES.arrays(s.keyLength(), s.projectionLength(), s.featureLength(), 0, 0, x, projection, phi,
                null, null, null, null, null);
        doRandomFeatures(s, x, projection, queries, phi);
    }

    @Override
    public final void randomFeatures(AttentionShape s, MemorySegment x, MemorySegment projection, boolean queries,
                                     MemorySegment phi) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RANDOM_FEATURES.segments(s.keyLength(), s.projectionLength(), s.featureLength(), 0, 0, x, projection, phi,
                null, null, null, null, null);
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
        int perKeys = s.keyLength() / s.batch();
        int perFeatures = s.featureLength() / s.batch();
        float[] pa = Segments.load(projection, s.projectionLength());
        try {
            Segments.inChunks(s.batch(), Math.max(perKeys, perFeatures), (b, nb) -> {
                AttentionShape c = nb == s.batch() ? s : new AttentionShape(nb, s.length(), s.heads(),
                        s.keyDim(), s.valueDim(), s.features(), s.causal());
                float[] xa = Segments.load(x, (long) b * perKeys, nb * perKeys);
                float[] oa = Segments.scratch(phi, nb * perFeatures);
                try {
                    doRandomFeatures(c, xa, pa, queries, oa);
                    Segments.store(oa, phi, (long) b * perFeatures, nb * perFeatures);
                } finally {
                    Segments.release(xa);
                    Segments.release(oa);
                }
            });
        } finally {
            Segments.release(pa);
        }
    }

    @Override
    public final void rpeAttention(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                   float[] out) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RPE_ATTENTION.arrays(s.featureLength(), s.valueLength(), s.biasLength(), 0, 0, phiQ, phiK, v, bias, out,
                null, null, null);
        doRpeAttention(s, phiQ, phiK, v, bias, out);
    }

    @Override
    public final void rpeAttention(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                                   MemorySegment bias, MemorySegment out) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RPE_ATTENTION.segments(s.featureLength(), s.valueLength(), s.biasLength(), 0, 0, phiQ, phiK, v, bias, out,
                null, null, null);
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
        attentionInChunks(s, phiQ, phiK, v, bias, out, s.featureLength() / s.batch(), this::doRpeAttention);
    }

    /** An attention kernel on arrays, for {@link #attentionInChunks}. */
    @FunctionalInterface
    private interface AttentionKernel {
        void run(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out);
    }

    /** Both attention operations' segment forms: queries and keys of {@code perQk} floats per batch entry. */
    private static void attentionInChunks(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                          MemorySegment bias, MemorySegment out, int perQk, AttentionKernel kernel) {
        int perValues = s.valueLength() / s.batch();
        float[] ba = Segments.load(bias, s.biasLength());
        try {
            Segments.inChunks(s.batch(), Math.max(perQk, perValues), (b, nb) -> {
                AttentionShape c = nb == s.batch() ? s : new AttentionShape(nb, s.length(), s.heads(),
                        s.keyDim(), s.valueDim(), s.features(), s.causal());
                float[] qa = Segments.load(q, (long) b * perQk, nb * perQk);
                float[] ka = Segments.load(k, (long) b * perQk, nb * perQk);
                float[] va = Segments.load(v, (long) b * perValues, nb * perValues);
                float[] oa = Segments.scratch(out, nb * perValues);
                try {
                    kernel.run(c, qa, ka, va, ba, oa);
                    Segments.store(oa, out, (long) b * perValues, nb * perValues);
                } finally {
                    Segments.release(qa);
                    Segments.release(ka);
                    Segments.release(va);
                    Segments.release(oa);
                }
            });
        } finally {
            Segments.release(ba);
        }
    }

    @Override
    public final void softmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                          float[] out) {
        ensureOpen();
        warm(Warmup.Family.SOFTMAX_ATTENTION);
        shape(s);
        SOFTMAX_ATTENTION.arrays(s.keyLength(), s.valueLength(), s.biasLength(), 0, 0, q, k, v, bias, out,
                null, null, null);
        doSoftmaxRpeAttention(s, q, k, v, bias, out);
    }

    @Override
    public final void softmaxRpeAttention(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                          MemorySegment bias, MemorySegment out) {
        ensureOpen();
        warm(Warmup.Family.SOFTMAX_ATTENTION);
        shape(s);
        SOFTMAX_ATTENTION.segments(s.keyLength(), s.valueLength(), s.biasLength(), 0, 0, q, k, v, bias, out,
                null, null, null);
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
        attentionInChunks(s, q, k, v, bias, out, s.keyLength() / s.batch(), this::doSoftmaxRpeAttention);
    }

    // ---------------------------------------------------------------- attention backward

    @Override
    public final void randomFeaturesBackward(AttentionShape s, float[] x, float[] projection, boolean queries,
                                             float[] gradPhi, float[] gradX) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RANDOM_FEATURES_BACKWARD.arrays(s.keyLength(), s.projectionLength(), s.featureLength(), 0, 0, x, projection,
                gradPhi, gradX, null, null, null, null);
        doRandomFeaturesBackward(s, x, projection, queries, gradPhi, gradX);
    }

    @Override
    public final void randomFeaturesBackward(AttentionShape s, MemorySegment x, MemorySegment projection,
                                             boolean queries, MemorySegment gradPhi, MemorySegment gradX) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RANDOM_FEATURES_BACKWARD.segments(s.keyLength(), s.projectionLength(), s.featureLength(), 0, 0, x,
                projection, gradPhi, gradX, null, null, null, null);
        doRandomFeaturesBackward(s, x, projection, queries, gradPhi, gradX);
    }

    /**
     * The backward pass of the random features, as
     * {@link Kernels#randomFeaturesBackward(AttentionShape, float[], float[], boolean, float[], float[])}. By
     * default the host implementation of the scalar backend.
     *
     * @param s          the shape
     * @param x          {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}
     * @param queries    which stabilizer the forward used
     * @param gradPhi    {@code [batch][length][heads][features]}
     * @param gradX      output {@code [batch][length][heads][keyDim]}
     */
    protected void doRandomFeaturesBackward(AttentionShape s, float[] x, float[] projection, boolean queries,
                                            float[] gradPhi, float[] gradX) {
        AttentionBackward.randomFeatures(s, x, projection, queries, gradPhi, gradX);
    }

    /**
     * The segment form of {@link #doRandomFeaturesBackward(AttentionShape, float[], float[], boolean, float[], float[])
     * doRandomFeaturesBackward}: by default copies into pooled arrays, in chunks of whole batch entries, and runs the
     * array form.
     *
     * @param s          the shape
     * @param x          {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}
     * @param queries    which stabilizer the forward used
     * @param gradPhi    {@code [batch][length][heads][features]}
     * @param gradX      output {@code [batch][length][heads][keyDim]}
     */
    protected void doRandomFeaturesBackward(AttentionShape s, MemorySegment x, MemorySegment projection,
                                            boolean queries, MemorySegment gradPhi, MemorySegment gradX) {
        int perKeys = s.keyLength() / s.batch();
        int perFeatures = s.featureLength() / s.batch();
        float[] pa = Segments.load(projection, s.projectionLength());
        try {
            Segments.inChunks(s.batch(), Math.max(perKeys, perFeatures), (b, nb) -> {
                AttentionShape c = chunk(s, nb);
                float[] xa = Segments.load(x, (long) b * perKeys, nb * perKeys);
                float[] ga = Segments.load(gradPhi, (long) b * perFeatures, nb * perFeatures);
                float[] oa = Segments.scratch(gradX, nb * perKeys);
                try {
                    doRandomFeaturesBackward(c, xa, pa, queries, ga, oa);
                    Segments.store(oa, gradX, (long) b * perKeys, nb * perKeys);
                } finally {
                    Segments.release(xa);
                    Segments.release(ga);
                    Segments.release(oa);
                }
            });
        } finally {
            Segments.release(pa);
        }
    }

    /** The shape of a chunk of {@code nb} batch entries of {@code s} ({@code s} itself when it is the whole batch). */
    private static AttentionShape chunk(AttentionShape s, int nb) {
        return nb == s.batch() ? s : new AttentionShape(nb, s.length(), s.heads(), s.keyDim(), s.valueDim(),
                s.features(), s.causal());
    }

    @Override
    public final void rpeAttentionBackward(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                           float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV,
                                           float[] gradBias) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RPE_ATTENTION_BACKWARD.arrays(s.featureLength(), s.valueLength(), s.biasLength(), 0, 0, phiQ, phiK, v, bias,
                gradOut, gradPhiQ, gradPhiK, gradV, gradBias);
        doRpeAttentionBackward(s, phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, gradBias, false);
    }

    @Override
    public final void rpeAttentionBackward(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                                           MemorySegment bias, MemorySegment gradOut, MemorySegment gradPhiQ,
                                           MemorySegment gradPhiK, MemorySegment gradV, MemorySegment gradBias) {
        ensureOpen();
        warm(Warmup.Family.ATTENTION);
        shape(s);
        RPE_ATTENTION_BACKWARD.segments(s.featureLength(), s.valueLength(), s.biasLength(), 0, 0, phiQ, phiK, v,
                bias, gradOut, gradPhiQ, gradPhiK, gradV, gradBias);
        doRpeAttentionBackward(s, phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, gradBias);
    }

    /**
     * The backward pass of kernelized RPE attention, as
     * {@link Kernels#rpeAttentionBackward(AttentionShape, float[], float[], float[], float[], float[], float[], float[], float[], float[])}.
     * By default the host implementation of the scalar backend. {@code gradBias} is a sum over the batch entries,
     * in their order, in float; with {@code accumulateBias} the sum continues from what {@code gradBias} holds (the
     * segment form's later chunks), so that chunked and whole calls give the same bits.
     *
     * @param s              the shape
     * @param phiQ           {@code [batch][length][heads][features]}
     * @param phiK           {@code [batch][length][heads][features]}
     * @param v              {@code [batch][length][heads][valueDim]}
     * @param bias           {@code [heads][2*length-1]}
     * @param gradOut        {@code [batch][length][heads][valueDim]}
     * @param gradPhiQ       output {@code [batch][length][heads][features]}
     * @param gradPhiK       output {@code [batch][length][heads][features]}
     * @param gradV          output {@code [batch][length][heads][valueDim]}
     * @param gradBias       output {@code [heads][2*length-1]}
     * @param accumulateBias whether to add to {@code gradBias} instead of overwriting it
     */
    protected void doRpeAttentionBackward(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias,
                                          float[] gradOut, float[] gradPhiQ, float[] gradPhiK, float[] gradV,
                                          float[] gradBias, boolean accumulateBias) {
        AttentionBackward.rpe(s, phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, gradBias, accumulateBias);
    }

    /**
     * The segment form of {@link #doRpeAttentionBackward(AttentionShape, float[], float[], float[], float[], float[], float[], float[], float[], float[], boolean)
     * doRpeAttentionBackward}: by default copies into pooled arrays, in chunks of whole batch entries, and runs the
     * array form, the bias gradient carried from chunk to chunk.
     *
     * @param s        the shape
     * @param phiQ     {@code [batch][length][heads][features]}
     * @param phiK     {@code [batch][length][heads][features]}
     * @param v        {@code [batch][length][heads][valueDim]}
     * @param bias     {@code [heads][2*length-1]}
     * @param gradOut  {@code [batch][length][heads][valueDim]}
     * @param gradPhiQ output {@code [batch][length][heads][features]}
     * @param gradPhiK output {@code [batch][length][heads][features]}
     * @param gradV    output {@code [batch][length][heads][valueDim]}
     * @param gradBias output {@code [heads][2*length-1]}
     */
    protected void doRpeAttentionBackward(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                                          MemorySegment bias, MemorySegment gradOut, MemorySegment gradPhiQ,
                                          MemorySegment gradPhiK, MemorySegment gradV, MemorySegment gradBias) {
        attentionBackwardInChunks(s, phiQ, phiK, v, bias, gradOut, gradPhiQ, gradPhiK, gradV, gradBias,
                s.featureLength() / s.batch(), this::doRpeAttentionBackward);
    }

    /** An attention backward kernel on arrays, for {@link #attentionBackwardInChunks}. */
    @FunctionalInterface
    private interface AttentionBackwardKernel {
        void run(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] gradOut, float[] gradQ,
                 float[] gradK, float[] gradV, float[] gradBias, boolean accumulateBias);
    }

    /** Both attention backward passes' segment forms: queries and keys of {@code perQk} floats per batch entry. */
    private static void attentionBackwardInChunks(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                                  MemorySegment bias, MemorySegment gradOut, MemorySegment gradQ,
                                                  MemorySegment gradK, MemorySegment gradV, MemorySegment gradBias,
                                                  int perQk, AttentionBackwardKernel kernel) {
        int perValues = s.valueLength() / s.batch();
        float[] ba = Segments.load(bias, s.biasLength());
        float[] gba = Segments.scratch(gradBias, s.biasLength());
        try {
            Segments.inChunks(s.batch(), Math.max(perQk, perValues), (b, nb) -> {
                float[] qa = Segments.load(q, (long) b * perQk, nb * perQk);
                float[] ka = Segments.load(k, (long) b * perQk, nb * perQk);
                float[] va = Segments.load(v, (long) b * perValues, nb * perValues);
                float[] ga = Segments.load(gradOut, (long) b * perValues, nb * perValues);
                float[] gqa = Segments.scratch(gradQ, nb * perQk);
                float[] gka = Segments.scratch(gradK, nb * perQk);
                float[] gva = Segments.scratch(gradV, nb * perValues);
                try {
                    kernel.run(chunk(s, nb), qa, ka, va, ba, ga, gqa, gka, gva, gba, b > 0);
                    Segments.store(gqa, gradQ, (long) b * perQk, nb * perQk);
                    Segments.store(gka, gradK, (long) b * perQk, nb * perQk);
                    Segments.store(gva, gradV, (long) b * perValues, nb * perValues);
                } finally {
                    Segments.release(qa);
                    Segments.release(ka);
                    Segments.release(va);
                    Segments.release(ga);
                    Segments.release(gqa);
                    Segments.release(gka);
                    Segments.release(gva);
                }
            });
            Segments.store(gba, gradBias, 0, s.biasLength());
        } finally {
            Segments.release(ba);
            Segments.release(gba);
        }
    }

    @Override
    public final void softmaxRpeAttentionBackward(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                                  float[] gradOut, float[] gradQ, float[] gradK, float[] gradV,
                                                  float[] gradBias) {
        ensureOpen();
        warm(Warmup.Family.SOFTMAX_ATTENTION);
        shape(s);
        SOFTMAX_ATTENTION_BACKWARD.arrays(s.keyLength(), s.valueLength(), s.biasLength(), 0, 0, q, k, v, bias,
                gradOut, gradQ, gradK, gradV, gradBias);
        doSoftmaxRpeAttentionBackward(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, gradBias, false);
    }

    @Override
    public final void softmaxRpeAttentionBackward(AttentionShape s, MemorySegment q, MemorySegment k,
                                                  MemorySegment v, MemorySegment bias, MemorySegment gradOut,
                                                  MemorySegment gradQ, MemorySegment gradK, MemorySegment gradV,
                                                  MemorySegment gradBias) {
        ensureOpen();
        warm(Warmup.Family.SOFTMAX_ATTENTION);
        shape(s);
        SOFTMAX_ATTENTION_BACKWARD.segments(s.keyLength(), s.valueLength(), s.biasLength(), 0, 0, q, k, v, bias,
                gradOut, gradQ, gradK, gradV, gradBias);
        doSoftmaxRpeAttentionBackward(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, gradBias);
    }

    /**
     * The backward pass of softmax RPE attention, as
     * {@link Kernels#softmaxRpeAttentionBackward(AttentionShape, float[], float[], float[], float[], float[], float[], float[], float[], float[])}.
     * By default the host implementation of the scalar backend; {@code accumulateBias} as for
     * {@link #doRpeAttentionBackward(AttentionShape, float[], float[], float[], float[], float[], float[], float[], float[], float[], boolean)}.
     *
     * @param s              the shape
     * @param q              {@code [batch][length][heads][keyDim]}
     * @param k              {@code [batch][length][heads][keyDim]}
     * @param v              {@code [batch][length][heads][valueDim]}
     * @param bias           {@code [heads][2*length-1]}
     * @param gradOut        {@code [batch][length][heads][valueDim]}
     * @param gradQ          output {@code [batch][length][heads][keyDim]}
     * @param gradK          output {@code [batch][length][heads][keyDim]}
     * @param gradV          output {@code [batch][length][heads][valueDim]}
     * @param gradBias       output {@code [heads][2*length-1]}
     * @param accumulateBias whether to add to {@code gradBias} instead of overwriting it
     */
    protected void doSoftmaxRpeAttentionBackward(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                                 float[] gradOut, float[] gradQ, float[] gradK, float[] gradV,
                                                 float[] gradBias, boolean accumulateBias) {
        AttentionBackward.softmax(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, gradBias, accumulateBias);
    }

    /**
     * The segment form of {@link #doSoftmaxRpeAttentionBackward(AttentionShape, float[], float[], float[], float[], float[], float[], float[], float[], float[], boolean)
     * doSoftmaxRpeAttentionBackward}: by default copies into pooled arrays, in chunks of whole batch entries, and
     * runs the array form, the bias gradient carried from chunk to chunk.
     *
     * @param s        the shape
     * @param q        {@code [batch][length][heads][keyDim]}
     * @param k        {@code [batch][length][heads][keyDim]}
     * @param v        {@code [batch][length][heads][valueDim]}
     * @param bias     {@code [heads][2*length-1]}
     * @param gradOut  {@code [batch][length][heads][valueDim]}
     * @param gradQ    output {@code [batch][length][heads][keyDim]}
     * @param gradK    output {@code [batch][length][heads][keyDim]}
     * @param gradV    output {@code [batch][length][heads][valueDim]}
     * @param gradBias output {@code [heads][2*length-1]}
     */
    protected void doSoftmaxRpeAttentionBackward(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                                 MemorySegment bias, MemorySegment gradOut, MemorySegment gradQ,
                                                 MemorySegment gradK, MemorySegment gradV, MemorySegment gradBias) {
        attentionBackwardInChunks(s, q, k, v, bias, gradOut, gradQ, gradK, gradV, gradBias,
                s.keyLength() / s.batch(), this::doSoftmaxRpeAttentionBackward);
    }
}
