/*
 * Random features, RPE attention (through the FFT Toeplitz product) and softmax RPE attention
 * (docs/contract.md#attention). Rows of q, k, phi, v, out are indexed ((b * n + l) * heads + h).
 */

inline real_t rf_logit(__global const float* xr, __global const float* wr, int d, real_t scale, real_t halfNorm) {
    real_t s = 0;
    for (int i = 0; i < d; i++) {
        s += (real_t)wr[i] * (real_t)xr[i];
    }
    return s * scale - halfNorm;
}

inline real_t rf_half_norm(__global const float* xr, int d, real_t scale) {
    real_t s = 0;
    for (int i = 0; i < d; i++) {
        real_t v = (real_t)xr[i] * scale;
        s += v * v;
    }
    return (real_t)0.5 * s;
}

/* per row: the largest logit w_r . x' - |x'|^2 / 2 */
__kernel void rf_row_max(__global const float* x, __global const float* w, __global real_t* rowMax,
                         int d, int features, real_t scale) {
    size_t row = get_global_id(0);
    __global const float* xr = x + row * d;
    real_t halfNorm = rf_half_norm(xr, d, scale);
    real_t m = -INFINITY;
    for (int r = 0; r < features; r++) {
        m = fmax(m, rf_logit(xr, w + (size_t)r * d, d, scale, halfNorm));
    }
    rowMax[row] = m;
}

/* keys: the stabilizer is the maximum over all positions of (batch, head) */
__kernel void rf_key_max(__global const real_t* rowMax, __global real_t* keyMax, int n, int heads) {
    int h = get_global_id(0);
    size_t b = get_global_id(1);
    real_t m = -INFINITY;
    for (int l = 0; l < n; l++) {
        m = fmax(m, rowMax[(b * n + l) * heads + h]);
    }
    keyMax[b * heads + h] = m;
}

/* exp(w_r . x' - |x'|^2 / 2 - stabilizer) of a row: the random feature without its floor and norm (forward and
 * backward) */
inline real_t rf_exponential(__global const float* x, __global const float* w, __global const real_t* rowMax,
                             __global const real_t* keyMax, size_t row, int r, int d, int n, int heads,
                             real_t scale, int queries) {
    __global const float* xr = x + row * d;
    real_t halfNorm = rf_half_norm(xr, d, scale);
    size_t b = row / ((size_t)n * heads);
    int h = row % heads;
    real_t stab = queries ? rowMax[row] : keyMax[b * heads + h];
    return exp(rf_logit(xr, w + (size_t)r * d, d, scale, halfNorm) - stab);
}

__kernel void rf_features(__global const float* x, __global const float* w, __global const real_t* rowMax,
                          __global const real_t* keyMax, __global float* phi, int d, int features, int n,
                          int heads, real_t scale, real_t norm, int queries) {
    int r = get_global_id(0);
    size_t row = get_global_id(1);
    real_t e = rf_exponential(x, w, rowMax, keyMax, row, r, d, n, heads, scale, queries);
    phi[row * features + r] = (float)((e + (real_t)1e-6) * norm);
}

/* per head: c[t] = exp(bias[t] - max(bias)), zero above the diagonal when causal (t > n-1) */
__kernel void rpe_coefficients(__global const float* bias, __global float* coeffs, int n, int causal) {
    size_t h = get_global_id(0);
    __global const float* bh = bias + h * (2 * n - 1);
    float m = -INFINITY;
    for (int t = 0; t < 2 * n - 1; t++) {
        m = fmax(m, bh[t]);
    }
    for (int t = 0; t < 2 * n - 1; t++) {
        coeffs[h * (2 * n - 1) + t] = (causal && t > n - 1) ? 0.0f : (float)exp((real_t)bh[t] - (real_t)m);
    }
}

/*
 * Columns of the (b, h) pairs bh0 .. bh0 + groups - 1: for feature r and value column e (e == valueDim is the
 * column of ones, for the denominator) the column phiK[.][r] * v[.][e], col = r * (valueDim + 1) + e, zero
 * padded to N. Columns go in pairs, 2p as the real and 2p + 1 as the imaginary part of one complex column
 * (a lone last one with imaginary part zero): the head's coefficients are real, so the two circulant
 * products stay apart. P = (features * (valueDim + 1) + 1) / 2 complex columns per (b, h).
 */
inline float rpe_column_value(__global const float* phiK, __global const float* v, size_t row, int col,
                              int features, int valueDim) {
    int cols = valueDim + 1;
    int r = col / cols;
    int e = col % cols;
    return phiK[row * features + r] * (e < valueDim ? v[row * valueDim + e] : 1.0f);
}

