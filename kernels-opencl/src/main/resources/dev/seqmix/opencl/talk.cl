/*
 * TaLK window sums (docs/contract.md#talk). P is the inclusive prefix sum of x along time per (batch, channel)
 * column, in acc_t (double, or float-float without fp64), not divided by K: outputs are scaled by invK at
 * the end. P[-1] = 0.
 *
 * Window positions: lo = t - d with d = left * maxLeft. Writing cl = ceil(lo) = t - floor(d),
 * fl = floor(lo) = t - ceil(d), aL = cl - lo = d - floor(d) keeps the fraction exact whatever t is (also in
 * float). Likewise hi = t + e, e = right * maxRight. Positions are clamped to [0, T-1], offsets are not.
 * OpenClTalkMath mirrors talk_window and talk_value on the host operation for operation (TalkStream).
 */

typedef struct {
    int fl, cl, fr, cr;
    real_t aL, aR;
} window_t;

inline window_t talk_window(int t, int T, float left, float right, int maxLeft, int maxRight) {
    window_t w;
    real_t d = (real_t)left * (real_t)maxLeft;
    if (d >= (real_t)t) {                 /* lo <= 0 */
        w.fl = 0; w.cl = 0; w.aL = 0;
    } else if (d <= (real_t)(t - (T - 1))) { /* lo >= T-1 */
        w.fl = T - 1; w.cl = T - 1; w.aL = 0;
    } else {
        real_t f = floor(d);
        real_t c = ceil(d);
        w.fl = t - (int)c; w.cl = t - (int)f; w.aL = d - f;
    }
    real_t e = (real_t)right * (real_t)maxRight;
    if (e >= (real_t)(T - 1 - t)) {       /* hi >= T-1 */
        w.fr = T - 1; w.cr = T - 1; w.aR = 0;
    } else if (e <= (real_t)(-t)) {       /* hi <= 0 */
        w.fr = 0; w.cr = 0; w.aR = 0;
    } else {
        real_t f = floor(e);
        real_t c = ceil(e);
        w.fr = t + (int)f; w.cr = t + (int)c; w.aR = e - f;
    }
    return w;
}

/* P at time k of the column starting at col (stride channels); P[-1] = 0 */
inline acc_t prefix_at(__global const acc_t* col, int k, int channels) {
    return k < 0 ? ACC_ZERO : col[(size_t)k * channels];
}

/* (1-aR) P[fr] + aR P[cr] - aL P[fl-1] - (1-aL) P[cl-1], written with differences of nearby sums */
inline float talk_value(window_t w, acc_t pfr, acc_t pcr, acc_t pflm, acc_t pclm, real_t invK) {
    real_t d1 = acc_diff(pfr, pclm);
    real_t d2 = acc_diff(pcr, pfr);
    real_t d3 = acc_diff(pclm, pflm);
    real_t s = d1 + w.aR * d2 + w.aL * d3;
    return (float)(s * invK);
}

/*
 * The prefix sums by time blocks of `block` steps, reduce then scan, each launch parallel over columns and
 * blocks: talk_block_totals sums each block from zero; talk_block_bases turns a column's totals into
 * exclusive bases in block order; talk_block_scan runs each block's prefix on from its base. A stream step
 * (OpenClTalkStream, TalkMath) adds in exactly this order, so it gives the bits of the device's forward pass.
 * Work-items: dimension 0 the channel (consecutive items read consecutive floats), dimension 1 the
 * (batch, block) row; work-groups of a fixed shape, the padding guarded; 32-bit indices (a shape holds at
 * most 2^31 - 1 elements).
 */
/* the (channel, batch, block) of a block kernel's work-item, and its block's steps [t0, t1); ok is 0 for padding */
typedef struct {
    int ok, c, row, b, k, col, t0, t1;
} talk_block_t;

inline talk_block_t talk_block(int time, int channels, int batch, int block) {
    talk_block_t w;
    int blocks = (time + block - 1) / block;
    w.c = get_global_id(0);
    w.row = get_global_id(1);
    w.ok = w.c < channels && w.row < batch * blocks;
    w.b = w.row / blocks;
    w.k = w.row - w.b * blocks;
    w.col = w.b * time * channels + w.c;   /* element (b, 0, c) */
    w.t0 = w.k * block;
    w.t1 = min(time, w.t0 + block);
    return w;
}

