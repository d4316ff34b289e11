package example.consumer;

import dev.seqmix.BackendInfo;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.TalkShape;
import java.util.Arrays;

/** Lists the backends, then runs the README's TaLK example and a small FFT on the default backend. */
public class Main {
    public static void main(String[] args) {
        System.out.println("module: " + (Main.class.getModule().isNamed() ? Main.class.getModule().getName() : "unnamed"));
        for (BackendInfo b : Seqmix.backends()) {
            System.out.println("backend " + b.name() + ": " + (b.available() ? "available" : "unavailable") + " (" + b.detail() + ")");
        }
        try (Kernels k = Seqmix.kernels()) {                   // the best backend available here
            System.out.println("default: " + k.info().name());

            // the README's example
            TalkShape s = new TalkShape(1, 6, 1, 1, 3, 0);      // batch, time, channels, heads, maxLeft, maxRight (causal)
            float[] x = {1, 2, -1, 3, 0.5f, 4};                 // [batch][time][channels]
            float[] left = {0.5f, 1, 0.25f, 0, 0.875f, 0.625f};
            float[] out = new float[6];
            k.talkForward(s, x, left, null, out);
            System.out.println("talk: " + Arrays.toString(out));

            // real FFT of cos(2 pi j / 8): bin 1 is n/2 = 4, every other bin 0
            int n = 8;
            FftPlan plan = k.fftPlan(n);
            float[] signal = new float[n];
            for (int j = 0; j < n; j++) {
                signal[j] = (float) Math.cos(2 * Math.PI * j / n);
            }
            float[] spectrum = new float[2 * (n / 2 + 1)];
            plan.forwardReal(signal, spectrum, 1);
            double error = 0;
            for (int bin = 0; bin <= n / 2; bin++) {
                error = Math.max(error, Math.abs(spectrum[2 * bin] - (bin == 1 ? n / 2.0 : 0)));
                error = Math.max(error, Math.abs(spectrum[2 * bin + 1]));
            }
            System.out.println("fft: " + (error < 1e-5 ? "ok" : "WRONG") + " (bin 1 = " + spectrum[2] + ", max error " + error + ")");
        }
    }
}