__kernel void rpe_embed(__global const float* phiK, __global const float* v, __global float2* X,
                        int n, int heads, int features, int valueDim, int N, int bh0) {
    int m = get_global_id(0);
    int p = get_global_id(1);
    int g = get_global_id(2);
    int columns = features * (valueDim + 1);
    int P = (columns + 1) / 2;
    int bh = bh0 + g;
    size_t b = bh / heads;
    int h = bh % heads;
    float2 val = (float2)(0.0f, 0.0f);
    if (m < n) {
        size_t row = (b * n + m) * heads + h;
        val.x = rpe_column_value(phiK, v, row, 2 * p, features, valueDim);
        val.y = 2 * p + 1 < columns ? rpe_column_value(phiK, v, row, 2 * p + 1, features, valueDim) : 0.0f;
    }
    X[((size_t)g * P + p) * N + m] = val;
}

__kernel void rpe_spectrum_mul(__global float2* X, __global const float2* C, int N, int P, int heads, int bh0) {
    int m = get_global_id(0);
    size_t row = get_global_id(1);         /* g * P + p */
    int h = (bh0 + (int)(row / P)) % heads;
    X[row * N + m] = cmul(X[row * N + m], C[(size_t)h * N + m]);
}

/* row i of column col of group g's products: the real (col even) or imaginary (col odd) part of pair col / 2 */
inline real_t rpe_product(__global const float2* Xg, int col, int N) {
    float2 x = Xg[(size_t)(col / 2) * N];
    return (real_t)((col & 1) ? x.y : x.x);
}

/* out[i] = sum_r phiQ[i][r] Y_r[i][e] / sum_r phiQ[i][r] Y_r[i][valueDim]; zeros when the denominator is not positive */
__kernel void rpe_combine(__global const float* phiQ, __global const float2* X, __global float* out,
                          int n, int heads, int features, int valueDim, int N, int bh0) {
    int i = get_global_id(0);
    int g = get_global_id(1);
    int cols = valueDim + 1;
    int P = (features * cols + 1) / 2;
    int bh = bh0 + g;
    size_t b = bh / heads;
    int h = bh % heads;
    size_t row = (b * n + i) * heads + h;
    __global const float* q = phiQ + row * features;
    __global const float2* Xg = X + (size_t)g * P * N + i;
    real_t den = 0;
    for (int r = 0; r < features; r++) {
        den += (real_t)q[r] * rpe_product(Xg, r * cols + valueDim, N);
    }
    for (int e = 0; e < valueDim; e++) {
        real_t num = 0;
        for (int r = 0; r < features; r++) {
            num += (real_t)q[r] * rpe_product(Xg, r * cols + e, N);
        }
        out[row * valueDim + e] = den > 0 ? (float)(num / den) : 0.0f;
    }
}

/* rows j0 .. j0 + width - 1 of (b, h) of a [batch][n][heads][dim] array into local memory, [width][dim], the
 * work-group's `tile` work-items sharing the copy (the softmax kernels' key, value and query blocks) */
inline void load_rows(__local float* dst, __global const float* src, size_t b, int n, int heads, int h, int j0,
                      int width, int dim, int lid, int tile) {
    for (int c = lid; c < width * dim; c += tile) {
        dst[c] = src[((b * n + j0 + c / dim) * heads + h) * dim + c % dim];
    }
}

/* a query row's score against one key: (q . k) / sqrt(keyDim), both rows in local memory, c in order */
inline float softmax_score(__local const float* qi, __local const float* kj, int keyDim, float invSqrt) {
    float s = 0.0f;
    for (int c = 0; c < keyDim; c++) {
        s = fma(qi[c], kj[c], s);
    }
    return s * invSqrt;
}

/*
 * Exact softmax attention with the RPE bias, flash-attention style. A work-group is a tile of query rows of one
 * (b, h) (rows past n repeat the last row and write nothing). Keys and values pass through local memory in blocks
 * of `block` rows, each read from global memory once for the whole tile instead of once per row. Each work-item
 * keeps its row's running maximum and sum (an online softmax: the output so far is rescaled when the maximum
 * grows) and its unnormalized output, in local memory with its query. A block's scores are computed twice (for
 * its maximum, then for the weights) rather than stored: local memory holds keys instead. Float, a fixed order
 * of every sum: the same bits on every run. Rows are padded by one float so that the work-items' own rows fall
 * in different banks.
 */
