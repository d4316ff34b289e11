/*
 * Scan along time of [batch][time][channels], reduce-then-scan without any waiting between work-groups:
 * time is cut into blocks; work-items run over (channel, batch*block), so neighbouring work-items read
 * neighbouring channels (coalesced). Three launches:
 *   scan_block_sums:    sum of each block
 *   scan_block_offsets: per column, exclusive scan of its block sums (in time order, or reversed)
 *   scan_apply:         per block, its offset plus the running sum of the block, written to out
 * out may be x (each work-item reads its own elements before writing them).
 */

__kernel void scan_block_sums(__global const float* x, __global float* sums,
                              int time, int channels, int blockLen, int blocks) {
    int c = get_global_id(0);
    int blk = get_global_id(1);
    int b = blk / blocks;
    int t0 = (blk % blocks) * blockLen;
    int t1 = min(time, t0 + blockLen);
    __global const float* col = x + (size_t)b * time * channels + c;
    float s = 0.0f;
    for (int t = t0; t < t1; t++) {
        s += col[(size_t)t * channels];
    }
    sums[(size_t)blk * channels + c] = s;
}

__kernel void scan_block_offsets(__global float* sums, int channels, int blocks, int reverse) {
    int c = get_global_id(0);
    int b = get_global_id(1);
    __global float* col = sums + (size_t)b * blocks * channels + c;
    float run = 0.0f;
    for (int i = 0; i < blocks; i++) {
        int k = reverse ? blocks - 1 - i : i;
        float v = col[(size_t)k * channels];
        col[(size_t)k * channels] = run;
        run += v;
    }
}

__kernel void scan_apply(__global const float* x, __global float* out, __global const float* sums,
                         int time, int channels, int blockLen, int blocks, int reverse) {
    int c = get_global_id(0);
    int blk = get_global_id(1);
    int b = blk / blocks;
    int t0 = (blk % blocks) * blockLen;
    int t1 = min(time, t0 + blockLen);
    size_t base = (size_t)b * time * channels + c;
    float run = sums[(size_t)blk * channels + c];
    if (reverse) {
        for (int t = t1 - 1; t >= t0; t--) {
            run += x[base + (size_t)t * channels];
            out[base + (size_t)t * channels] = run;
        }
    } else {
        for (int t = t0; t < t1; t++) {
            run += x[base + (size_t)t * channels];
            out[base + (size_t)t * channels] = run;
        }
    }
}
