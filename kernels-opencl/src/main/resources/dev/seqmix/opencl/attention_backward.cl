/*
 * The backward passes of random features, kernelized RPE attention and softmax RPE attention
 * (docs/contract.md#attention-backward). Part of the attention program: built after attention.cl, whose helpers
 * (rf_exponential, rpe_product, softmax_score) these kernels share. Rows are indexed
 * ((b * n + l) * heads + h), as in the forwards.
 *
 * Deterministic: no atomics; every sum has a fixed order. The bias gradient goes through partial rows, one per
 * (batch, head) slice (and, for softmax, first one per key tile), that bias_sum_over_batch adds in batch order.
 */

/* ---------------------------------------------------------------- random features */

/* ge[row][r] = gradPhi[row][r] * exp(u_r - stab) * norm: the gradient times the forward's exponential term (the
 * 1e-6 floor has none), the stabilizer held constant */
__kernel void rf_backward_weights(__global const float* x, __global const float* w, __global const real_t* rowMax,
                                  __global const real_t* keyMax, __global const float* gradPhi,
                                  __global real_t* ge, int d, int features, int n, int heads, real_t scale,
                                  real_t norm, int queries) {
    int r = get_global_id(0);
    size_t row = get_global_id(1);
    real_t e = rf_exponential(x, w, rowMax, keyMax, row, r, d, n, heads, scale, queries);
    ge[row * features + r] = (real_t)gradPhi[row * features + r] * e * norm;
}

/* gradX[row][e] = scale * (sum_r ge_r w_r[e] - scale x[e] sum_r ge_r), the features in order */
__kernel void rf_backward_x(__global const float* x, __global const float* w, __global const real_t* ge,
                            __global float* gradX, int d, int features, real_t scale) {
    int e = get_global_id(0);
    size_t row = get_global_id(1);
    __global const real_t* g = ge + row * features;
    real_t acc = 0;
    real_t total = 0;
    for (int r = 0; r < features; r++) {
        total += g[r];
        acc += g[r] * (real_t)w[(size_t)r * d + e];
    }
    gradX[row * d + e] = (float)(scale * (acc - total * (real_t)x[row * d + e] * scale));
}

/* ---------------------------------------------------------------- kernelized RPE attention */

/* Y[row] = X[row] * C[h] (the spectrum of T), or * conj(C[h]) (of T^T: c is real) when transposed; X is kept */
__kernel void rpe_spectrum_mul_into(__global const float2* X, __global float2* Y, __global const float2* C, int N,
                                    int P, int heads, int bh0, int transposed) {
    int m = get_global_id(0);
    size_t row = get_global_id(1); /* g * P + p */
    int h = (bh0 + (int)(row / P)) % heads;
    Y[row * N + m] = cmul(X[row * N + m], conj_if(C[(size_t)h * N + m], transposed));
}

inline real_t row_dot(__global const float* a, __global const float* b, int d) {
    real_t s = 0;
    for (int e = 0; e < d; e++) {
        s += (real_t)a[e] * (real_t)b[e];
    }
    return s;
}

/*
 * Per row i of group g: from U_r = T X_r (the forward again, unscaled by N: `scale` = 1 / N) the denominator, the
 * numerator's product with gradOut and gradPhiQ = (gradOut . U_r[:D] - (gradOut . out) U_r[D]) / den; then, in
 * place of U, Y_r = phiQ[i][r] * [gradOut / den, -(gradOut . out) / den], zero for rows without a positive
 * denominator and for the padding rows i >= n. A work-item reads all of its row of U before it writes its row of Y.
 * Rows i < directRows take their sums directly over their keys (j <= i when causal, else all n): a causal head's
 * first rows (few keys, a small denominator: the FFT's absolute error would be amplified; internal.CausalFirstRows
 * on the host), and every row of a short sequence, where the sums are cheap and, without fp64, the FFT path's float
 * rounding in P - (gradOut . out) Q is as large as the result (n = 1: the exact gradient is 0).
 */