__kernel void talk_block_totals(__global const float* x, __global acc_t* totals, int time, int channels,
                                int batch, int block) {
    talk_block_t w = talk_block(time, channels, batch, block);
    if (!w.ok) {
        return;
    }
    acc_t s = ACC_ZERO;
    for (int t = w.t0; t < w.t1; t++) {
        s = acc_add(s, (real_t)x[w.col + t * channels]);
    }
    totals[w.row * channels + w.c] = s;
}

/* per (channel, batch) column: totals [batch][blocks][channels] become exclusive bases, in block order
   (reverse != 0: from the last block down, for suffix sums) */
__kernel void talk_block_bases(__global acc_t* totals, int blocks, int channels, int batch, int reverse) {
    int c = get_global_id(0);
    int b = get_global_id(1);
    if (c >= channels || b >= batch) {
        return;
    }
    acc_t base = ACC_ZERO;
    for (int j = 0; j < blocks; j++) {
        int k = reverse ? blocks - 1 - j : j;
        int at = (b * blocks + k) * channels + c;
        acc_t total = totals[at];
        totals[at] = base;
        base = acc_sum(base, total);
    }
}

/* each block's inclusive prefix, run on from the block's base */
__kernel void talk_block_scan(__global const float* x, __global acc_t* P, __global const acc_t* bases, int time,
                              int channels, int batch, int block) {
    talk_block_t w = talk_block(time, channels, batch, block);
    if (!w.ok) {
        return;
    }
    acc_t s = bases[w.row * channels + w.c];
    for (int t = w.t0; t < w.t1; t++) {
        s = acc_add(s, (real_t)x[w.col + t * channels]);
        P[w.col + t * channels] = s;
    }
}

/* gather: one work-item per output element (channel, time, batch); right is ignored when maxRight == 0 */
__kernel void talk_forward(__global const acc_t* P, __global const float* left, __global const float* right,
                           __global float* out, int time, int channels, int heads, int maxLeft, int maxRight,
                           real_t invK) {
    int c = get_global_id(0);
    int t = get_global_id(1);
    int b = get_global_id(2);
    int h = c / (channels / heads);
    size_t o = ((size_t)b * time + t) * heads + h;
    window_t w = talk_window(t, time, left[o], maxRight > 0 ? right[o] : 0.0f, maxLeft, maxRight);
    __global const acc_t* col = P + (size_t)b * time * channels + c;
    out[((size_t)b * time + t) * channels + c] = talk_value(w, prefix_at(col, w.fr, channels),
            prefix_at(col, w.cr, channels), prefix_at(col, w.fl - 1, channels), prefix_at(col, w.cl - 1, channels),
            invK);
}

/*
 * gradX by time blocks, reduce then scan as the prefix: dS of one block of one (channel, batch) column gets
 * the edge weights of every window with an edge in the block. Those windows belong to the steps
 * [t0 - reachAhead, t1 + reachBack), found by the host from the offsets (an edge lies between its step and
 * its unclamped position); they are added in time order, as a sequential walk over the column would add
 * them, each dS element by its own work-item: no atomics, the same bits every run. The block's total goes to
 * totals; talk_block_bases (reverse) and talk_grad_x_scan then run the suffix sums.
 */
