/*
 * Toeplitz products y[b][i][k] = sum_j t_b[j - i] x[b][j][k], t_b[o] = coeffs[b][o + n - 1] (docs/contract.md#toeplitz).
 * Small n: direct. Otherwise the circulant embedding of size N (a power of two >= 2n-1):
 * c[m] = t[-m] (m < n), c[N-m] = t[m] (0 < m < n). Columns go in pairs, 2p as the real and 2p + 1 as the
 * imaginary part of one complex transform of length N (a lone last column with imaginary part zero): c is
 * real, so the circulant product of x_a + i x_b is c * x_a + i c * x_b, the two products without any
 * separation of spectra. P = (cols + 1) / 2 transforms per matrix.
 */

__kernel void toeplitz_direct(__global const float* coeffs, __global const float* x, __global float* y,
                              int n, int cols) {
    int k = get_global_id(0);
    int i = get_global_id(1);
    size_t b = get_global_id(2);
    __global const float* t = coeffs + b * (2 * n - 1) + (n - 1) - i; /* t[j] = t_b[j - i] */
    __global const float* xb = x + b * n * cols + k;
    real_t s = 0;
    for (int j = 0; j < n; j++) {
        s += (real_t)t[j] * (real_t)xb[(size_t)j * cols];
    }
    y[(b * n + i) * cols + k] = (float)s;
}

/* circulant first column of matrix b (coefficients of batch b; bstride floats apart) as complex data */
__kernel void toeplitz_embed_coeffs(__global const float* coeffs, __global float2* c, int n, int N) {
    int m = get_global_id(0);
    size_t b = get_global_id(1);
    __global const float* t = coeffs + b * (2 * n - 1) + (n - 1);
    float v = 0.0f;
    if (m < n) {
        v = t[-m];
    } else if (m > N - n) {
        v = t[N - m];
    }
    c[b * N + m] = (float2)(v, 0.0f);
}

/* columns 2p and 2p + 1 of x[b] as one complex column of length N, zero padded */
__kernel void toeplitz_embed_x(__global const float* x, __global float2* X, int n, int cols, int N) {
    int m = get_global_id(0);
    int p = get_global_id(1);
    size_t b = get_global_id(2);
    int P = (cols + 1) / 2;
    float2 v = (float2)(0.0f, 0.0f);
    if (m < n) {
        __global const float* row = x + (b * n + m) * cols;
        v.x = row[2 * p];
        v.y = 2 * p + 1 < cols ? row[2 * p + 1] : 0.0f;
    }
    X[(b * P + p) * N + m] = v;
}

/* X row r (r = b*P + p) times the spectrum of matrix r / P */
__kernel void toeplitz_spectrum_mul(__global float2* X, __global const float2* C, int N, int P) {
    int m = get_global_id(0);
    size_t r = get_global_id(1);
    X[r * N + m] = cmul(X[r * N + m], C[(r / P) * N + m]);
}

/* column k of y[b]: the real (k even) or imaginary (k odd) part of the pair k / 2 */
__kernel void toeplitz_extract(__global const float2* X, __global float* y, int n, int cols, int N, float scale) {
    int k = get_global_id(0);
    int i = get_global_id(1);
    size_t b = get_global_id(2);
    int P = (cols + 1) / 2;
    float2 v = X[(b * P + k / 2) * N + i];
    y[(b * n + i) * cols + k] = ((k & 1) ? v.y : v.x) * scale;
}