__kernel void rpe_backward_rows(__global const float* phiQ, __global const float* phiK, __global const float* v,
                                __global const float* gradOut, __global const float* coeffs, __global float2* X,
                                __global float* gradPhiQ, int n, int heads, int features, int valueDim, int N,
                                int bh0, real_t scale, int directRows, int causal) {
    int i = get_global_id(0);
    int g = get_global_id(1);
    int cols = valueDim + 1;
    int P = (features * cols + 1) / 2;
    __global float2* Xg = X + (size_t)g * P * N + i;
    if (i >= n) {
        for (int p = 0; p < P; p++) {
            Xg[(size_t)p * N] = (float2)(0.0f, 0.0f);
        }
        return;
    }
    int bh = bh0 + g;
    size_t b = bh / heads;
    int h = bh % heads;
    size_t row = (b * n + i) * heads + h;
    __global const float* q = phiQ + row * features;
    __global const float* go = gradOut + row * valueDim;
    __global const float* c = coeffs + (size_t)h * (2 * n - 1) + (n - 1) - i; /* c[j] = c_h[j - i] */
    int direct = i < directRows;
    int lastKey = causal ? i : n - 1;
    real_t den = 0;
    real_t gNum = 0; /* gradOut . num */
    if (direct) {
        for (int j = 0; j <= lastKey; j++) {
            size_t rj = (b * n + j) * heads + h;
            real_t a = (real_t)c[j] * row_dot(q, phiK + rj * features, features);
            den += a;
            gNum += a * row_dot(go, v + rj * valueDim, valueDim);
        }
    } else {
        for (int r = 0; r < features; r++) {
            den += (real_t)q[r] * rpe_product(Xg, r * cols + valueDim, N);
        }
        for (int e = 0; e < valueDim; e++) {
            real_t num = 0;
            for (int r = 0; r < features; r++) {
                num += (real_t)q[r] * rpe_product(Xg, r * cols + e, N);
            }
            gNum += (real_t)go[e] * num;
        }
        den *= scale;
        gNum *= scale;
    }
    __global float* gq = gradPhiQ + row * features;
    if (!(den > 0)) {
        for (int r = 0; r < features; r++) {
            gq[r] = 0.0f;
        }
        for (int p = 0; p < P; p++) {
            Xg[(size_t)p * N] = (float2)(0.0f, 0.0f);
        }
        return;
    }
    real_t gOut = gNum / den; /* gradOut . out */
    for (int r = 0; r < features; r++) {
        real_t sum = 0;
        if (direct) {
            for (int j = 0; j <= lastKey; j++) {
                size_t rj = (b * n + j) * heads + h;
                sum += (real_t)c[j] * (real_t)phiK[rj * features + r]
                       * (row_dot(go, v + rj * valueDim, valueDim) - gOut);
            }
        } else {
            real_t pr = 0;
            for (int e = 0; e < valueDim; e++) {
                pr += (real_t)go[e] * rpe_product(Xg, r * cols + e, N);
            }
            sum = (pr - gOut * rpe_product(Xg, r * cols + valueDim, N)) * scale;
        }
        gq[r] = (float)(sum / den);
    }
    for (int p = 0; p < P; p++) {
        float y[2] = {0.0f, 0.0f};
        for (int k = 0; k < 2 && 2 * p + k < features * cols; k++) {
            int col = 2 * p + k;
            int r = col / cols;
            int e = col % cols;
            y[k] = (float)((real_t)q[r] * (e < valueDim ? (real_t)go[e] / den : -gOut / den));
        }
        Xg[(size_t)p * N] = (float2)(y[0], y[1]);
    }
}

/* Per key row j of group g, from W_r = T^T Y_r (unscaled by N): gradPhiK[j][r] = v_j . W_r[j][:D] + W_r[j][D] and
 * gradV[j] = sum_r phiK[j][r] W_r[j][:D] */
