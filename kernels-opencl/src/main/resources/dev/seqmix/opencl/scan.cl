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

/*
 * Long scans of few columns (1-D sequences): the same reduce-then-scan, with a work-group per tile of
 * SCAN_ITEMS * (local size) positions of one column and the tile scanned in __local memory: each work-item
 * sums SCAN_ITEMS consecutive positions, the work-group combines the partial sums (tree reduction for the
 * tile sum; Hillis-Steele scan for the offsets), in a fixed order. p runs along the column in scan order
 * (reversed for cumsumReverse). The local size is a power of two.
 */
#define SCAN_ITEMS 8

inline size_t scan_index(int p, int time, int channels, int b, int c, int reverse) {
    int t = reverse ? time - 1 - p : p;
    return ((size_t)b * time + t) * channels + c;
}

__kernel void scan_tile_sums(__global const float* x, __global float* sums, int time, int channels, int tiles,
                             int reverse, __local float* part) {
    int lid = get_local_id(0);
    int items = get_local_size(0);
    int tile = get_group_id(0);
    int b = tile / tiles;
    int c = get_global_id(1);
    int p0 = ((tile % tiles) * items + lid) * SCAN_ITEMS;
    float s = 0.0f;
    for (int i = 0; i < SCAN_ITEMS; i++) {
        if (p0 + i < time) {
            s += x[scan_index(p0 + i, time, channels, b, c, reverse)];
        }
    }
    part[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int off = items / 2; off > 0; off >>= 1) {
        if (lid < off) {
            part[lid] += part[lid + off];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        sums[(size_t)tile * channels + c] = part[0];
    }
}

__kernel void scan_tile_apply(__global const float* x, __global float* out, __global const float* sums, int time,
                              int channels, int tiles, int reverse, __local float* part) {
    int lid = get_local_id(0);
    int items = get_local_size(0);
    int tile = get_group_id(0);
    int b = tile / tiles;
    int c = get_global_id(1);
    int p0 = ((tile % tiles) * items + lid) * SCAN_ITEMS;
    float v[SCAN_ITEMS];
    float s = 0.0f;
    for (int i = 0; i < SCAN_ITEMS; i++) {
        if (p0 + i < time) {
            s += x[scan_index(p0 + i, time, channels, b, c, reverse)];
        }
        v[i] = s;
    }
    part[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int off = 1; off < items; off <<= 1) {
        float add = lid >= off ? part[lid - off] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        part[lid] += add;
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float before = sums[(size_t)tile * channels + c] + (lid > 0 ? part[lid - 1] : 0.0f);
    for (int i = 0; i < SCAN_ITEMS; i++) {
        if (p0 + i < time) {
            out[scan_index(p0 + i, time, channels, b, c, reverse)] = before + v[i];
        }
    }
}
