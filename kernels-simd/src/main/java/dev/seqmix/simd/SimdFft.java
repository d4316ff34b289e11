package dev.seqmix.simd;

import dev.seqmix.internal.fft.Bluestein;
import dev.seqmix.internal.fft.ComplexProducts;
import dev.seqmix.internal.fft.FftSizes;
import dev.seqmix.internal.fft.FftCore;
import dev.seqmix.internal.fft.FftOfSize;

import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision FFT of one size {@code n} on the Vector API: the FFT engine of the {@code simd}
 * backend, with the API and conventions of the scalar reference {@code dev.seqmix.internal.fft.FftCore}
 * (forward {@code exp(-2 pi i jk/n)}, inverse {@code exp(+...)}, both unscaled; interleaved
 * {@code [re, im]}; numpy {@code rfft} layout for the real transforms).
 *
 * <p>Algorithms, with V the lane count of the species:
 * <ul>
 *   <li><b>Four-step</b> (n whose factors are 2, 3, 5, 7, n > 4 V, and C, the largest power of two
 *       dividing n up to V, at least 4 and V / 2): with n = M C and
 *       {@code j = C j1 + j2}, {@code k = k1 + M k2},
 *       <pre>
 *       X[k1 + M k2] = sum_j2 W_C^(j2 k2) W_n^(j2 k1) sum_j1 x[C j1 + j2] W_M^(j1 k1)
 *       </pre>
 *       (1) the input is deinterleaved so that row j1 holds x[C j1 .. C j1 + C) as one vector of
 *       real parts and one of imaginary parts (lanes past C: columns nobody reads); (2) the M-point
 *       DFTs over j1 run as Stockham passes whose elements are those rows (lanes = the columns j2,
 *       twiddles broadcast); (3) V x V tiles are transposed in registers, giving rows of M (padded to
 *       a multiple of V with zero rows), row j2 holding column j2, and multiplied by W_n^(j2 k1);
 *       (4) the C-point DFTs over j2 run as Stockham passes whose elements are those rows (vectors
 *       along k1); the result is in natural order and (5) is interleaved back, a row's last
 *       M mod V numbers one by one. With C = V and M a multiple of V nothing is padded; otherwise some lanes compute
 *       columns that are thrown away, which still beats the scalar passes (n = 128, 1000 on 16 lanes).</li>
 *   <li><b>Batches</b> ({@link #transformBatch}): V transforms at a time are transposed into
 *       n rows of V lanes (lane t = transform t) and run through the same passes, for any
 *       {2,3,5,7}-smooth n.</li>
 *   <li>n = 4 V: {@link SimdLaneDft}, in registers, the V-point DFTs across the lanes of each row.</li>
 *   <li>other {2,3,5,7}-smooth n (smaller than V^2 or not a multiple of it): the scalar Stockham
 *       passes of {@link FftCore}.</li>
 *   <li>any other n: Bluestein, over an inner power-of-two {@code SimdFft} of size M >= 2n - 1
 *       against the chirp filter's spectrum computed once in double.</li>
 *   <li>real transforms: even n through the half-length complex transform and a split with the
 *       twiddles {@code exp(-2 pi i k / n)}; odd n through the full complex transform.</li>
 * </ul>
 * Twiddles are computed in double with exact angle reduction and rounded once to float.
 *
 * <p>Instances are immutable and thread-safe. The transform methods allocate nothing: all work
 * memory is the caller's {@code scratch}, garbage on entry and on exit. Arrays passed to one call
 * must not overlap, except that {@code forwardReal} and {@code inverseReal} also work in place.
 */
public final class SimdFft extends FftOfSize {

    /**
     * Padding (floats) between the two ping-pong buffers and between the real and imaginary halves
     * of the split layout: power-of-two distances would map a butterfly's loads and stores to the
     * same cache sets (and 4K-alias stores with loads).
     */
    private static final int PAD = 32;

    /** Batches go lane-wise while 4 n V floats of scratch fit this (beyond, a loop of transform wins). */
    private static final int LANE_BATCH_MAX_FLOATS = 1 << 15;

    private final VectorSpecies<Float> species;
    private final int lanes;
    private final FloatVector zero;    // species.zero(): its class makes the species a JIT constant
    private final FloatVector[] shuffles;

    // Four-step plan (null otherwise): rows = the M-point DFTs (elements: rows of V lanes, C used),
    // cols = the C-point DFTs (elements: rows of M padded to paddedM), twiddles W_n^(j2 k1) at
    // [j2 paddedM + k1].
    private final int columns;         // C
    private final int paddedM;         // M rounded up to a multiple of V
    private final SimdFftPasses.Plan rows;
    private final SimdFftPasses.Plan cols;
    private final float[] stepRe;
    private final float[] stepNeg;     // -sin: the forward twiddles' imaginary parts
    private final float[] stepPos;     // +sin: the inverse ones'

    // n = 4 V: the lane DFT codelet (null otherwise).
    private final SimdLaneDft small;

    // Scalar Stockham plan (null otherwise).
    private final FftCore scalar;

    // Lane-wise batch plan: n rows of V lanes (null when n is not smooth).
    private final SimdFftPasses.Plan batchPlan;

    // Bluestein plan (null for smooth sizes).
    private final Bluestein bluestein; // null for smooth sizes

    // Real transforms (only on plans made by create; null on inner ones).
    private final SimdFft half;        // n / 2, for even n
    private final float[] realTwiddles; // (cos, sin) of 2 pi k / n for k in [0, n/4], even n
    private final float[] splitTwiddles; // the same, split for SimdRealSplit; null where it does not apply

    private SimdFft(int n, VectorSpecies<Float> species, boolean withReal) {
        super(n);
        this.species = species;
        this.lanes = species.length();
        int v = lanes;
        boolean vectorOk = v == 4 || v == 8 || v == 16;
        this.zero = FloatVector.zero(species);
        this.shuffles = vectorOk ? SimdFftPasses.shuffleIndexes(species) : null;
        boolean smooth = FftCore.isSmooth(n);

        small = vectorOk && species.equals(SimdSupport.SPECIES) && SimdLaneDft.serves(n, v)
                ? new SimdLaneDft(n, species) : null;
        int c = smooth && vectorOk && small == null ? fourStepColumns(n, v) : 0;
        if (c > 0) {
            int m = n / c;
            int mp = SimdSupport.roundUp(m, v);
            columns = c;
            paddedM = mp;
            rows = new SimdFftPasses.Plan(m);
            cols = new SimdFftPasses.Plan(c);
            stepRe = new float[c * mp];
            stepNeg = new float[c * mp];
            stepPos = new float[c * mp];
            double[] cs = new double[2];
            for (int j2 = 0; j2 < c; j2++) {
                for (int k1 = 0; k1 < m; k1++) {
                    FftCore.unitRoot((long) j2 * k1, n, cs);
                    stepRe[j2 * mp + k1] = (float) cs[0];
                    stepNeg[j2 * mp + k1] = (float) -cs[1];
                    stepPos[j2 * mp + k1] = (float) cs[1];
                }
            }
            scalar = null;
        } else {
            columns = 0;
            paddedM = 0;
            rows = null;
            cols = null;
            stepRe = null;
            stepNeg = null;
            stepPos = null;
            scalar = smooth && small == null ? FftCore.createComplex(n) : null;
        }
        batchPlan = smooth && vectorOk && n > 1 ? new SimdFftPasses.Plan(n) : null;

        if (smooth) {
            bluestein = null;
        } else {
            bluestein = new Bluestein(n, new SimdFft(FftSizes.convolution(n), species, false),
                    species.equals(SimdSupport.SPECIES) ? SimdComplexProducts.INSTANCE : ComplexProducts.SCALAR);
        }

        if (withReal && n % 2 == 0) {
            half = new SimdFft(n / 2, species, false);
            realTwiddles = FftCore.realTwiddles(n);
            // the vector split is compiled for the backend's species only
            splitTwiddles = species.equals(SimdSupport.SPECIES) ? SimdRealSplit.twiddles(realTwiddles, n) : null;
        } else {
            half = null;
            realTwiddles = null;
            splitTwiddles = null;
        }
    }

    /**
     * Plans transforms of size {@code n} on vectors of {@code species}, precomputing every table.
     *
     * @param n       the transform size
     * @param species the float vector species to compute with
     * @return the plan
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 2^27}
     */
    public static SimdFft create(int n, VectorSpecies<Float> species) {
        Objects.requireNonNull(species, "species");
        FftSizes.check(n);
        if (species.elementType() != float.class) {
            throw new IllegalArgumentException("species: expected a float species, got " + species);
        }
        return new SimdFft(n, species, true);
    }

    /**
     * C of the four-step algorithm for n on V lanes, or 0 where the scalar passes are used: the largest
     * power of two dividing n, at most V, and at least 4 and V / 2; and n > 4 V. Measured on 16 lanes:
     * n = 32 ... 64 and C = 4 (n = 500) ran slower than the scalar passes, the tiles and the unused lanes
     * costing more than they save.
     */
    static int fourStepColumns(int n, int v) {
        int c = Math.min(Integer.lowestOneBit(n), v);
        return c >= 4 && c >= v / 2 && n > 4 * v ? c : 0;
    }

    /** Floats of one four-step buffer: V rows of paddedM in the split layout, or paddedM rows of 2V. */
    private int fourStepBuffer() {
        return 2 * lanes * paddedM + 2 * PAD;
    }

    @Override
    public int scratchFloats() {
        if (rows != null) {
            return 2 * fourStepBuffer();
        }
        if (small != null) {
            return small.scratchFloats();
        }
        if (scalar != null) {
            return scalar.scratchFloats();
        }
        return bluestein.scratchFloats();
    }

    /**
     * Number of scratch floats {@link #transformBatch} needs for {@code batch} transforms.
     *
     * @param batch the number of transforms, at least 0
     * @return the scratch length in floats
     */
    public int batchScratchFloats(int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch: expected >= 0, got " + batch);
        }
        int single = batch == 0 ? 0 : scratchFloats();
        if (laneBatches(batch)) {
            return Math.max(single, 4 * n * lanes + 2 * PAD);
        }
        return single;
    }

    /**
     * {@code batch} consecutive complex transforms in place, transform b on
     * {@code data[off + 2 n b .. off + 2 n (b + 1))}; the same results as a loop of
     * {@link #transform}.
     *
     * @param data    the interleaved complex vectors, transformed in place
     * @param off     the first float of transform 0 in {@code data}
     * @param batch   the number of transforms, at least 0
     * @param inverse the inverse (unscaled) transform instead of the forward one
     * @param scratch at least {@link #batchScratchFloats(int) batchScratchFloats(batch)} floats
     */
    public void transformBatch(float[] data, int off, int batch, boolean inverse, float[] scratch) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(scratch, "scratch");
        if (batch < 0) {
            throw new IllegalArgumentException("batch: expected >= 0, got " + batch);
        }
        long total = 2L * n * batch;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch: 2 * n * batch overflows an int (n = " + n
                    + ", batch = " + batch + ")");
        }
        Objects.checkFromIndexSize(off, (int) total, data.length);
        checkScratch(scratch, batchScratchFloats(batch));
        int done = 0;
        if (laneBatches(batch)) {
            int groups = batch / lanes;
            for (int g = 0; g < groups; g++) {
                laneGroup(data, off + g * lanes * 2 * n, inverse, scratch);
            }
            done = groups * lanes;
        }
        for (int b = done; b < batch; b++) {
            transform(data, off + 2 * n * b, inverse, scratch, 0);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Complex transform

    @Override
    public void transform(float[] data, int off, boolean inverse, float[] scratch, int so) {
        if (rows != null) {
            fourStep(data, off, inverse, scratch, so);
        } else if (small != null) {
            small.transform(data, off, inverse, scratch, so);
        } else if (scalar != null) {
            scalar.transform(data, off, inverse, scratch, so);
        } else {
            bluestein.transform(data, off, inverse, scratch, so);
        }
    }

    /**
     * The four-step algorithm of the class comment; scratch: two buffers of {@link #fourStepBuffer()}
     * floats (split layout: real parts, PAD, imaginary parts).
     */
    private void fourStep(float[] d, int off, boolean inv, float[] s, int so) {
        FloatVector z = zero;
        FloatVector[] ix = shuffles;
        int v = lanes;
        int c = columns;
        int m = n / c;
        int mp = paddedM;
        int io = v * mp + PAD;                    // imaginary parts in the split layout
        int a = so;
        int b = so + fourStepBuffer();
        // (1) + (2) M-point DFTs down the columns (row j1: real parts at 2 v j1, imaginary parts right
        // after them), the first pass reading the interleaved input where it is radix 4
        int cur;
        if (c == v && rows.radix[0] == 4) {
            SimdFftPasses.first4In(z, ix, d, off, m, s, a, 2 * v, v, inv);
            cur = rows.run(z, s, a, b, v, 2 * v, v, inv, 1);
        } else {
            SimdFftPasses.deinterleave(z, ix, d, off, 2 * c, m, s, a, 2 * v, v);
            cur = rows.run(z, s, a, b, v, 2 * v, v, inv, 0);
        }
        int t = cur == a ? b : a;
        // (3) transpose into rows of mp (real parts at t, imaginary at t + io); the rows past M are
        // zeros, so that the padding lanes hold finite numbers whatever the scratch held
        if (mp > m) {
            Arrays.fill(s, cur + 2 * v * m, cur + 2 * v * mp, 0f);
        }
        for (int kb = 0; kb < mp; kb += v) {
            SimdFftPasses.transposeTile(z, ix, s, cur + 2 * v * kb, 2 * v, s, t + kb, mp);
            SimdFftPasses.transposeTile(z, ix, s, cur + 2 * v * kb + v, 2 * v, s, t + io + kb, mp);
        }
        // (4) C-point DFTs across the rows, the first pass multiplying by W_n^(j2 k1) first,
        // (5) back to interleaved, natural order
        SimdFftPasses.first4Tw(z, s, t, cur, c, mp, mp, io, inv, stepRe, inv ? stepPos : stepNeg,
                inv ? stepNeg : stepPos);
        int res = cols.run(z, s, cur, t, mp, mp, io, inv, 1);
        SimdFftPasses.interleaveRows(z, ix, s, res, mp, io, c, m, d, off);
    }

    // ---------------------------------------------------------------------------------------
    // Batches

    private boolean laneBatches(int batch) {
        return batchPlan != null && batch >= lanes && (long) 4 * n * lanes <= LANE_BATCH_MAX_FLOATS;
    }

    /**
     * V consecutive transforms at d[g ..]: gathered into n rows of V lanes (element j of
     * transform t in lane t of row j, real parts at a + 2 V j, imaginary parts right after), run
     * through the passes, and scattered back. Both moves are V x V tile transposes: the tile at
     * float f0 of each transform becomes the rows of floats f0 .. f0 + V, alternately real and
     * imaginary parts.
     */
    private void laneGroup(float[] d, int g, boolean inv, float[] s) {
        FloatVector z = zero;
        VectorSpecies<Float> sp = SimdFftPasses.speciesOf(z);
        FloatVector[] ix = shuffles;
        int v = lanes;
        int len = 2 * n;
        int a = 0;
        int b = 2 * n * v + 2 * PAD;
        int full = len - len % v;
        for (int f0 = 0; f0 < full; f0 += v) {
            SimdFftPasses.transposeTile(z, ix, d, g + f0, len, s, a + f0 * v, v);
        }
        for (int f = full; f < len; f++) {
            for (int t = 0; t < v; t++) {
                s[a + f * v + t] = d[g + t * len + f];
            }
        }
        int cur = batchPlan.run(z, s, a, b, v, 2 * v, v, inv);
        for (int f0 = 0; f0 < full; f0 += v) {
            SimdFftPasses.transposeTile(z, ix, s, cur + f0 * v, v, d, g + f0, len);
        }
        for (int f = full; f < len; f++) {
            for (int t = 0; t < v; t++) {
                d[g + t * len + f] = s[cur + f * v + t];
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Bluestein


    // ---------------------------------------------------------------------------------------
    // Real transforms

    @Override
    protected FftOfSize half() {
        return half;
    }

    @Override
    protected void split(float[] out, int o) {
        if (splitTwiddles != null) {
            SimdRealSplit.split(out, o, n, realTwiddles, splitTwiddles);
        } else {
            FftCore.splitReal(out, o, n, realTwiddles);
        }
    }

    @Override
    protected void merge(float[] in, int i0, float[] out, int o) {
        if (splitTwiddles != null) {
            SimdRealSplit.merge(in, i0, out, o, n, realTwiddles, splitTwiddles);
        } else {
            FftCore.mergeReal(in, i0, out, o, n, realTwiddles);
        }
    }
}
