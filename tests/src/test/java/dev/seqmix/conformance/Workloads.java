package dev.seqmix.conformance;

import dev.seqmix.AttentionShape;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One call of every operation on fixed random inputs, with the outputs, so that tests can compare runs
 * (determinism, threads) and forms (arrays, segments). Sizes are chosen to cross the thresholds above
 * which work is split over threads ({@code Parallel.MIN_PARALLEL_WORK}) and the Toeplitz FFT crossover.
 */
final class Workloads {
    private Workloads() {
    }

    record Op(String name, Function<Kernels, float[][]> run) {
    }

    static List<Op> all() {
        SplittableRandom rnd = new SplittableRandom(2024);
        List<Op> ops = new ArrayList<>();
        TalkShape ts = new TalkShape(4, 4099, 64, 4, 9, 5);
        float[] x = Data.uniform(rnd, ts.sequenceLength(), -1, 1);
        float[] left = Data.uniform(rnd, ts.offsetLength(), 0, 1.5);
        float[] right = Data.uniform(rnd, ts.offsetLength(), 0, 1.5);
        float[] g = Data.uniform(rnd, ts.sequenceLength(), -1, 1);
        ops.add(new Op("cumsum", k -> {
            float[] o = new float[x.length];
            k.cumsum(4, 4099, 64, x, o);
            return new float[][] {o};
        }));
        ops.add(new Op("cumsumReverse", k -> {
            float[] o = new float[x.length];
            k.cumsumReverse(4, 4099, 64, x, o);
            return new float[][] {o};
        }));
        ops.add(new Op("talkForward", k -> {
            float[] o = new float[x.length];
            k.talkForward(ts, x, left, right, o);
            return new float[][] {o};
        }));
        ops.add(new Op("talkBackward", k -> {
            float[] gx = new float[x.length];
            float[] gl = new float[left.length];
            float[] gr = new float[left.length];
            k.talkBackward(ts, x, left, right, g, gx, gl, gr);
            return new float[][] {gx, gl, gr};
        }));
        int n = 1536;
        int transforms = 32;
        float[] c = Data.uniform(rnd, 2 * n * transforms, -1, 1);
        ops.add(new Op("fft", k -> {
            float[] d = c.clone();
            k.fftPlan(n).forward(d, transforms);
            float[] r = new float[2 * (n / 2 + 1) * transforms];
            k.fftPlan(n).forwardReal(java.util.Arrays.copyOf(c, n * transforms), r, transforms);
            return new float[][] {d, r};
        }));
        float[] coeffs = Data.uniform(rnd, 2 * (2 * 300 - 1), -1, 1);
        float[] tx = Data.uniform(rnd, 2 * 300 * 67, -1, 1);
        ops.add(new Op("toeplitzMatmul", k -> {
            float[] y = new float[tx.length];
            k.toeplitzMatmul(2, 300, 67, coeffs, tx, y);
            return new float[][] {y};
        }));
        AttentionShape as = new AttentionShape(2, 256, 4, 16, 17, 33, true);
        float[] q = Data.uniform(rnd, as.keyLength(), -1, 1);
        float[] kk = Data.uniform(rnd, as.keyLength(), -1, 1);
        float[] w = Data.uniform(rnd, as.projectionLength(), -1, 1);
        float[] v = Data.uniform(rnd, as.valueLength(), -1, 1);
        float[] bias = Data.uniform(rnd, as.biasLength(), -1, 1);
        ops.add(new Op("randomFeatures", k -> {
            float[] pq = new float[as.featureLength()];
            float[] pk = new float[as.featureLength()];
            k.randomFeatures(as, q, w, true, pq);
            k.randomFeatures(as, kk, w, false, pk);
            return new float[][] {pq, pk};
        }));
        ops.add(new Op("rpeAttention", k -> {
            float[] pq = new float[as.featureLength()];
            float[] pk = new float[as.featureLength()];
            k.randomFeatures(as, q, w, true, pq);
            k.randomFeatures(as, kk, w, false, pk);
            float[] o = new float[as.valueLength()];
            k.rpeAttention(as, pq, pk, v, bias, o);
            return new float[][] {o};
        }));
        ops.add(new Op("softmaxRpeAttention", k -> {
            float[] o = new float[as.valueLength()];
            k.softmaxRpeAttention(as, q, kk, v, bias, o);
            return new float[][] {o};
        }));
        float[] gOut = Data.uniform(rnd, as.valueLength(), -1, 1);
        float[] gPhi = Data.uniform(rnd, as.featureLength(), -1, 1);
        ops.add(new Op("randomFeaturesBackward", k -> {
            float[] gq = new float[as.keyLength()];
            float[] gk = new float[as.keyLength()];
            k.randomFeaturesBackward(as, q, w, true, gPhi, gq);
            k.randomFeaturesBackward(as, kk, w, false, gPhi, gk);
            return new float[][] {gq, gk};
        }));
        ops.add(new Op("rpeAttentionBackward", k -> {
            float[] pq = new float[as.featureLength()];
            float[] pk = new float[as.featureLength()];
            k.randomFeatures(as, q, w, true, pq);
            k.randomFeatures(as, kk, w, false, pk);
            float[] gq = new float[as.featureLength()];
            float[] gk = new float[as.featureLength()];
            float[] gv = new float[as.valueLength()];
            float[] gb = new float[as.biasLength()];
            k.rpeAttentionBackward(as, pq, pk, v, bias, gOut, gq, gk, gv, gb);
            return new float[][] {gq, gk, gv, gb};
        }));
        ops.add(new Op("softmaxRpeAttentionBackward", k -> {
            float[] gq = new float[as.keyLength()];
            float[] gk = new float[as.keyLength()];
            float[] gv = new float[as.valueLength()];
            float[] gb = new float[as.biasLength()];
            k.softmaxRpeAttentionBackward(as, q, kk, v, bias, gOut, gq, gk, gv, gb);
            return new float[][] {gq, gk, gv, gb};
        }));
        return ops;
    }
}
