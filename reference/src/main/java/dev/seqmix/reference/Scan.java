package dev.seqmix.reference;

/** The prefix sum along time in double. Layout {@code [batch][time][channels]}, row-major. */
public final class Scan {
    private Scan() {
    }

    /**
     * {@return {@code out[b][t][c] = sum over s <= t of x[b][s][c]}, or over {@code s >= t} when {@code reverse}}
     *
     * @param batch    independent sequences
     * @param time     steps per sequence
     * @param channels values per step
     * @param x        the input, {@code [batch][time][channels]}
     * @param reverse  whether the sum runs from the end
     */
    public static double[] cumsum(int batch, int time, int channels, float[] x, boolean reverse) {
        double[] out = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                double acc = 0;
                for (int i = 0; i < time; i++) {
                    int t = reverse ? time - 1 - i : i;
                    int idx = (b * time + t) * channels + c;
                    acc += x[idx];
                    out[idx] = acc;
                }
            }
        }
        return out;
    }
}
