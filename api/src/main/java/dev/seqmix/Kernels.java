package dev.seqmix;

import java.lang.foreign.MemorySegment;

/**
 * The operations of one backend. Obtain one from {@link Seqmix#kernels()} and close it when done.
 *
 * <h2>Conventions (all methods)</h2>
 * <ul>
 *   <li>Data is {@code float}, in plain arrays or in {@link MemorySegment}s holding native-order floats
 *       (off-heap or heap, any arena, any alignment). The two forms give the same results.</li>
 *   <li>Arrays are row-major; sequence arrays are {@code [batch][time][channels]}, channels contiguous.</li>
 *   <li>Every array (segment) must have exactly the length (byte size {@code 4 * length}) its shape
 *       implies. Outputs are supplied by the caller and completely overwritten; inputs are never
 *       modified. An output may be the same array as an input only where a method says so; otherwise
 *       sharing (or overlapping segments) is an {@link IllegalArgumentException}.</li>
 *   <li>Errors: a required array that is {@code null} gives {@link NullPointerException} naming the
 *       parameter; a bad dimension, a wrong length, a size overflow or a NaN or infinite offset gives
 *       {@link IllegalArgumentException} naming the parameter with what was expected and what came; a
 *       read-only output segment gives {@link IllegalArgumentException}; any call after {@link #close()}
 *       gives {@link IllegalStateException}; a device or driver failure gives {@link SeqmixException}.</li>
 *   <li>A {@code Kernels} instance and its {@link FftPlan}s may be used from many threads at once.
 *       Results are deterministic: the same backend, input and thread count give the same bits.</li>
 *   <li>Large calls are split across {@code -Dseqmix.threads} worker threads (default: all cores);
 *       small calls, and calls whose segments other threads may not access, stay on the calling thread.</li>
 * </ul>
 */
public interface Kernels extends AutoCloseable {

    /** {@return the backend's name, availability and device or vector width} */
    BackendInfo info();

    // ---------------------------------------------------------------- scan

    /**
     * Inclusive prefix sum along time, independently for every (batch, channel):
     * {@code out[b][t][c] = sum_{j <= t} x[b][j][c]}. {@code out} may be the same array as {@code x}.
     *
     * @param batch    independent sequences, at least 1
     * @param time     sequence length, at least 1
     * @param channels channels per step, at least 1
     * @param x        input {@code [batch][time][channels]}
     * @param out      output {@code [batch][time][channels]}
     */
    void cumsum(int batch, int time, int channels, float[] x, float[] out);

    /**
     * {@link #cumsum(int, int, int, float[], float[])} on segments; {@code out} may be {@code x}.
     *
     * @param batch    independent sequences, at least 1
     * @param time     sequence length, at least 1
     * @param channels channels per step, at least 1
     * @param x        input {@code [batch][time][channels]}
     * @param out      output {@code [batch][time][channels]}
     */
    void cumsum(int batch, int time, int channels, MemorySegment x, MemorySegment out);

    /**
     * Inclusive suffix sum along time (the adjoint of {@link #cumsum}):
     * {@code out[b][t][c] = sum_{j >= t} x[b][j][c]}. {@code out} may be the same array as {@code x}.
     *
     * @param batch    independent sequences, at least 1
     * @param time     sequence length, at least 1
     * @param channels channels per step, at least 1
     * @param x        input {@code [batch][time][channels]}
     * @param out      output {@code [batch][time][channels]}
     */
    void cumsumReverse(int batch, int time, int channels, float[] x, float[] out);

    /**
     * {@link #cumsumReverse(int, int, int, float[], float[])} on segments; {@code out} may be {@code x}.
     *
     * @param batch    independent sequences, at least 1
     * @param time     sequence length, at least 1
     * @param channels channels per step, at least 1
     * @param x        input {@code [batch][time][channels]}
     * @param out      output {@code [batch][time][channels]}
     */
    void cumsumReverse(int batch, int time, int channels, MemorySegment x, MemorySegment out);

    // ---------------------------------------------------------------- TaLK