__kernel void softmax_rpe_tile(__global const float* q, __global const float* k, __global const float* v,
                               __global const float* bias, __global float* out, __local float* ql,
                               __local float* ol, __local float* kl, __local float* vl, int n, int heads,
                               int keyDim, int valueDim, int causal, float invSqrt, int block) {
    int lid = get_local_id(0);
    int tile = get_local_size(0);
    int i0 = get_group_id(0) * tile;
    int i = min(i0 + lid, n - 1);
    int h = get_global_id(1);
    size_t b = get_global_id(2);
    __local float* qi = ql + lid * (keyDim + 1);
    __local float* oi = ol + lid * (valueDim + 1);
    __global const float* qg = q + ((b * n + i) * heads + h) * keyDim;
    for (int c = 0; c < keyDim; c++) {
        qi[c] = qg[c];
    }
    for (int e = 0; e < valueDim; e++) {
        oi[e] = 0.0f;
    }
    __global const float* bi = bias + (size_t)h * (2 * n - 1) + (n - 1) - i; /* bi[j] = bias[h][j - i + n - 1] */
    int last = causal ? i : n - 1;
    int keyEnd = causal ? min(n, i0 + tile) : n;
    float mx = -INFINITY;
    float den = 0.0f;
    for (int j0 = 0; j0 < keyEnd; j0 += block) {
        int width = min(block, keyEnd - j0);
        barrier(CLK_LOCAL_MEM_FENCE); /* the previous block is read by every work-item */
        load_rows(kl, k, b, n, heads, h, j0, width, keyDim, lid, tile);
        load_rows(vl, v, b, n, heads, h, j0, width, valueDim, lid, tile);
        barrier(CLK_LOCAL_MEM_FENCE);
        int count = min(width, last - j0 + 1); /* the keys of the block this row sees */
        if (count > 0) {
            float bm = -INFINITY;
            for (int j = 0; j < count; j++) {
                bm = fmax(bm, softmax_score(qi, kl + j * keyDim, keyDim, invSqrt) + bi[j0 + j]);
            }
            float m = fmax(mx, bm);
            float scale = exp(mx - m); /* 0 on the first block: mx is -infinity */
            den *= scale;
            for (int e = 0; e < valueDim; e++) {
                oi[e] *= scale;
            }
            for (int j = 0; j < count; j++) {
                float w = exp(softmax_score(qi, kl + j * keyDim, keyDim, invSqrt) + bi[j0 + j] - m);
                den += w;
                __local const float* vj = vl + j * valueDim;
                for (int e = 0; e < valueDim; e++) {
                    oi[e] = fma(w, vj[e], oi[e]);
                }
            }
            mx = m;
        }
    }
    if (i0 + lid < n) {
        __global float* og = out + ((b * n + i) * heads + h) * valueDim;
        float inv = 1.0f / den;
        for (int e = 0; e < valueDim; e++) {
            og[e] = oi[e] * inv;
        }
    }
}

/*
 * Exact softmax attention with the RPE bias, row by row, maximum subtracted; values in chunks of 8 columns. The
 * fallback for head dimensions whose rows do not fit the device's local memory (softmax_rpe_tile).
 */
#define SOFTMAX_CHUNK 8
__kernel void softmax_rpe(__global const float* q, __global const float* k, __global const float* v,
                          __global const float* bias, __global float* out, int n, int heads, int keyDim,
                          int valueDim, int causal, real_t invSqrt) {
    int h = get_global_id(0);
    int i = get_global_id(1);
    size_t b = get_global_id(2);
    __global const float* qi = q + ((b * n + i) * heads + h) * keyDim;
    __global const float* bh = bias + (size_t)h * (2 * n - 1) + (n - 1) - i; /* bh[j] = bias[h][j - i + n - 1] */
    int last = causal ? i : n - 1;
    real_t mx = -INFINITY;
    for (int j = 0; j <= last; j++) {
        __global const float* kj = k + ((b * n + j) * heads + h) * keyDim;
        real_t s = 0;
        for (int c = 0; c < keyDim; c++) {
            s += (real_t)qi[c] * (real_t)kj[c];
        }
        mx = fmax(mx, s * invSqrt + (real_t)bh[j]);
    }
    real_t den = 0;
    for (int j = 0; j <= last; j++) {
        __global const float* kj = k + ((b * n + j) * heads + h) * keyDim;
        real_t s = 0;
        for (int c = 0; c < keyDim; c++) {
            s += (real_t)qi[c] * (real_t)kj[c];
        }
        den += exp(s * invSqrt + (real_t)bh[j] - mx);
    }
    __global float* oi = out + ((b * n + i) * heads + h) * valueDim;
    for (int e0 = 0; e0 < valueDim; e0 += SOFTMAX_CHUNK) {
        real_t acc[SOFTMAX_CHUNK];
        for (int e = 0; e < SOFTMAX_CHUNK; e++) {
            acc[e] = 0;
        }
        for (int j = 0; j <= last; j++) {
            __global const float* kj = k + ((b * n + j) * heads + h) * keyDim;
            real_t s = 0;
            for (int c = 0; c < keyDim; c++) {
                s += (real_t)qi[c] * (real_t)kj[c];
            }
            real_t w = exp(s * invSqrt + (real_t)bh[j] - mx);
            __global const float* vj = v + ((b * n + j) * heads + h) * valueDim + e0;
            for (int e = 0; e < SOFTMAX_CHUNK && e0 + e < valueDim; e++) {
                acc[e] += w * (real_t)vj[e];
            }
        }
        for (int e = 0; e < SOFTMAX_CHUNK && e0 + e < valueDim; e++) {
            oi[e0 + e] = (float)(acc[e] / den);
        }
    }
}
