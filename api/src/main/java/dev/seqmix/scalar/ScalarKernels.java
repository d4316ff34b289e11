package dev.seqmix.scalar;

import dev.seqmix.internal.fft.FftCores;
import dev.seqmix.internal.fft.FftCore;
import dev.seqmix.AttentionShape;
import dev.seqmix.BackendInfo;
import dev.seqmix.FftPlan;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import dev.seqmix.spi.AbstractKernels;
import dev.seqmix.internal.Parallel;
import dev.seqmix.internal.ScratchPool;
import dev.seqmix.internal.SizeCache;

/**
 * The reference backend: plain Java loops, written for clarity, with the right algorithms (O(n) window
 * sums, FFT Toeplitz products, O(n log n) RPE attention). Work is split over (batch, head) slices or
 * transforms when large; every slice is computed by the same code on whichever thread, so results do
 * not depend on the split.
 */
final class ScalarKernels extends AbstractKernels {
    private final BackendInfo info = new ScalarProvider().probe();
    private final SizeCache<FftPlan> plans = new SizeCache<>(size -> new ScalarFftPlan(FftCores.get(size), this));

    @Override
    public BackendInfo info() {
        return info;
    }

    /** Lets go of this instance's plans; the shared FFT tables stay in their bounded process-wide cache. */
    @Override
    protected void release() {
        plans.clear();
    }

    // ---------------------------------------------------------------- scan

    @Override
    protected void doScan(int batch, int time, int channels, float[] x, float[] out, boolean reverse) {
        int parts = Parallel.parts(batch, (long) time * channels);
        if (parts == 1) {
            scanRange(time, channels, x, out, reverse, 0, batch);
        } else {
            Parallel.run(parts, batch, (from, to) -> scanRange(time, channels, x, out, reverse, from, to));
        }
    }

    /** Row by row, so that every step streams through contiguous channels. */
    private static void scanRange(int time, int channels, float[] x, float[] out, boolean reverse, int from, int to) {
        for (int b = from; b < to; b++) {
            int base = b * time * channels;
            if (channels == 1) {
                scanSequence(x, out, base, time, reverse);
                continue;
            }
            int first = reverse ? time - 1 : 0;
            int step = reverse ? -channels : channels;
            int row = base + first * channels;
            System.arraycopy(x, row, out, row, channels);
            for (int t = 1; t < time; t++) {
                int prev = row;
                row += step;
                for (int c = 0; c < channels; c++) {
                    out[row + c] = out[prev + c] + x[row + c];
                }
            }
        }
    }

    /** One contiguous sequence: a running sum, without the per-row loop overhead of the general case. */
    private static void scanSequence(float[] x, float[] out, int base, int time, boolean reverse) {
        float running = 0f;
        if (reverse) {
            for (int i = base + time - 1; i >= base; i--) {
                running += x[i];
                out[i] = running;
            }
        } else {
            for (int i = base; i < base + time; i++) {
                running += x[i];
                out[i] = running;
            }
        }
    }

    // ---------------------------------------------------------------- TaLK