    /**
     * TaLK convolution forward (docs/contract.md#talk-forward). With {@code K = maxLeft + maxRight + 1},
     * {@code S = cumsum(x / K)}, {@code S[-1] = 0}, for every (b, t, h) and channel c of head h:
     * <pre>
     * lo = clamp(t - left[b][t][h]  * maxLeft,  0, T-1)
     * hi = clamp(t + right[b][t][h] * maxRight, 0, T-1)
     * out[b][t][c] = (1-aR)*S[floor(hi)] + aR*S[ceil(hi)] - (aL*S[floor(lo)-1] + (1-aL)*S[ceil(lo)-1])
     * aL = ceil(lo) - lo,  aR = hi - floor(hi)
     * </pre>
     * Offsets are not clamped, only positions. Causal form ({@code maxRight == 0}): {@code right} may be
     * null and is ignored.
     *
     * @param s     the shape
     * @param x     {@code [batch][time][channels]}
     * @param left  {@code [batch][time][heads]}, finite
     * @param right {@code [batch][time][heads]}, finite; ignored (may be null) when {@code maxRight == 0}
     * @param out   output {@code [batch][time][channels]}
     * @throws IllegalArgumentException also for a NaN or infinite offset, naming the array and index
     */
    void talkForward(TalkShape s, float[] x, float[] left, float[] right, float[] out);