__kernel void rpe_backward_keys(__global const float* phiK, __global const float* v, __global const float2* W,
                                __global float* gradPhiK, __global float* gradV, int n, int heads, int features,
                                int valueDim, int N, int bh0, real_t scale) {
    int j = get_global_id(0);
    int g = get_global_id(1);
    int cols = valueDim + 1;
    int P = (features * cols + 1) / 2;
    int bh = bh0 + g;
    size_t b = bh / heads;
    int h = bh % heads;
    size_t row = (b * n + j) * heads + h;
    __global const float2* Wg = W + (size_t)g * P * N + j;
    __global const float* vj = v + row * valueDim;
    __global const float* kj = phiK + row * features;
    for (int r = 0; r < features; r++) {
        real_t s = rpe_product(Wg, r * cols + valueDim, N);
        for (int e = 0; e < valueDim; e++) {
            s += (real_t)vj[e] * rpe_product(Wg, r * cols + e, N);
        }
        gradPhiK[row * features + r] = (float)(s * scale);
    }
    for (int e = 0; e < valueDim; e++) {
        real_t s = 0;
        for (int r = 0; r < features; r++) {
            s += (real_t)kj[r] * rpe_product(Wg, r * cols + e, N);
        }
        gradV[row * valueDim + e] = (float)(s * scale);
    }
}

/* S[g][m] = sum_p conj(FY[g][p][m]) FX[g][p][m]: the spectrum of sum over columns of the correlations
 * sum_i Y[i] X[i + t] (the real part of the inverse: a pair's cross terms land in the imaginary part) */
__kernel void rpe_correlation_sum(__global const float2* FY, __global const float2* FX, __global float2* S, int N,
                                  int P) {
    int m = get_global_id(0);
    size_t g = get_global_id(1);
    real_t re = 0;
    real_t im = 0;
    for (int p = 0; p < P; p++) {
        float2 y = FY[(g * P + p) * N + m];
        float2 x = FX[(g * P + p) * N + m];
        re += (real_t)y.x * x.x + (real_t)y.y * x.y;
        im += (real_t)y.x * x.y - (real_t)y.y * x.x;
    }
    S[g * N + m] = (float2)((float)re, (float)im);
}

/* partial[bh][t + n - 1] = c_h[t] * dL/dc[t], dL/dc[t] the real part of the inverse at t mod N (unscaled by N) */
__kernel void rpe_bias_partial(__global const float2* R, __global const float* coeffs, __global float* partial,
                               int n, int heads, int N, int bh0, real_t scale) {
    int idx = get_global_id(0);
    int g = get_global_id(1);
    int bh = bh0 + g;
    int t = idx - (n - 1);
    int m = t < 0 ? t + N : t;
    real_t grad = (real_t)R[(size_t)g * N + m].x * scale;
    partial[(size_t)bh * (2 * n - 1) + idx] = (float)((real_t)coeffs[(size_t)(bh % heads) * (2 * n - 1) + idx] * grad);
}

/* gradBias[h][t] (+)= sum_b partial[b * heads + h][t], in batch order, in float (internal.BiasGradients) */
__kernel void bias_sum_over_batch(__global const float* partial, __global float* gradBias, int n, int heads,
                                  int batch, int accumulate) {
    int t = get_global_id(0);
    int h = get_global_id(1);
    size_t len = 2 * n - 1;
    float s = accumulate ? gradBias[h * len + t] : 0.0f;
    for (int b = 0; b < batch; b++) {
        s += partial[((size_t)b * heads + h) * len + t];
    }
    gradBias[h * len + t] = s;
}

/* ---------------------------------------------------------------- softmax RPE attention */

inline float local_dot(__local const float* a, __local const float* b, int d) {
    float s = 0.0f;
    for (int e = 0; e < d; e++) {
        s = fma(a[e], b[e], s);
    }
    return s;
}

/*
 * The row statistics the other two kernels recompute the probabilities from: stats[row] = {maximum, sum,
 * gradOut_i . out_i}, for a tile of query rows (work-items) of one (b, h), key and value blocks of `tile` rows in
 * local memory. Each key is scored once (the forward's kernel scores a block twice): an online softmax per key,
 * the sum and the unnormalized output rescaled when the maximum grows (for random scores about log n times a row).
 * Rows past n repeat the last row and write nothing.
 */
