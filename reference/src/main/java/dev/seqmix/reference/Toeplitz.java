package dev.seqmix.reference;

/** The Toeplitz product in double, directly in O(n^2 cols). */
public final class Toeplitz {
    private Toeplitz() {
    }

    /**
     * {@return {@code y[b][i][q] = sum_j coeffs[b][j - i + n - 1] x[b][j][q]}}
     *
     * @param batch  independent products
     * @param n      size of the n x n Toeplitz matrix
     * @param cols   columns of x
     * @param coeffs {@code [batch][2n - 1]}, offset {@code j - i} at index {@code j - i + n - 1}
     * @param x      {@code [batch][n][cols]}
     */
    public static double[] multiply(int batch, int n, int cols, float[] coeffs, float[] x) {
        double[] y = new double[batch * n * cols];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double c = coeffs[b * (2 * n - 1) + j - i + n - 1];
                    for (int q = 0; q < cols; q++) {
                        y[(b * n + i) * cols + q] += c * x[(b * n + j) * cols + q];
                    }
                }
            }
        }
        return y;
    }
}