    /**
     * {@link #talkForward(TalkShape, float[], float[], float[], float[])} on segments.
     *
     * @param s     the shape
     * @param x     {@code [batch][time][channels]}
     * @param left  {@code [batch][time][heads]}, finite
     * @param right {@code [batch][time][heads]}, finite; ignored (may be null) when {@code maxRight == 0}
     * @param out   output {@code [batch][time][channels]}
     */
    void talkForward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right, MemorySegment out);

    /**
     * TaLK convolution backward (docs/contract.md#talk-backward): given {@code gradOut}, fills {@code gradX},
     * {@code gradLeft} and {@code gradRight}. At an integer (or clamped) position the offset gradient
     * is 0. Deterministic: no atomics, the same bits on every run. Causal form: {@code right} and
     * {@code gradRight} may be null; a non-null {@code gradRight} is filled with zeros.
     *
     * @param s         the shape
     * @param x         the forward pass's input {@code [batch][time][channels]}
     * @param left      the forward pass's left offsets {@code [batch][time][heads]}
     * @param right     the forward pass's right offsets {@code [batch][time][heads]}; may be null when causal
     * @param gradOut   {@code [batch][time][channels]}
     * @param gradX     output {@code [batch][time][channels]}
     * @param gradLeft  output {@code [batch][time][heads]}
     * @param gradRight output {@code [batch][time][heads]}; may be null when causal
     */
    void talkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                      float[] gradX, float[] gradLeft, float[] gradRight);

    /**
     * {@link #talkBackward(TalkShape, float[], float[], float[], float[], float[], float[], float[])} on segments.
     *
     * @param s         the shape
     * @param x         the forward pass's input {@code [batch][time][channels]}
     * @param left      the forward pass's left offsets {@code [batch][time][heads]}
     * @param right     the forward pass's right offsets {@code [batch][time][heads]}; may be null when causal
     * @param gradOut   {@code [batch][time][channels]}
     * @param gradX     output {@code [batch][time][channels]}
     * @param gradLeft  output {@code [batch][time][heads]}
     * @param gradRight output {@code [batch][time][heads]}; may be null when causal
     */
    void talkBackward(TalkShape s, MemorySegment x, MemorySegment left, MemorySegment right,
                      MemorySegment gradOut, MemorySegment gradX, MemorySegment gradLeft,
                      MemorySegment gradRight);

    /**
     * A causal TaLK stream for inference, one time step per {@link TalkStream#step} call, giving
     * exactly the rows of the causal {@link #talkForward}. Needs {@code s.maxRight() == 0}; ignores
     * {@code s.time()}. The stream holds {@code O(maxLeft * channels)} state per batch row.
     *
     * @param s the shape, causal ({@code maxRight == 0}); {@code time} is ignored
     * @return a new stream at time 0
     * @throws IllegalArgumentException if {@code s.maxRight() != 0}
     */
    TalkStream talkStream(TalkShape s);

    // ---------------------------------------------------------------- FFT

    /**
     * The FFT plan of size {@code n}, any {@code n >= 1} up to {@code 2^27}; cached per size, so
     * repeated calls return the same plan.
     *
     * @param n the transform size
     * @return the plan of size {@code n}
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    FftPlan fftPlan(int n);

    // ---------------------------------------------------------------- Toeplitz

    /**
     * {@code batch} independent products of an {@code n x n} Toeplitz matrix with an {@code n x cols}
     * matrix: {@code y[b][i][k] = sum_j coeffs[b][(j - i) + n - 1] * x[b][j][k]}. Direct below a
     * crossover size, by FFT (circulant embedding) above it.
     *
     * @param batch  independent products, at least 1
     * @param n      the Toeplitz matrix's order, at least 1
     * @param cols   columns of {@code x} and {@code y}, at least 1
     * @param coeffs {@code [batch][2n-1]}, the coefficient of offset {@code j - i} at {@code j - i + n - 1}
     * @param x      {@code [batch][n][cols]}
     * @param y      output {@code [batch][n][cols]}
     */
    void toeplitzMatmul(int batch, int n, int cols, float[] coeffs, float[] x, float[] y);

    /**
     * {@link #toeplitzMatmul(int, int, int, float[], float[], float[])} on segments.
     *
     * @param batch  independent products, at least 1
     * @param n      the Toeplitz matrix's order, at least 1
     * @param cols   columns of {@code x} and {@code y}, at least 1
     * @param coeffs {@code [batch][2n-1]}, the coefficient of offset {@code j - i} at {@code j - i + n - 1}
     * @param x      {@code [batch][n][cols]}
     * @param y      output {@code [batch][n][cols]}
     */
    void toeplitzMatmul(int batch, int n, int cols, MemorySegment coeffs, MemorySegment x, MemorySegment y);

    // ---------------------------------------------------------------- attention

    /**
     * Positive random features (Performer). Per (batch, position, head), with {@code x' = x / keyDim^(1/4)}:
     * <pre>
     * phi[r] = (exp(w_r . x' - |x'|^2/2 - s) + 1e-6) / sqrt(features)
     * </pre>
     * where {@code s} is the maximum of {@code w_r . x' - |x'|^2/2} over r for queries (per row), and
     * over r and all positions for keys (per batch and head).
     *
     * @param s          the shape ({@code batch}, {@code length}, {@code heads}, {@code keyDim}, {@code features})
     * @param x          {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}, rows {@code w_r}
     * @param queries    whether {@code x} holds queries (per-row stabilizer) or keys
     * @param phi        output {@code [batch][length][heads][features]}
     */
    void randomFeatures(AttentionShape s, float[] x, float[] projection, boolean queries, float[] phi);

    /**
     * {@link #randomFeatures(AttentionShape, float[], float[], boolean, float[])} on segments.
     *
     * @param s          the shape ({@code batch}, {@code length}, {@code heads}, {@code keyDim}, {@code features})
     * @param x          {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}, rows {@code w_r}
     * @param queries    whether {@code x} holds queries (per-row stabilizer) or keys
     * @param phi        output {@code [batch][length][heads][features]}
     */
    void randomFeatures(AttentionShape s, MemorySegment x, MemorySegment projection, boolean queries,
                        MemorySegment phi);

    /**
     * Kernelized attention with relative positional encoding, in {@code O(n log n)} time through the
     * FFT Toeplitz product. Per (batch, head), with {@code c[t] = exp(bias[h][t + n - 1] - max(bias[h]))}:
     * <pre>
     * out[i] = sum_j c[j-i] (phiQ[i] . phiK[j]) v[j]  /  sum_j c[j-i] (phiQ[i] . phiK[j])
     * </pre>
     * over all j, or {@code j <= i} when causal. A row whose denominator is not positive is all zeros.
     *
     * @param s    the shape ({@code keyDim} unused)
     * @param phiQ {@code [batch][length][heads][features]}
     * @param phiK {@code [batch][length][heads][features]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    void rpeAttention(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] out);

    /**
     * {@link #rpeAttention(AttentionShape, float[], float[], float[], float[], float[])} on segments.
     *
     * @param s    the shape ({@code keyDim} unused)
     * @param phiQ {@code [batch][length][heads][features]}
     * @param phiK {@code [batch][length][heads][features]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    void rpeAttention(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                      MemorySegment bias, MemorySegment out);

    /**
     * Exact softmax attention with relative position bias, the {@code O(n^2)} baseline:
     * {@code out[i] = sum_j w_ij v[j] / sum_j w_ij}, {@code w_ij = exp(q_i . k_j / sqrt(keyDim) + bias[h][j - i + n - 1])},
     * computed stably (row maximum subtracted); {@code j <= i} when causal.
     *
     * @param s    the shape ({@code features} unused)
     * @param q    {@code [batch][length][heads][keyDim]}
     * @param k    {@code [batch][length][heads][keyDim]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    void softmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out);

    /**
     * {@link #softmaxRpeAttention(AttentionShape, float[], float[], float[], float[], float[])} on segments.
     *
     * @param s    the shape ({@code features} unused)
     * @param q    {@code [batch][length][heads][keyDim]}
     * @param k    {@code [batch][length][heads][keyDim]}
     * @param v    {@code [batch][length][heads][valueDim]}
     * @param bias {@code [heads][2*length-1]}
     * @param out  output {@code [batch][length][heads][valueDim]}
     */
    void softmaxRpeAttention(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                             MemorySegment bias, MemorySegment out);

    // ---------------------------------------------------------------- attention backward

    /**
     * The backward pass of {@link #randomFeatures(AttentionShape, float[], float[], boolean, float[])}: given
     * {@code gradPhi}, the gradient of a loss with respect to {@code phi}, fills {@code gradX}, its gradient with
     * respect to {@code x} (docs/contract.md#attention-backward). The stabilizer {@code s} is a constant (no
     * gradient flows through the maximum, as in Performer implementations) and the projection is fixed:
     * <pre>
     * gradX = keyDim^(-1/4) * sum_r gradPhi[r] * e[r] * (w_r - x'),   e[r] = exp(w_r . x' - |x'|^2/2 - s) / sqrt(features)
     * </pre>
     * @param s          the shape, as for the forward
     * @param x          the forward's input {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}
     * @param queries    as for the forward: which stabilizer it used
     * @param gradPhi    {@code [batch][length][heads][features]}
     * @param gradX      output {@code [batch][length][heads][keyDim]}
     */
    void randomFeaturesBackward(AttentionShape s, float[] x, float[] projection, boolean queries, float[] gradPhi,
                                float[] gradX);

    /**
     * {@link #randomFeaturesBackward(AttentionShape, float[], float[], boolean, float[], float[])} on segments.
     * @param s          the shape, as for the forward
     * @param x          the forward's input {@code [batch][length][heads][keyDim]}
     * @param projection {@code [features][keyDim]}
     * @param queries    as for the forward: which stabilizer it used
     * @param gradPhi    {@code [batch][length][heads][features]}
     * @param gradX      output {@code [batch][length][heads][keyDim]}
     */
    void randomFeaturesBackward(AttentionShape s, MemorySegment x, MemorySegment projection, boolean queries,
                                MemorySegment gradPhi, MemorySegment gradX);

    /**
     * The backward pass of {@link #rpeAttention(AttentionShape, float[], float[], float[], float[], float[])}: the
     * exact gradient of the forward as defined there (docs/contract.md#attention-backward), in
     * {@code O(n log n)}: the gradients of phiQ, phiK and v are Toeplitz products with {@code c} and its
     * transpose, the gradient of {@code c} a sum of cross-correlations, all by FFT. A row whose denominator is not
     * positive has output zero and passes no gradient. The bias enters through {@code c[t] = exp(bias[h][t + n - 1]
     * - max(bias[h]))}; the maximum cancels in the ratio, so {@code gradBias[h][t + n - 1] = c[t] * dL/dc[t]},
     * summed over the batch (entries {@code j > i} of a causal shape get 0). Deterministic; every output
     * overwritten.
     * @param s        the shape ({@code keyDim} unused)
     * @param phiQ     {@code [batch][length][heads][features]}
     * @param phiK     {@code [batch][length][heads][features]}
     * @param v        {@code [batch][length][heads][valueDim]}
     * @param bias     {@code [heads][2*length-1]}
     * @param gradOut  the gradient of the forward's output {@code [batch][length][heads][valueDim]}
     * @param gradPhiQ output {@code [batch][length][heads][features]}
     * @param gradPhiK output {@code [batch][length][heads][features]}
     * @param gradV    output {@code [batch][length][heads][valueDim]}
     * @param gradBias output {@code [heads][2*length-1]}
     */
    void rpeAttentionBackward(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] gradOut,
                              float[] gradPhiQ, float[] gradPhiK, float[] gradV, float[] gradBias);

    /**
     * {@link #rpeAttentionBackward(AttentionShape, float[], float[], float[], float[], float[], float[], float[], float[], float[])}
     * on segments.
     * @param s        the shape ({@code keyDim} unused)
     * @param phiQ     {@code [batch][length][heads][features]}
     * @param phiK     {@code [batch][length][heads][features]}
     * @param v        {@code [batch][length][heads][valueDim]}
     * @param bias     {@code [heads][2*length-1]}
     * @param gradOut  the gradient of the forward's output {@code [batch][length][heads][valueDim]}
     * @param gradPhiQ output {@code [batch][length][heads][features]}
     * @param gradPhiK output {@code [batch][length][heads][features]}
     * @param gradV    output {@code [batch][length][heads][valueDim]}
     * @param gradBias output {@code [heads][2*length-1]}
     */
    void rpeAttentionBackward(AttentionShape s, MemorySegment phiQ, MemorySegment phiK, MemorySegment v,
                              MemorySegment bias, MemorySegment gradOut, MemorySegment gradPhiQ,
                              MemorySegment gradPhiK, MemorySegment gradV, MemorySegment gradBias);

    /**
     * The backward pass of {@link #softmaxRpeAttention(AttentionShape, float[], float[], float[], float[], float[])}
     * (docs/contract.md#attention-backward), flash-attention style: the probabilities are recomputed row by row
     * from the inputs, {@code O(n)} memory, no {@code n x n} matrix. With {@code p_ij} the forward's weights,
     * {@code dp_ij = gradOut_i . v_j} and {@code ds_ij = p_ij (dp_ij - gradOut_i . out_i)}:
     * {@code gradQ_i = sum_j ds_ij k_j / sqrt(keyDim)}, {@code gradK_j = sum_i ds_ij q_i / sqrt(keyDim)},
     * {@code gradV_j = sum_i p_ij gradOut_i}, {@code gradBias[h][j - i + n - 1] = sum ds_ij} over the batch and
     * the pairs at that offset. Deterministic; every output overwritten.
     * @param s        the shape ({@code features} unused)
     * @param q        {@code [batch][length][heads][keyDim]}
     * @param k        {@code [batch][length][heads][keyDim]}
     * @param v        {@code [batch][length][heads][valueDim]}
     * @param bias     {@code [heads][2*length-1]}
     * @param gradOut  the gradient of the forward's output {@code [batch][length][heads][valueDim]}
     * @param gradQ    output {@code [batch][length][heads][keyDim]}
     * @param gradK    output {@code [batch][length][heads][keyDim]}
     * @param gradV    output {@code [batch][length][heads][valueDim]}
     * @param gradBias output {@code [heads][2*length-1]}
     */
    void softmaxRpeAttentionBackward(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] gradOut,
                                     float[] gradQ, float[] gradK, float[] gradV, float[] gradBias);

    /**
     * {@link #softmaxRpeAttentionBackward(AttentionShape, float[], float[], float[], float[], float[], float[], float[], float[], float[])}
     * on segments.
     * @param s        the shape ({@code features} unused)
     * @param q        {@code [batch][length][heads][keyDim]}
     * @param k        {@code [batch][length][heads][keyDim]}
     * @param v        {@code [batch][length][heads][valueDim]}
     * @param bias     {@code [heads][2*length-1]}
     * @param gradOut  the gradient of the forward's output {@code [batch][length][heads][valueDim]}
     * @param gradQ    output {@code [batch][length][heads][keyDim]}
     * @param gradK    output {@code [batch][length][heads][keyDim]}
     * @param gradV    output {@code [batch][length][heads][valueDim]}
     * @param gradBias output {@code [heads][2*length-1]}
     */
    void softmaxRpeAttentionBackward(AttentionShape s, MemorySegment q, MemorySegment k, MemorySegment v,
                                     MemorySegment bias, MemorySegment gradOut, MemorySegment gradQ,
                                     MemorySegment gradK, MemorySegment gradV, MemorySegment gradBias);

    /** Releases device memory, queues and programs. Idempotent; any later call throws {@link IllegalStateException}. */
    @Override
    void close();
}
