package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seqmix.FftPlan;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The local-memory FFT (n <= 4096, several transforms a work-group) does the global passes' operations: same bits. */
class FftLocalPathTest {

    @Test
    void localAndGlobalPassesGiveTheSameBits() {
        OpenClDevice device = OpenClFaultsTest.device();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n = 4; n <= 4096; n *= 2) {
            float[] data = new float[2 * n * 3];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) rnd.nextDouble(-1, 1);
            }
            float[] local = data.clone();
            float[] global = data.clone();
            try (OpenClKernels k = new OpenClKernels(device)) {
                FftPlan p = k.fftPlan(n);
                p.forward(local, 3);
                p.inverse(local, 3);
            }
            String old = System.getProperty(FftKernels.LOCAL_PROPERTY);
            System.setProperty(FftKernels.LOCAL_PROPERTY, "false");
            try (OpenClKernels k = new OpenClKernels(device)) {
                FftPlan p = k.fftPlan(n);
                p.forward(global, 3);
                p.inverse(global, 3);
            } finally {
                if (old == null) {
                    System.clearProperty(FftKernels.LOCAL_PROPERTY);
                } else {
                    System.setProperty(FftKernels.LOCAL_PROPERTY, old);
                }
            }
            assertArrayEquals(global, local, 0f, "n = " + n);
        }
    }
}