__kernel void talk_grad_block(__global const float* left, __global const float* right,
                              __global const float* gradOut, __global acc_t* dS, __global acc_t* totals,
                              int time, int channels, int heads, int batch, int maxLeft, int maxRight, int block,
                              int reachBack, int reachAhead) {
    talk_block_t k = talk_block(time, channels, batch, block);
    if (!k.ok) {
        return;
    }
    int h = k.c / (channels / heads);
    for (int t = k.t0; t < k.t1; t++) {
        dS[k.col + t * channels] = ACC_ZERO;
    }
    int end = min(time, k.t1 + reachBack);
    for (int t = max(0, k.t0 - reachAhead); t < end; t++) {
        int o = (k.b * time + t) * heads + h;
        window_t w = talk_window(t, time, left[o], maxRight > 0 ? right[o] : 0.0f, maxLeft, maxRight);
        real_t g = gradOut[k.col + t * channels];
        if (w.fl - 1 >= k.t0 && w.fl - 1 < k.t1) { /* t0 >= 0: P[-1] gets nothing */
            int at = k.col + (w.fl - 1) * channels;
            dS[at] = acc_add(dS[at], -(w.aL * g));
        }
        if (w.cl - 1 >= k.t0 && w.cl - 1 < k.t1) {
            int at = k.col + (w.cl - 1) * channels;
            dS[at] = acc_add(dS[at], -((1 - w.aL) * g));
        }
        if (w.fr >= k.t0 && w.fr < k.t1) {
            int at = k.col + w.fr * channels;
            dS[at] = acc_add(dS[at], (1 - w.aR) * g);
        }
        if (w.cr >= k.t0 && w.cr < k.t1) {
            int at = k.col + w.cr * channels;
            dS[at] = acc_add(dS[at], w.aR * g);
        }
    }
    acc_t s = ACC_ZERO;
    for (int t = k.t1 - 1; t >= k.t0; t--) {
        s = acc_sum(s, dS[k.col + t * channels]);
    }
    totals[k.row * channels + k.c] = s;
}

/* each block's suffix sum of dS, run on from the later blocks' sum: gradX = that / K */
__kernel void talk_grad_x_scan(__global const acc_t* dS, __global const acc_t* bases, __global float* gradX,
                               int time, int channels, int batch, int block, real_t invK) {
    talk_block_t w = talk_block(time, channels, batch, block);
    if (!w.ok) {
        return;
    }
    acc_t s = bases[w.row * channels + w.c];
    for (int t = w.t1 - 1; t >= w.t0; t--) {
        s = acc_sum(s, dS[w.col + t * channels]);
        gradX[w.col + t * channels] = (float)(acc_value(s) * invK);
    }
}

/*
 * offset gradients: one work-group per (head, time, batch) position o = (b * time + t) * heads + h. Its
 * `lanes` work-items (a power of two) take the head's channels lane, lane + lanes, ... in order (consecutive
 * lanes read consecutive channels: coalesced), then the lanes' sums meet in a pairwise tree in local memory,
 * the same tree for the same lanes: the same bits on every run, no atomics.
 */
__kernel void talk_grad_offsets(__global const acc_t* P, __global const float* left, __global const float* right,
                                __global const float* gradOut, __global float* gradLeft, __global float* gradRight,
                                int time, int channels, int heads, int maxLeft, int maxRight, real_t invK,
                                int writeRight, __local real_t* partial) {
    int lane = get_local_id(0);
    int lanes = get_local_size(0);
    size_t o = get_group_id(0);
    int h = o % heads;
    int t = (o / heads) % time;
    size_t b = o / ((size_t)heads * time);
    window_t w = talk_window(t, time, left[o], maxRight > 0 ? right[o] : 0.0f, maxLeft, maxRight);
    int per = channels / heads;
    real_t gl = 0;
    real_t gr = 0;
    for (int r = lane; r < per; r += lanes) {
        int c = h * per + r;
        __global const acc_t* col = P + b * time * channels + c;
        real_t g = gradOut[(b * time + t) * channels + c];
        gl += acc_diff(prefix_at(col, w.cl - 1, channels), prefix_at(col, w.fl - 1, channels)) * g;
        gr += acc_diff(prefix_at(col, w.cr, channels), prefix_at(col, w.fr, channels)) * g;
    }
    partial[lane] = gl;
    partial[lanes + lane] = gr;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = lanes / 2; step > 0; step /= 2) {
        if (lane < step) {
            partial[lane] += partial[lane + step];
            partial[lanes + lane] += partial[lanes + lane + step];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lane == 0) {
        gradLeft[o] = (float)(partial[0] * (real_t)maxLeft * invK);
        if (writeRight) {
            gradRight[o] = maxRight > 0 ? (float)(partial[lanes] * (real_t)maxRight * invK) : 0.0f;
        }
    }
}