    @Override
    protected void doTalkForward(TalkShape s, float[] x, float[] left, float[] right, float[] out) {
        int slices = s.batch() * s.heads();
        int parts = Parallel.parts(slices, (long) s.time() * s.headChannels() * 8);
        if (parts == 1) {
            talkForwardRange(s, x, left, right, out, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) -> talkForwardRange(s, x, left, right, out, from, to));
        }
    }

    private static void talkForwardRange(TalkShape s, float[] x, float[] left, float[] right, float[] out,
                                         int from, int to) {
        double[] prefix = ScratchPool.doubles(TalkWindowSums.forwardScratch(s));
        try {
            for (int slice = from; slice < to; slice++) {
                TalkWindowSums.forward(s, x, left, right, out, slice / s.heads(), slice % s.heads(), prefix);
            }
        } finally {
            ScratchPool.release(prefix);
        }
    }

    @Override
    protected void doTalkBackward(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                  float[] gradX, float[] gradLeft, float[] gradRight) {
        int slices = s.batch() * s.heads();
        int parts = Parallel.parts(slices, (long) s.time() * s.headChannels() * 16);
        if (parts == 1) {
            talkBackwardRange(s, x, left, right, gradOut, gradX, gradLeft, gradRight, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) ->
                    talkBackwardRange(s, x, left, right, gradOut, gradX, gradLeft, gradRight, from, to));
        }
    }

    private static void talkBackwardRange(TalkShape s, float[] x, float[] left, float[] right, float[] gradOut,
                                          float[] gradX, float[] gradLeft, float[] gradRight, int from, int to) {
        double[] scratch = ScratchPool.doubles(TalkWindowSums.backwardScratch(s));
        try {
            for (int slice = from; slice < to; slice++) {
                TalkWindowSums.backward(s, x, left, right, gradOut, gradX, gradLeft, gradRight,
                        slice / s.heads(), slice % s.heads(), scratch);
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }

    @Override
    protected TalkStream createTalkStream(TalkShape s) {
        return new ScalarTalkStream(s, this);
    }

    // ---------------------------------------------------------------- FFT

    @Override
    protected FftPlan plan(int n) {
        return plans.get(n);
    }

    // ---------------------------------------------------------------- Toeplitz

    @Override
    protected void doToeplitzMatmul(int batch, int n, int cols, float[] coeffs, float[] x, float[] y) {
        if (!ToeplitzProduct.useFft(n)) {
            int parts = Parallel.parts(batch, (long) n * n * cols);
            if (parts == 1) {
                directRange(n, cols, coeffs, x, y, 0, batch);
            } else {
                Parallel.run(parts, batch, (from, to) -> directRange(n, cols, coeffs, x, y, from, to));
            }
            return;
        }
        FftCore fft = FftCores.get(ToeplitzProduct.circulantSize(n));
        int size = fft.size();
        float[] spectra = ScratchPool.floats(2 * size * batch);
        try {
            long transformWork = 5L * size * (32 - Integer.numberOfLeadingZeros(size));
            int parts = Parallel.parts(batch, transformWork);
            if (parts == 1) {
                spectrumRange(fft, n, coeffs, spectra, 0, batch);
            } else {
                Parallel.run(parts, batch, (from, to) -> spectrumRange(fft, n, coeffs, spectra, from, to));
            }
            int pairs = (cols + 1) / 2;
            int tasks = batch * pairs;
            parts = Parallel.parts(tasks, 2 * transformWork);
            if (parts == 1) {
                columnRange(fft, n, cols, pairs, spectra, x, y, 0, tasks);
            } else {
                Parallel.run(parts, tasks, (from, to) -> columnRange(fft, n, cols, pairs, spectra, x, y, from, to));
            }
        } finally {
            ScratchPool.release(spectra);
        }
    }

    private static void directRange(int n, int cols, float[] coeffs, float[] x, float[] y, int from, int to) {
        for (int b = from; b < to; b++) {
            ToeplitzProduct.direct(coeffs, b * (2 * n - 1), n, cols, x, b * n * cols, y, b * n * cols);
        }
    }

    private static void spectrumRange(FftCore fft, int n, float[] coeffs, float[] spectra, int from, int to) {
        int size = fft.size();
        float[] spec = ScratchPool.floats(2 * size);
        float[] fftScratch = ScratchPool.floats(fft.scratchFloats());
        try {
            for (int b = from; b < to; b++) {
                ToeplitzProduct.spectrum(fft, coeffs, b * (2 * n - 1), n, spec, fftScratch);
                System.arraycopy(spec, 0, spectra, 2 * size * b, 2 * size);
            }
        } finally {
            ScratchPool.release(spec);
            ScratchPool.release(fftScratch);
        }
    }

    private static void columnRange(FftCore fft, int n, int cols, int pairs, float[] spectra, float[] x, float[] y,
                                    int from, int to) {
        int size = fft.size();
        float[] spec = ScratchPool.floats(2 * size);
        float[] work = ScratchPool.floats(2 * size);
        float[] fftScratch = ScratchPool.floats(fft.scratchFloats());
        try {
            int loaded = -1;
            for (int task = from; task < to; task++) {
                int b = task / pairs;
                if (b != loaded) {
                    System.arraycopy(spectra, 2 * size * b, spec, 0, 2 * size);
                    loaded = b;
                }
                int k0 = 2 * (task % pairs);
                ToeplitzProduct.fftColumnPair(fft, spec, n, cols, k0, x, b * n * cols, y, b * n * cols, work,
                        fftScratch);
            }
        } finally {
            ScratchPool.release(spec);
            ScratchPool.release(work);
            ScratchPool.release(fftScratch);
        }
    }

    // ---------------------------------------------------------------- attention

    @Override
    protected void doRandomFeatures(AttentionShape s, float[] x, float[] projection, boolean queries, float[] phi) {
        int slices = s.batch() * s.heads();
        int parts = Parallel.parts(slices, (long) s.length() * s.features() * s.keyDim() * 2);
        if (parts == 1) {
            featuresRange(s, x, projection, queries, phi, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) -> featuresRange(s, x, projection, queries, phi, from, to));
        }
    }

    private static void featuresRange(AttentionShape s, float[] x, float[] projection, boolean queries, float[] phi,
                                      int from, int to) {
        for (int slice = from; slice < to; slice++) {
            Attention.randomFeatures(s, x, projection, queries, phi, slice / s.heads(), slice % s.heads());
        }
    }

    @Override
    protected void doRpeAttention(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] out) {
        int slices = s.batch() * s.heads();
        long n = s.length();
        long work = n * s.features() * (s.valueDim() + 1) * (ToeplitzProduct.useFft(s.length()) ? 20 : n);
        int parts = Parallel.parts(slices, work);
        if (parts == 1) {
            rpeRange(s, phiQ, phiK, v, bias, out, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) -> rpeRange(s, phiQ, phiK, v, bias, out, from, to));
        }
    }

    private static void rpeRange(AttentionShape s, float[] phiQ, float[] phiK, float[] v, float[] bias, float[] out,
                                 int from, int to) {
        FftCore fft = ToeplitzProduct.useFft(s.length())
                ? FftCores.get(ToeplitzProduct.circulantSize(s.length())) : null;
        int size = fft == null ? 1 : fft.size();
        float[] mats = ScratchPool.floats(Attention.rpeMatrices(s));
        float[] spec = ScratchPool.floats(2 * size);
        float[] work = ScratchPool.floats(2 * size);
        float[] fftScratch = ScratchPool.floats(fft == null ? 1 : fft.scratchFloats());
        double[] acc = ScratchPool.doubles(Attention.rpeAccumulator(s));
        try {
            for (int slice = from; slice < to; slice++) {
                Attention.rpe(s, phiQ, phiK, v, bias, out, slice / s.heads(), slice % s.heads(), fft, mats, spec,
                        work, fftScratch, acc);
            }
        } finally {
            ScratchPool.release(mats);
            ScratchPool.release(spec);
            ScratchPool.release(work);
            ScratchPool.release(fftScratch);
            ScratchPool.release(acc);
        }
    }

    @Override
    protected void doSoftmaxRpeAttention(AttentionShape s, float[] q, float[] k, float[] v, float[] bias,
                                         float[] out) {
        int slices = s.batch() * s.heads();
        long n = s.length();
        int parts = Parallel.parts(slices, n * n * (s.keyDim() + s.valueDim()));
        if (parts == 1) {
            softmaxRange(s, q, k, v, bias, out, 0, slices);
        } else {
            Parallel.run(parts, slices, (from, to) -> softmaxRange(s, q, k, v, bias, out, from, to));
        }
    }

    private static void softmaxRange(AttentionShape s, float[] q, float[] k, float[] v, float[] bias, float[] out,
                                     int from, int to) {
        double[] scratch = ScratchPool.doubles(Attention.softmaxScratch(s));
        try {
            for (int slice = from; slice < to; slice++) {
                Attention.softmax(s, q, k, v, bias, out, slice / s.heads(), slice % s.heads(), scratch);
            }
        } finally {
            ScratchPool.release(scratch);
        }
    }
}
