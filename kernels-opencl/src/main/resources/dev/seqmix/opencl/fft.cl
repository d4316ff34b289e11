/*
 * Batched complex FFT, Stockham autosort: each pass reads one buffer and writes the other (no bit reversal).
 * Pass with span ns (the product of the earlier passes' radices) and radix r: butterfly j of a transform of
 * length n takes the r elements j + m*n/r, twiddles them by w^(m*k) with k = j % ns, w = exp(-2 pi i / (ns*r)),
 * does an r-point DFT and writes them to (j/ns)*ns*r + k + m*ns. Passes: one radix-2 or radix-4 pass when
 * log2 n is not a multiple of 3, then radix-8 (FftKernels.radices). Twiddles come from a table
 * tw[m] = exp(-2 pi i m / n) computed on the host in double and rounded once; the inverse conjugates them.
 * Transforms are unscaled; the plan scales inverses.
 */

/* d times -i (forward) or +i (inverse) */
inline float2 times_minus_i(float2 d, int inverse) {
    return inverse ? (float2)(-d.y, d.x) : (float2)(d.y, -d.x);
}

/* d times exp(-i pi/4) (forward) or exp(+i pi/4) (inverse) */
inline float2 times_w8(float2 d, int inverse) {
    const float h = 0.70710678118654752440f;
    return inverse ? (float2)((d.x - d.y) * h, (d.x + d.y) * h) : (float2)((d.x + d.y) * h, (d.y - d.x) * h);
}

/* a[m] *= w^(m*k) = tw[m * step] for m in [1, r), step = k * n / (ns * r): butterfly k of a pass with span ns */
inline void twiddle(float2* a, int r, __global const float2* tw, int step, int inverse) {
    if (step > 0) {
        for (int m = 1; m < r; m++) {
            a[m] = cmul(a[m], conj_if(tw[m * step], inverse));
        }
    }
}

inline void dft2(float2* a) {
    float2 t = a[0];
    a[0] = t + a[1];
    a[1] = t - a[1];
}

/* the 4-point DFT of a[0], a[s], a[2s], a[3s], in place */
inline void dft4(float2* a, int s, int inverse) {
    float2 t0 = a[0] + a[2 * s];
    float2 t1 = a[0] - a[2 * s];
    float2 t2 = a[s] + a[3 * s];
    float2 t3 = times_minus_i(a[s] - a[3 * s], inverse);
    a[0] = t0 + t2;
    a[s] = t1 + t3;
    a[2 * s] = t0 - t2;
    a[3 * s] = t1 - t3;
}

/* the 8-point DFT as two 4-point DFTs (even and odd elements) and one radix-2 step, in natural order */
inline void dft8(float2* a, int inverse) {
    dft4(a, 2, inverse);     /* E[k] in a[2k] */
    dft4(a + 1, 2, inverse); /* O[k] in a[2k+1] */
    float2 o1 = times_w8(a[3], inverse);
    float2 o2 = times_minus_i(a[5], inverse);
    float2 o3 = times_minus_i(times_w8(a[7], inverse), inverse);
    float2 x0 = a[0] + a[1];
    float2 x4 = a[0] - a[1];
    float2 x1 = a[2] + o1;
    float2 x5 = a[2] - o1;
    float2 x2 = a[4] + o2;
    float2 x6 = a[4] - o2;
    float2 x3 = a[6] + o3;
    float2 x7 = a[6] - o3;
    a[0] = x0;
    a[1] = x1;
    a[2] = x2;
    a[3] = x3;
    a[4] = x4;
    a[5] = x5;
    a[6] = x6;
    a[7] = x7;
}

/* one butterfly of radix r (2, 4 or 8; a constant where called): twiddles, then the r-point DFT */
inline void butterfly(float2* a, int r, __global const float2* tw, int step, int inverse) {
    twiddle(a, r, tw, step, inverse);
    if (r == 2) {
        dft2(a);
    } else if (r == 4) {
        dft4(a, 1, inverse);
    } else {
        dft8(a, inverse);
    }
}

