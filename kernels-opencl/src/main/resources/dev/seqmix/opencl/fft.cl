/*
 * Batched complex FFT, Stockham autosort: each pass reads one buffer and writes the other (no bit reversal).
 * Pass with span ns (1, r, r^2, ... for radix r): work-item j of a transform takes the r elements
 * j + m*n/r, twiddles them by w^(m*k) with k = j % ns, w = exp(-2 pi i / (ns*r)), does a radix-r DFT and
 * writes them to (j/ns)*ns*r + k + m*ns. Twiddles come from a table tw[m] = exp(-2 pi i m / n) computed
 * on the host in double and rounded once; the inverse conjugates them. Transforms are unscaled; the
 * plan scales inverses by 1/n.
 * Work-items: (j, transform in the batch).
 */

__kernel void fft_radix2(__global const float2* in, __global float2* out, __global const float2* tw,
                         int n, int ns, int inverse) {
    int j = get_global_id(0);
    size_t base = (size_t)get_global_id(1) * n;
    int q = n / 2;
    int k = j % ns;
    float2 a0 = in[base + j];
    float2 a1 = in[base + j + q];
    if (ns > 1) {
        a1 = cmul(a1, conj_if(tw[k * (n / (ns * 2))], inverse));
    }
    size_t o = base + (size_t)(j / ns) * ns * 2 + k;
    out[o] = a0 + a1;
    out[o + ns] = a0 - a1;
}

/* radix-4 butterfly of one Stockham step: twiddles w^(m*k) (k = j % ns), then the 4-point DFT */
inline void radix4(float2* a0, float2* a1, float2* a2, float2* a3, __global const float2* tw, int n, int ns, int k,
                   int inverse) {
    if (ns > 1) {
        int step = k * (n / (ns * 4));
        *a1 = cmul(*a1, conj_if(tw[step], inverse));
        *a2 = cmul(*a2, conj_if(tw[2 * step], inverse));
        *a3 = cmul(*a3, conj_if(tw[3 * step], inverse));
    }
    float2 t0 = *a0 + *a2;
    float2 t1 = *a0 - *a2;
    float2 t2 = *a1 + *a3;
    float2 d = *a1 - *a3;
    /* times -i (forward) or +i (inverse) */
    float2 t3 = inverse ? (float2)(-d.y, d.x) : (float2)(d.y, -d.x);
    *a0 = t0 + t2;
    *a1 = t1 + t3;
    *a2 = t0 - t2;
    *a3 = t1 - t3;
}

__kernel void fft_radix4(__global const float2* in, __global float2* out, __global const float2* tw,
                         int n, int ns, int inverse) {
    int j = get_global_id(0);
    size_t base = (size_t)get_global_id(1) * n;
    int q = n / 4;
    int k = j % ns;
    float2 a0 = in[base + j];
    float2 a1 = in[base + j + q];
    float2 a2 = in[base + j + 2 * q];
    float2 a3 = in[base + j + 3 * q];
    radix4(&a0, &a1, &a2, &a3, tw, n, ns, k, inverse);
    size_t o = base + (size_t)(j / ns) * ns * 4 + k;
    out[o] = a0;
    out[o + ns] = a1;
    out[o + 2 * ns] = a2;
    out[o + 3 * ns] = a3;
}

/*
 * Whole transforms of n <= 4096 (n a power of two, n >= 4) in local memory: one work-group per transform,
 * n / 16 work-items (at least 1), each doing up to 8 radix-2 or 4 radix-4 butterflies per pass. The same
 * passes and operations as fft_radix2 / fft_radix4, so the same bits; one launch and one read and write of
 * global memory instead of log4(n). Each pass reads its inputs into registers, waits, writes, waits.
 */
#define LOCAL_RADIX4_PER_ITEM 4
__kernel void fft_local(__global float2* data, __global const float2* tw, int n, int inverse,
                        __local float2* buf) {
    size_t base = (size_t)get_group_id(0) * n;
    int lid = get_local_id(0);
    int items = get_local_size(0);
    for (int i = lid; i < n; i += items) {
        buf[i] = data[base + i];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    float2 v[4 * LOCAL_RADIX4_PER_ITEM];
    int ns = 1;
    if (((31 - clz(n)) & 1) == 1) {
        int q = n / 2;
        int c = 0;
        for (int j = lid; j < q; j += items, c += 2) {
            v[c] = buf[j];
            v[c + 1] = buf[j + q];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        c = 0;
        for (int j = lid; j < q; j += items, c += 2) {
            buf[2 * j] = v[c] + v[c + 1];
            buf[2 * j + 1] = v[c] - v[c + 1];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        ns = 2;
    }
    for (; ns < n; ns *= 4) {
        int q = n / 4;
        int c = 0;
        for (int j = lid; j < q; j += items, c += 4) {
            v[c] = buf[j];
            v[c + 1] = buf[j + q];
            v[c + 2] = buf[j + 2 * q];
            v[c + 3] = buf[j + 3 * q];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        c = 0;
        for (int j = lid; j < q; j += items, c += 4) {
            int k = j % ns;
            radix4(&v[c], &v[c + 1], &v[c + 2], &v[c + 3], tw, n, ns, k, inverse);
            int o = (j / ns) * ns * 4 + k;
            buf[o] = v[c];
            buf[o + ns] = v[c + 1];
            buf[o + 2 * ns] = v[c + 2];
            buf[o + 3 * ns] = v[c + 3];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = lid; i < n; i += items) {
        data[base + i] = buf[i];
    }
}

/* data[i] *= s over the whole batch */
__kernel void fft_scale(__global float2* data, float s) {
    size_t i = get_global_id(0);
    data[i] = data[i] * s;
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

/* real transforms through the complex one: real -> complex, first n/2+1 bins, Hermitian completion */
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