__kernel void softmax_backward_stats(__global const float* q, __global const float* k, __global const float* v,
                                     __global const float* bias, __global const float* gradOut,
                                     __global float* stats, __local float* ql, __local float* ol, __local float* kl,
                                     __local float* vl, int n, int heads, int keyDim, int valueDim, int causal,
                                     float invSqrt) {
    int lid = get_local_id(0);
    int tile = get_local_size(0);
    int i0 = get_group_id(0) * tile;
    int i = min(i0 + lid, n - 1);
    int h = get_global_id(1);
    size_t b = get_global_id(2);
    size_t row = (b * n + i) * heads + h;
    __local float* qi = ql + lid * (keyDim + 1);
    __local float* oi = ol + lid * (valueDim + 1);
    for (int c = 0; c < keyDim; c++) {
        qi[c] = q[row * keyDim + c];
    }
    for (int e = 0; e < valueDim; e++) {
        oi[e] = 0.0f;
    }
    __global const float* bi = bias + (size_t)h * (2 * n - 1) + (n - 1) - i; /* bi[j] = bias[h][j - i + n - 1] */
    int last = causal ? i : n - 1;
    int keyEnd = causal ? min(n, i0 + tile) : n;
    float mx = -INFINITY;
    float den = 0.0f;
    for (int j0 = 0; j0 < keyEnd; j0 += tile) {
        int width = min(tile, keyEnd - j0);
        barrier(CLK_LOCAL_MEM_FENCE);
        load_rows(kl, k, b, n, heads, h, j0, width, keyDim, lid, tile);
        load_rows(vl, v, b, n, heads, h, j0, width, valueDim, lid, tile);
        barrier(CLK_LOCAL_MEM_FENCE);
        int count = min(width, last - j0 + 1);
        for (int j = 0; j < count; j++) {
            float s = softmax_score(qi, kl + j * keyDim, keyDim, invSqrt) + bi[j0 + j];
            __local const float* vj = vl + j * valueDim;
            if (s > mx) { /* a new maximum: what was summed so far is rescaled (0 on the first key) */
                float scale = exp(mx - s);
                den = den * scale + 1.0f;
                for (int e = 0; e < valueDim; e++) {
                    oi[e] = fma(oi[e], scale, vj[e]);
                }
                mx = s;
            } else {
                float w = exp(s - mx);
                den += w;
                for (int e = 0; e < valueDim; e++) {
                    oi[e] = fma(w, vj[e], oi[e]);
                }
            }
        }
    }
    if (i0 + lid < n) {
        float inv = 1.0f / den;
        float delta = 0.0f;
        for (int e = 0; e < valueDim; e++) {
            delta = fma(gradOut[row * valueDim + e], oi[e] * inv, delta);
        }
        stats[row * 3] = mx;
        stats[row * 3 + 1] = den;
        stats[row * 3 + 2] = delta;
    }
}

/*
 * gradQ for a tile of query rows (work-items) of one (b, h): key and value blocks of `tile` rows pass through local
 * memory as in the forward; per key p = exp(s - max) / den from the forward's row statistics, ds = p (gradOut_i .
 * v_j - delta_i), dq += ds k_j. Rows past n repeat the last row and write nothing.
 */
