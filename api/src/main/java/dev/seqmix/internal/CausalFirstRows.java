package dev.seqmix.internal;

import dev.seqmix.AttentionShape;

/**
 * The first rows of a causal head's {@code gradPhiQ} in kernelized RPE attention, computed directly. For row i,
 * {@code gradPhiQ[i][r] = sum_{j <= i} c[j - i] phiK[j][r] (gradOut_i . v_j - gradOut_i . out_i) / den_i}: by FFT
 * this is a difference of two products whose absolute error (a fraction of the whole column's norm) is divided by
 * {@code den_i}, and the first rows of a causal head have few keys, a small denominator and terms that cancel
 * (row 0's exact gradient is zero: its output is {@code v_0} whatever {@code phiQ_0}); measured, row 0 alone carried
 * an error of 2.6e-4 of the gradient's norm at n = 521. Their sums are short, so they are formed here, in double,
 * in O(ROWS^2 (features + valueDim)) a head. The host backwards call {@link #sums} before and {@link #gradPhiQ}
 * after their FFT products; opencl's rpe_backward_rows forms the same sums on the device (device code: the one
 * repetition of these loops, taking {@link #rows} as its argument).
 */
public final class CausalFirstRows {
    /** Rows computed directly: past them the FFT's error over {@code den_i} is below 1e-6 of the gradient. */
    public static final int ROWS = 32;

    private CausalFirstRows() {
    }

    private static int row(AttentionShape s, int b, int l, int h) {
        return (b * s.length() + l) * s.heads() + h;
    }

    /**
     * Overwrites {@code gradPhiQ} of the first {@link #rows} rows of head (b, h) from their direct sums.
     *
     * @param s        the shape
     * @param phiK     {@code [batch][length][heads][features]}
     * @param v        {@code [batch][length][heads][valueDim]}
     * @param c        the head's coefficients ({@link RpeCoefficients}), offset {@code j - i} at {@code cOff + j - i + n - 1}
     * @param cOff     where they start
     * @param gradOut  {@code [batch][length][heads][valueDim]}
     * @param sums     what {@link #sums} wrote for this head
     * @param at       where it wrote them
     * @param gradPhiQ output {@code [batch][length][heads][features]}
     * @param b        the batch entry
     * @param h        the head
     */
    public static void gradPhiQ(AttentionShape s, float[] phiK, float[] v, float[] c, int cOff, float[] gradOut,
                                double[] sums, int at, float[] gradPhiQ, int b, int h) {
        int n = s.length();
        int m = s.features();
        int dv = s.valueDim();
        for (int i = 0; i < rows(s); i++) {
            int qi = row(s, b, i, h) * m;
            int gi = row(s, b, i, h) * dv;
            double den = sums[at + 2 * i];
            if (!(den > 0)) {
                java.util.Arrays.fill(gradPhiQ, qi, qi + m, 0f);
                continue;
            }
            double gOut = sums[at + 2 * i + 1] / den;
            for (int r = 0; r < m; r++) {
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    int kj = row(s, b, j, h);
                    sum += c[cOff + j - i + n - 1] * phiK[kj * m + r] * (dot(gradOut, gi, v, kj * dv, dv) - gOut);
                }
                gradPhiQ[qi + r] = (float) (sum / den);
            }
        }
    }

    /** {@return the rows {@link #sums} computes for {@code s}: {@code min(ROWS, n)} when causal, else 0} @param s the shape */
    public static int rows(AttentionShape s) {
        return s.causal() ? Math.min(ROWS, s.length()) : 0;
    }

    /**
     * For the first {@link #rows} rows i of head (b, h), directly in double: {@code dst[at + 2i] = den_i} and
     * {@code dst[at + 2i + 1] = gradOut_i . num_i}. A backward uses them in place of its FFT sums for these rows,
     * whose denominators are small (few keys) and whose FFT sums carry an absolute error of a fraction of the whole
     * column's norm: {@code G = gradOut / den} of row 0 was off by 1.5e-4 of the gradients' norm at n = 521.
     *
     * @param s       the shape
     * @param phiQ    {@code [batch][length][heads][features]}
     * @param phiK    {@code [batch][length][heads][features]}
     * @param v       {@code [batch][length][heads][valueDim]}
     * @param c       the head's coefficients, offset {@code j - i} at {@code cOff + j - i + n - 1}
     * @param cOff    where they start
     * @param gradOut {@code [batch][length][heads][valueDim]}
     * @param b       the batch entry
     * @param h       the head
     * @param dst     where the pairs go
     * @param at      the first index written
     */
    public static void sums(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] c, int cOff,
                            float[] gradOut, int b, int h, double[] dst, int at) {
        int n = s.length();
        int m = s.features();
        int dv = s.valueDim();
        for (int i = 0; i < rows(s); i++) {
            int qi = row(s, b, i, h) * m;
            int gi = row(s, b, i, h) * dv;
            double den = 0;
            double gNum = 0;
            for (int j = 0; j <= i; j++) {
                double a = c[cOff + j - i + n - 1] * dot(phiQ, qi, phiK, row(s, b, j, h) * m, m);
                den += a;
                gNum += a * dot(gradOut, gi, v, row(s, b, j, h) * dv, dv);
            }
            dst[at + 2 * i] = den;
            dst[at + 2 * i + 1] = gNum;
        }
    }

    private static double dot(float[] a, int aOff, float[] x, int xOff, int d) {
        double sum = 0;
        for (int e = 0; e < d; e++) {
            sum += (double) a[aOff + e] * x[xOff + e];
        }
        return sum;
    }
}
