package dev.seqmix.opencl;

import org.jocl.cl_mem;

/**
 * Scan along time on the device (scan.cl): reduce-then-scan over time blocks, work-items over columns; for few
 * long columns (1-D sequences) each tile is scanned by a work-group in local memory. No work-group ever waits
 * for another: the three phases are three launches.
 */
final class ScanKernels {
    /** Work-items worth launching at least (so a GPU has enough columns times blocks to run). */
    private static final int TARGET_ITEMS = 1 << 14;
    /** Shortest block: shorter ones cost more in the two extra passes than they give. */
    private static final int MIN_BLOCK = 32;

    private final OpenClContext ctx;

    ScanKernels(OpenClContext ctx) {
        this.ctx = ctx;
    }

    /** Fewer columns than this and a long time axis: the tiled scan in local memory (1-D sequences). */
    static final int FEW_COLUMNS = 32;
    /** Positions per work-item in the tiled scan (SCAN_ITEMS in scan.cl). */
    private static final int ITEMS = 8;
    /** Work-items per tile at most. */
    private static final int TILE_ITEMS = 256;

    /** {@code out} (a float[] or a MemorySegment) gets the scan of {@code x}; they may be the same. */
    void scan(int batch, int time, int channels, HostData x, HostData out, boolean reverse) {
        long n = (long) batch * time * channels;
        long columns = (long) batch * channels;
        if (columns < FEW_COLUMNS && time >= 2 * ITEMS * TILE_ITEMS) {
            tiled(batch, time, channels, x, out, reverse);
            return;
        }
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

    /** Reduce-then-scan with each tile of a column scanned by one work-group in local memory. */
    private void tiled(int batch, int time, int channels, HostData x, HostData out, boolean reverse) {
        long n = (long) batch * time * channels;
        OpenClContext.Launch sumsKernel = ctx.kernel("scan", "scan_tile_sums");
        OpenClContext.Launch applyKernel = ctx.kernel("scan", "scan_tile_apply");
        long fit = Math.min(sumsKernel.maxGroup(), applyKernel.maxGroup());
        int items = (int) Math.max(1, Long.highestOneBit(Math.min(TILE_ITEMS, fit)));
        int tile = items * ITEMS;
        int tiles = (time + tile - 1) / tile;
        cl_mem data = ctx.input("x", x, n);
        cl_mem result = ctx.output("out", out, n);
        cl_mem sums = ctx.buffers.get("scan.sums", (long) batch * tiles * channels * Float.BYTES);
        int rev = reverse ? 1 : 0;
        long[] global = {(long) batch * tiles * items, channels};
        long[] local = {items, 1};
        sumsKernel.mem(data).mem(sums).i(time).i(channels).i(tiles).i(rev).local((long) items * Float.BYTES)
                .runGroups(global, local);
        // the tile sums are already in scan order: their exclusive scan runs forward
        ctx.kernel("scan", "scan_block_offsets").mem(sums).i(channels).i(tiles).i(0).run(channels, batch);
        applyKernel.mem(data).mem(result).mem(sums).i(time).i(channels).i(tiles).i(rev)
                .local((long) items * Float.BYTES).runGroups(global, local);
        ctx.collect(result, out, n);
    }
}