__kernel void softmax_backward_dq(__global const float* q, __global const float* k, __global const float* v,
                                  __global const float* bias, __global const float* gradOut,
                                  __global const float* stats, __global float* gradQ, __local float* ql,
                                  __local float* gl, __local float* dql, __local float* kl, __local float* vl,
                                  int n, int heads, int keyDim, int valueDim, int causal, float invSqrt) {
    int lid = get_local_id(0);
    int tile = get_local_size(0);
    int i0 = get_group_id(0) * tile;
    int i = min(i0 + lid, n - 1);
    int h = get_global_id(1);
    size_t b = get_global_id(2);
    size_t row = (b * n + i) * heads + h;
    __local float* qi = ql + lid * (keyDim + 1);
    __local float* gi = gl + lid * (valueDim + 1);
    __local float* dqi = dql + lid * (keyDim + 1);
    for (int c = 0; c < keyDim; c++) {
        qi[c] = q[row * keyDim + c];
        dqi[c] = 0.0f;
    }
    for (int e = 0; e < valueDim; e++) {
        gi[e] = gradOut[row * valueDim + e];
    }
    float mx = stats[row * 3];
    float den = stats[row * 3 + 1];
    float delta = stats[row * 3 + 2];
    __global const float* bi = bias + (size_t)h * (2 * n - 1) + (n - 1) - i; /* bi[j] = bias[h][j - i + n - 1] */
    int last = causal ? i : n - 1;
    int keyEnd = causal ? min(n, i0 + tile) : n;
    for (int j0 = 0; j0 < keyEnd; j0 += tile) {
        int width = min(tile, keyEnd - j0);
        barrier(CLK_LOCAL_MEM_FENCE);
        load_rows(kl, k, b, n, heads, h, j0, width, keyDim, lid, tile);
        load_rows(vl, v, b, n, heads, h, j0, width, valueDim, lid, tile);
        barrier(CLK_LOCAL_MEM_FENCE);
        int count = min(width, last - j0 + 1);
        for (int j = 0; j < count; j++) {
            float p = exp(softmax_score(qi, kl + j * keyDim, keyDim, invSqrt) + bi[j0 + j] - mx) / den;
            float ds = p * (local_dot(gi, vl + j * valueDim, valueDim) - delta);
            __local const float* kj = kl + j * keyDim;
            for (int c = 0; c < keyDim; c++) {
                dqi[c] = fma(ds, kj[c], dqi[c]);
            }
        }
    }
    if (i0 + lid < n) {
        for (int c = 0; c < keyDim; c++) {
            gradQ[row * keyDim + c] = dqi[c] * invSqrt;
        }
    }
}

/*
 * gradK, gradV and the bias gradient's partial rows for a tile of key rows (work-items) of one (b, h), bh = bh0 +
 * get_global_id(1): query blocks of `tile` rows (queries, gradOut and the forward's statistics) pass through local
 * memory; per query the same p and ds as softmax_backward_dq, dk += ds q_i, dv += p gradOut_i.
 *
 * The bias gradient sums ds along diagonals t = j - i. A block's ds go to local memory [query][key]; work-item a
 * then sums diagonal u = a (of 2 tile - 1, u = a - query + tile - 1) and u = a + tile. Diagonals u >= tile - 1 are
 * complete after the block (the next block, tile queries further, shifts them by tile); u < tile - 1 are carried in
 * a register into the next block's u + tile. The tile's row of partials covers t in [j0 - iEnd + 1,
 * j0 - iStart + tile - 1] (iStart = j0 when causal, else 0; iEnd = n rounded up to tile): softmax_bias_tiles reads
 * exactly that range. Partial rows: tilePartial[(g * chunk + tile index - tile0)][2n - 1].
 */
