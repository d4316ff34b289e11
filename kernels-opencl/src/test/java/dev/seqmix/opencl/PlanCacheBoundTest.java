package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.internal.SizeCache;
import org.junit.jupiter.api.Test;

/** The device tables of sizes that are not powers of two are bounded: evicted sizes give their buffers back. */
class PlanCacheBoundTest {

    @Test
    void deviceTablesOfManySizesStayBounded() {
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device())) {
            int sizes = SizeCache.OTHER_SIZES * 3;
            int afterFirst = -1;
            for (int i = 0; i < sizes; i++) {
                int n = 1001 + 2 * i; // odd: Bluestein tables (chirp and two spectra) per size
                float[] d = new float[2 * n];
                d[2] = 1;
                k.fftPlan(n).forward(d, 1);
                // a single impulse at index 1: |X[j]| = 1 everywhere, whichever tables served it
                assertEquals(1.0, Math.hypot(d[2 * (n / 3)], d[2 * (n / 3) + 1]), 1e-4, "n=" + n);
                if (i == SizeCache.OTHER_SIZES) {
                    afterFirst = k.context().buffers.fixedCount();
                }
            }
            int held = k.context().buffers.fixedCount();
            assertTrue(afterFirst > 0);
            assertEquals(afterFirst, held, "fixed device buffers grew with the number of sizes asked for");
            // a size evicted long ago is made again and still right
            float[] d = new float[2 * 1001];
            d[2] = 1;
            k.fftPlan(1001).forward(d, 1);
            assertEquals(1.0, Math.hypot(d[2 * 7], d[2 * 7 + 1]), 1e-4);
        }
    }
}
