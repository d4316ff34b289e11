package dev.seqmix.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tiled local-memory scan of few long columns, forward and reverse, in place too, against a double sum. */
class TiledScanTest {

    @Test
    void longColumnsMatchADoubleScan() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{1, 100_003, 1}, {2, 40_000, 3}, {1, 4096, 1}, {3, 5000, 2}};
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device())) {
            for (int[] d : shapes) {
                int batch = d[0];
                int time = d[1];
                int channels = d[2];
                float[] x = new float[batch * time * channels];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rnd.nextDouble(-1, 1);
                }
                for (boolean reverse : new boolean[] {false, true}) {
                    float[] out = new float[x.length];
                    float[] inPlace = x.clone();
                    if (reverse) {
                        k.cumsumReverse(batch, time, channels, x, out);
                        k.cumsumReverse(batch, time, channels, inPlace, inPlace);
                    } else {
                        k.cumsum(batch, time, channels, x, out);
                        k.cumsum(batch, time, channels, inPlace, inPlace);
                    }
                    for (int b = 0; b < batch; b++) {
                        for (int c = 0; c < channels; c++) {
                            double s = 0;
                            double abs = 0;
                            for (int i = 0; i < time; i++) {
                                int t = reverse ? time - 1 - i : i;
                                int at = (b * time + t) * channels + c;
                                s += x[at];
                                abs += Math.abs(x[at]);
                                double tol = 1e-6 * abs + 1e-6;
                                assertTrue(Math.abs(out[at] - s) <= tol && out[at] == inPlace[at],
                                        "shape " + java.util.Arrays.toString(d) + " reverse " + reverse + " t " + t
                                                + ": " + out[at] + " vs " + s);
                            }
                        }
                    }
                }
            }
        }
    }
}