/* one Stockham pass of radix R through global memory; work-items: (j, transform in the batch) */
#define FFT_PASS(R)                                                                                           \
    __kernel void fft_radix##R(__global const float2* in, __global float2* out, __global const float2* tw,   \
                               int n, int ns, int inverse) {                                                 \
        int j = get_global_id(0);                                                                            \
        size_t base = (size_t)get_global_id(1) * n;                                                          \
        int q = n / R;                                                                                       \
        int k = j % ns;                                                                                      \
        float2 a[R];                                                                                         \
        for (int m = 0; m < R; m++) {                                                                        \
            a[m] = in[base + j + m * q];                                                                     \
        }                                                                                                    \
        butterfly(a, R, tw, k * (n / (ns * R)), inverse);                                                    \
        size_t o = base + (size_t)(j / ns) * ns * R + k;                                                     \
        for (int m = 0; m < R; m++) {                                                                        \
            out[o + m * ns] = a[m];                                                                          \
        }                                                                                                    \
    }
FFT_PASS(2)
FFT_PASS(4)
FFT_PASS(8)

/*
 * Whole transforms of length n = 2^logN <= 4096 in local memory, 2^logTiles transforms per work-group
 * (a tile of at most 4096 values), tile / 16 work-items (at least 1), each doing 16 / r butterflies of each
 * pass: the same passes and operations as fft_radix*, so the same bits, with one read and one write of
 * global memory. Sizes are powers of two: indices are shifts and masks (no integer division).
 *
 * Element i of transform T (of `count`) is read from in[(T / per) * dist + (T % per) * inT + i * inI]
 * (per = 2^logPer) and written to out[...same with outT, outI]; with inT or outT = 1 consecutive work-items
 * take consecutive transforms (coalesced strided columns), else consecutive elements. This is also the
 * four-step FFT's sub-transform (n = n1 * n2): columns (per = n2, in and out strided by n2, output times
 * big[i * per + T % per] = exp(-2 pi i j2 k1 / N), a table in the output's order, so its reads are as
 * coalesced as the writes), then rows (per = n1, in contiguous, out strided by n1).
 * `in` and `out` may be the same buffer only when every transform is read and written at the same places.
 */
#define TILE_REGS 16

/* one Stockham pass of radix R over every transform of the tile in buf (2^logTotal values), then a barrier */
#define TILE_PASS(R, LOGR)                                                                                    \
    inline void tile_pass##R(__local float2* buf, float2* v, int logN, int logNs, int logTotal, int lid,      \
                             int items, __global const float2* tw, int inverse) {                            \
        int logQ = logN - LOGR;                                                                              \
        int q = 1 << logQ;                                                                                   \
        int ns = 1 << logNs;                                                                                 \
        int butterflies = 1 << (logTotal - LOGR);                                                            \
        int c = 0;                                                                                           \
        for (int j = lid; j < butterflies; j += items, c += R) {                                             \
            int base = ((j >> logQ) << logN) + (j & (q - 1));                                                \
            for (int m = 0; m < R; m++) {                                                                    \
                v[c + m] = buf[base + m * q];                                                                \
            }                                                                                                \
        }                                                                                                    \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                        \
        c = 0;                                                                                               \
        for (int j = lid; j < butterflies; j += items, c += R) {                                             \
            int jj = j & (q - 1);                                                                            \
            int k = jj & (ns - 1);                                                                           \
            butterfly(v + c, R, tw, k << (logQ - logNs), inverse);                                           \
            int o = ((j >> logQ) << logN) + ((jj - k) << LOGR) + k;                                          \
            for (int m = 0; m < R; m++) {                                                                    \
                buf[o + m * ns] = v[c + m];                                                                  \
            }                                                                                                \
        }                                                                                                    \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                        \
    }
TILE_PASS(2, 1)
TILE_PASS(4, 2)
TILE_PASS(8, 3)

inline size_t tile_index(int T, int i, int logPer, int dist, int xT, int xI) {
    return (size_t)(T >> logPer) * dist + (size_t)(T & ((1 << logPer) - 1)) * xT + (size_t)i * xI;
}