__kernel void softmax_backward_dkv(__global const float* q, __global const float* k, __global const float* v,
                                   __global const float* bias, __global const float* gradOut,
                                   __global const float* stats, __global float* gradK, __global float* gradV,
                                   __global float* tilePartial, __local float* kl, __local float* vl,
                                   __local float* dkl, __local float* dvl, __local float* qb, __local float* gb,
                                   __local float* sb, __local float* dsl, int n, int heads, int keyDim,
                                   int valueDim, int causal, float invSqrt, int tile0, int chunk) {
    int a = get_local_id(0);
    int tile = get_local_size(0);
    int jt = tile0 + get_group_id(0);
    int j0 = jt * tile;
    int j = j0 + a;
    int jj = min(j, n - 1);
    int g = get_global_id(1);
    size_t b = g / heads;
    int h = g % heads;
    size_t row = (b * n + jj) * heads + h;
    __local float* kj = kl + a * (keyDim + 1);
    __local float* vj = vl + a * (valueDim + 1);
    __local float* dkj = dkl + a * (keyDim + 1);
    __local float* dvj = dvl + a * (valueDim + 1);
    for (int c = 0; c < keyDim; c++) {
        kj[c] = k[row * keyDim + c];
        dkj[c] = 0.0f;
    }
    for (int e = 0; e < valueDim; e++) {
        vj[e] = v[row * valueDim + e];
        dvj[e] = 0.0f;
    }
    __global const float* bh = bias + (size_t)h * (2 * n - 1) + (n - 1) + j; /* bh[-i] = bias[h][j - i + n - 1] */
    size_t len = 2 * n - 1;
    __global float* part = tilePartial + ((size_t)g * chunk + (jt - tile0)) * len + (n - 1); /* part[t] */
    int iStart = causal ? j0 : 0;
    int iEnd = (n + tile - 1) / tile * tile;
    float carry = 0.0f;
    for (int i0 = iStart; i0 < iEnd; i0 += tile) {
        barrier(CLK_LOCAL_MEM_FENCE); /* the previous block is read by every work-item */
        int width = min(tile, n - i0);
        load_rows(qb, q, b, n, heads, h, i0, width, keyDim, a, tile);
        load_rows(gb, gradOut, b, n, heads, h, i0, width, valueDim, a, tile);
        load_rows(sb, stats, b, n, heads, h, i0, width, 3, a, tile);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int qi = 0; qi < tile; qi++) {
            int i = i0 + qi;
            float ds = 0.0f;
            if (j < n && qi < width && (!causal || j <= i)) {
                __local const float* qrow = qb + qi * keyDim;
                __local const float* grow = gb + qi * valueDim;
                float p = exp(softmax_score(qrow, kj, keyDim, invSqrt) + bh[-i] - sb[qi * 3]) / sb[qi * 3 + 1];
                ds = p * (local_dot(grow, vj, valueDim) - sb[qi * 3 + 2]);
                for (int c = 0; c < keyDim; c++) {
                    dkj[c] = fma(ds, qrow[c], dkj[c]);
                }
                for (int e = 0; e < valueDim; e++) {
                    dvj[e] = fma(p, grow[e], dvj[e]);
                }
            }
            dsl[qi * (tile + 1) + a] = ds;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        /* diagonal u = a: queries qi >= tile - 1 - a, key a - (tile - 1) + qi */
        float s1 = 0.0f;
        for (int qi = tile - 1 - a; qi < tile; qi++) {
            s1 += dsl[qi * (tile + 1) + qi - (tile - 1 - a)];
        }
        if (a == tile - 1) {
            int t = j0 - i0;
            if (t > -n) {
                part[t] = s1;
            }
        } else {
            /* diagonal u = a + tile, completed with the previous block's carry: queries qi <= tile - 2 - a */
            float s2 = carry;
            for (int qi = 0; qi <= tile - 2 - a; qi++) {
                s2 += dsl[qi * (tile + 1) + a + 1 + qi];
            }
            int t = j0 - i0 + a + 1;
            if (t > -n && t < n) {
                part[t] = s2;
            }
            carry = s1;
        }
    }
    if (a < tile - 1) {
        int t = j0 - iEnd + a + 1;
        if (t > -n && t < n) {
            part[t] = carry;
        }
    }
    if (j < n) {
        for (int c = 0; c < keyDim; c++) {
            gradK[row * keyDim + c] = dkj[c] * invSqrt;
        }
        for (int e = 0; e < valueDim; e++) {
            gradV[row * valueDim + e] = dvj[e];
        }
    }
}

/* partial[bh0 + g][t] (+)= the key tiles' partial rows tile0 .. tile0 + chunk - 1 (those that cover t), in order */
__kernel void softmax_bias_tiles(__global const float* tilePartial, __global float* partial, int n, int tile,
                                 int tile0, int chunk, int tiles, int causal, int accumulate) {
    int idx = get_global_id(0);
    int g = get_global_id(1);
    int t = idx - (n - 1);
    size_t len = 2 * n - 1;
    int iEnd = (n + tile - 1) / tile * tile;
    float s = accumulate ? partial[g * len + idx] : 0.0f;
    for (int c = 0; c < chunk && tile0 + c < tiles; c++) {
        int j0 = (tile0 + c) * tile;
        int hi = causal ? tile - 1 : j0 + tile - 1;
        if (t >= j0 - iEnd + 1 && t <= hi) {
            s += tilePartial[((size_t)g * chunk + c) * len + idx];
        }
    }
    partial[g * len + idx] = s;
}
