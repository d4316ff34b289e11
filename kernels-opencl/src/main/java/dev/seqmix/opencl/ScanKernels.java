package dev.seqmix.opencl;

import org.jocl.cl_mem;

/** Scan along time on the device (scan.cl): reduce-then-scan over time blocks, work-items over columns. */
final class ScanKernels {
    /** Work-items worth launching at least (so a GPU has enough columns times blocks to run). */
    private static final int TARGET_ITEMS = 1 << 14;
    /** Shortest block: shorter ones cost more in the two extra passes than they give. */
    private static final int MIN_BLOCK = 32;

    private final OpenClContext ctx;

    ScanKernels(OpenClContext ctx) {
        this.ctx = ctx;
    }

    /** {@code out} (a float[] or a MemorySegment) gets the scan of {@code x}; they may be the same. */
    void scan(int batch, int time, int channels, Object x, Object out, boolean reverse) {
        long n = (long) batch * time * channels;
        long columns = (long) batch * channels;
        int blocks = (int) Math.max(1, Math.min(time / MIN_BLOCK, (TARGET_ITEMS + columns - 1) / columns));
        int blockLen = (time + blocks - 1) / blocks;
        blocks = (time + blockLen - 1) / blockLen;
        cl_mem data = ctx.input("x", x, n);
        cl_mem result = ctx.output("out", out, n);
        cl_mem sums = ctx.buffers.get("scan.sums", (long) batch * blocks * channels * Float.BYTES);
        int rev = reverse ? 1 : 0;
        ctx.kernel("scan", "scan_block_sums").mem(data).mem(sums).i(time).i(channels).i(blockLen).i(blocks)
                .run(channels, (long) batch * blocks);
        ctx.kernel("scan", "scan_block_offsets").mem(sums).i(channels).i(blocks).i(rev).run(channels, batch);
        ctx.kernel("scan", "scan_apply").mem(data).mem(result).mem(sums).i(time).i(channels).i(blockLen).i(blocks)
                .i(rev).run(channels, (long) batch * blocks);
        ctx.collect(result, out, n);
    }
}
