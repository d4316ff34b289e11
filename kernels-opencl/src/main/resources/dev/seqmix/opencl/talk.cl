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

/* one work-item per (channel, batch) column, sequential in time (the host stream sums in the same order) */
__kernel void talk_prefix(__global const float* x, __global acc_t* P, int time, int channels) {
    int c = get_global_id(0);
    int b = get_global_id(1);
    size_t base = (size_t)b * time * channels + c;
    acc_t s = ACC_ZERO;
    for (int t = 0; t < time; t++) {
        s = acc_add(s, (real_t)x[base + (size_t)t * channels]);
        P[base + (size_t)t * channels] = s;
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
 * gradX of one (channel, batch) column: the edge weights of every window go into the column's own dS in
 * time order (the column belongs to this work-item alone: no atomics, same bits every run), then gradX is
 * the suffix sum of dS times invK.
 */
__kernel void talk_grad_x(__global const float* left, __global const float* right, __global const float* gradOut,
                          __global acc_t* dS, __global float* gradX, int time, int channels, int heads,
                          int maxLeft, int maxRight, real_t invK) {
    int c = get_global_id(0);
    int b = get_global_id(1);
    int h = c / (channels / heads);
    size_t base = (size_t)b * time * channels + c;
    for (int t = 0; t < time; t++) {
        dS[base + (size_t)t * channels] = ACC_ZERO;
    }
    for (int t = 0; t < time; t++) {
        size_t o = ((size_t)b * time + t) * heads + h;
        window_t w = talk_window(t, time, left[o], maxRight > 0 ? right[o] : 0.0f, maxLeft, maxRight);
        real_t g = gradOut[base + (size_t)t * channels];
        if (w.fl >= 1) {
            size_t i = base + (size_t)(w.fl - 1) * channels;
            dS[i] = acc_add(dS[i], -(w.aL * g));
        }
        if (w.cl >= 1) {
            size_t i = base + (size_t)(w.cl - 1) * channels;
            dS[i] = acc_add(dS[i], -((1 - w.aL) * g));
        }
        size_t r = base + (size_t)w.fr * channels;
        dS[r] = acc_add(dS[r], (1 - w.aR) * g);
        r = base + (size_t)w.cr * channels;
        dS[r] = acc_add(dS[r], w.aR * g);
    }
    acc_t s = ACC_ZERO;
    for (int t = time - 1; t >= 0; t--) {
        s = acc_sum(s, dS[base + (size_t)t * channels]);
        gradX[base + (size_t)t * channels] = (float)(acc_value(s) * invK);
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