__kernel void fft_tile(__global const float2* in, __global float2* out, __global const float2* tw, int logN,
                       int logTiles, int count, int logPer, int dist, int inT, int inI, int outT, int outI,
                       __global const float2* big, int twist, int inverse, __local float2* buf) {
    int lid = get_local_id(0);
    int items = get_local_size(0);
    int n = 1 << logN;
    int tiles = 1 << logTiles;
    int logTotal = logN + logTiles;
    int first = get_group_id(0) << logTiles;
    int columnsIn = inT == 1 && inI != 1;
    for (int e = lid; e < (1 << logTotal); e += items) {
        int t = columnsIn ? e & (tiles - 1) : e >> logN;
        int i = columnsIn ? e >> logTiles : e & (n - 1);
        int T = first + t;
        buf[(t << logN) + i] = T < count ? in[tile_index(T, i, logPer, dist, inT, inI)] : (float2)(0.0f, 0.0f);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    float2 v[TILE_REGS];
    int logNs = 0;
    if (logN % 3 == 1) {
        tile_pass2(buf, v, logN, logNs, logTotal, lid, items, tw, inverse);
        logNs = 1;
    } else if (logN % 3 == 2) {
        tile_pass4(buf, v, logN, logNs, logTotal, lid, items, tw, inverse);
        logNs = 2;
    }
    for (; logNs < logN; logNs += 3) {
        tile_pass8(buf, v, logN, logNs, logTotal, lid, items, tw, inverse);
    }
    int columnsOut = outT == 1 && outI != 1;
    for (int e = lid; e < (1 << logTotal); e += items) {
        int t = columnsOut ? e & (tiles - 1) : e >> logN;
        int i = columnsOut ? e >> logTiles : e & (n - 1);
        int T = first + t;
        if (T < count) {
            float2 x = buf[(t << logN) + i];
            if (twist) {
                x = cmul(x, conj_if(big[((size_t)i << logPer) + (T & ((1 << logPer) - 1))], inverse));
            }
            out[tile_index(T, i, logPer, dist, outT, outI)] = x;
        }
    }
}

/* out[i] = in[i] * s over the whole batch (in and out may be the same buffer) */
__kernel void fft_scale(__global const float2* in, __global float2* out, float s) {
    size_t i = get_global_id(0);
    out[i] = in[i] * s;
}

/*
 * Bluestein for any n: X[k] = c[k] * sum_j (x[j] c[j]) conj(c[k-j]), c[j] = exp(-i pi j^2 / n), as a
 * convolution of length m (a power of two >= 2n-1). The spectrum of conj(c) (or of c for the inverse)
 * is precomputed on the host in double, scaled by 1/m.
 */
__kernel void bluestein_pre(__global const float2* x, __global float2* y, __global const float2* chirp,
                            int n, int m, int inverse) {
    int j = get_global_id(0);
    size_t b = get_global_id(1);
    y[b * m + j] = j < n ? cmul(x[b * n + j], conj_if(chirp[j], inverse)) : (float2)(0.0f, 0.0f);
}

__kernel void spectrum_mul(__global float2* y, __global const float2* spec, int m) {
    int j = get_global_id(0);
    size_t i = (size_t)get_global_id(1) * m + j;
    y[i] = cmul(y[i], spec[j]);
}

__kernel void bluestein_post(__global const float2* y, __global float2* x, __global const float2* chirp,
                             int n, int m, int inverse, float scale) {
    int k = get_global_id(0);
    size_t b = get_global_id(1);
    x[b * n + k] = cmul(y[b * m + k], conj_if(chirp[k], inverse)) * scale;
}

/*
 * Real transforms of even n (h = n/2) through a complex transform of h: the operations of the reference
 * (FftCore.splitReal, FftCore.mergeReal), work-item k taking the bins k and h - k (k in [0, h/2]);
 * rt[k] = (cos, sin) of 2 pi k / n (FftCore.realTwiddles).
 *
 * Split: z = DFT_h of the reals read as pairs; E[k] = (Z[k] + conj Z[h-k]) / 2, O[k] = (Z[k] - conj Z[h-k]) / 2i,
 * X[k] = E[k] + W^k O[k], X[h-k] = conj(E[k] - W^k O[k]), W = exp(-2 pi i / n).
 */
__kernel void real_split(__global const float2* z, __global float2* out, __global const float2* rt, int n) {
    int k = get_global_id(0);
    size_t b = get_global_id(1);
    int h = n / 2;
    __global const float2* zb = z + b * h;
    __global float2* xb = out + b * (h + 1);
    if (k == 0) {
        float2 z0 = zb[0];
        xb[0] = (float2)(z0.x + z0.y, 0.0f);
        xb[h] = (float2)(z0.x - z0.y, 0.0f);
        return;
    }
    float2 a = zb[k];
    float br = zb[h - k].x; /* conj Z[h-k] */
    float bi = -zb[h - k].y;
    float er = 0.5f * (a.x + br);
    float ei = 0.5f * (a.y + bi);
    float o_r = 0.5f * (a.y - bi); /* (a - b) / 2i */
    float o_i = -0.5f * (a.x - br);
    float wr = rt[k].x; /* W^k = cos - i sin */
    float wi = -rt[k].y;
    float tr = wr * o_r - wi * o_i;
    float ti = wr * o_i + wi * o_r;
    xb[k] = (float2)(er + tr, ei + ti);
    xb[h - k] = (float2)(er - tr, ti - ei); /* for k = h - k this one stands, as in the reference */
}

/*
 * Merge (the split backwards, without the halves): Z[k] = (X[k] + conj X[h-k]) + i (X[k] - conj X[h-k]) conj(W^k);
 * the unscaled inverse DFT_h of Z holds the reals as pairs. Imaginary parts of bins 0 and h ignored.
 */
__kernel void real_merge(__global const float2* in, __global float2* z, __global const float2* rt, int n) {
    int k = get_global_id(0);
    size_t b = get_global_id(1);
    int h = n / 2;
    __global const float2* xb = in + b * (h + 1);
    __global float2* zb = z + b * h;
    if (k == 0) {
        float x0 = xb[0].x;
        float xh = xb[h].x;
        zb[0] = (float2)(x0 + xh, x0 - xh);
        return;
    }
    float2 a = xb[k];
    float2 c = xb[h - k];
    float er = a.x + c.x; /* X[k] + conj X[h-k] */
    float ei = a.y - c.y;
    float dr = a.x - c.x; /* X[k] - conj X[h-k] */
    float di = a.y + c.y;
    float wr = rt[k].x; /* conj(W^k) = cos + i sin */
    float wi = rt[k].y;
    float o_r = dr * wr - di * wi;
    float o_i = dr * wi + di * wr;
    zb[k] = (float2)(er - o_i, ei + o_r);     /* E + i O */
    zb[h - k] = (float2)(er + o_i, o_r - ei); /* conj E + i conj O */
}

/* odd n: real transforms through the complex one of n: real -> complex, first n/2+1 bins, Hermitian completion */
__kernel void real_to_complex(__global const float* x, __global float2* y, int n) {
    int j = get_global_id(0);
    size_t b = get_global_id(1);
    y[b * n + j] = (float2)(x[b * n + j], 0.0f);
}

__kernel void complex_to_half(__global const float2* y, __global float2* out, int n) {
    int k = get_global_id(0);
    size_t b = get_global_id(1);
    out[b * (n / 2 + 1) + k] = y[b * n + k];
}

/* bins 0..n/2 from the input (imaginary parts of bin 0 and, for even n, bin n/2 ignored), the rest conjugate */
__kernel void half_to_complex(__global const float2* in, __global float2* y, int n) {
    int k = get_global_id(0);
    size_t b = get_global_id(1);
    size_t h = b * (n / 2 + 1);
    float2 v;
    if (k <= n / 2) {
        v = in[h + k];
        if (k == 0 || 2 * k == n) {
            v.y = 0.0f;
        }
    } else {
        v = in[h + (n - k)];
        v.y = -v.y;
    }
    y[b * n + k] = v;
}

__kernel void complex_to_real(__global const float2* y, __global float* out, int n, float scale) {
    int k = get_global_id(0);
    size_t b = get_global_id(1);
    out[b * n + k] = y[b * n + k].x * scale;
}
