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
        Parallel.Args a = Parallel.args().floats(x, out).ints(time, channels).flag(reverse);
        Parallel.run(Parallel.parts(batch, (long) time * channels), batch, a, SCAN);
    }

    private static final Parallel.Body SCAN = (a, from, to) -> scanRange(a.i0, a.i1, a.f0, a.f1, a.b0, from, to);

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
        Parallel.Args a = Parallel.args().with(s).floats(x, left, right, out);
        Parallel.run(Parallel.parts(slices, (long) s.time() * s.headChannels() * 8), slices, a, TALK_FORWARD);
    }

    private static final Parallel.Body TALK_FORWARD = (a, from, to) ->
            talkForwardRange((TalkShape) a.o0, a.f0, a.f1, a.f2, a.f3, from, to);

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
        Parallel.Args a = Parallel.args().with(s).floats(x, left, right, gradOut, gradX, gradLeft, gradRight);
        Parallel.run(Parallel.parts(slices, (long) s.time() * s.headChannels() * 16), slices, a, TALK_BACKWARD);
    }

    private static final Parallel.Body TALK_BACKWARD = (a, from, to) ->
            talkBackwardRange((TalkShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.f4, a.f5, a.f6, from, to);

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
            Parallel.Args a = Parallel.args().floats(coeffs, x, y).ints(n, cols);
            Parallel.run(Parallel.parts(batch, (long) n * n * cols), batch, a, DIRECT);
            return;
        }
        FftCore fft = FftCores.get(ToeplitzProduct.circulantSize(n));
        int size = fft.size();
        float[] spectra = ScratchPool.floats(2 * size * batch);
        try {
            long transformWork = 5L * size * (32 - Integer.numberOfLeadingZeros(size));
            Parallel.Args a = Parallel.args().with(fft).floats(coeffs, spectra).ints(n);
            Parallel.run(Parallel.parts(batch, transformWork), batch, a, SPECTRA);
            int pairs = (cols + 1) / 2;
            int tasks = batch * pairs;
            a = Parallel.args().with(fft).floats(spectra, x, y).ints(n, cols, pairs);
            Parallel.run(Parallel.parts(tasks, 2 * transformWork), tasks, a, COLUMNS);
        } finally {
            ScratchPool.release(spectra);
        }
    }

    private static final Parallel.Body DIRECT = (a, from, to) -> directRange(a.i0, a.i1, a.f0, a.f1, a.f2, from, to);
    private static final Parallel.Body SPECTRA = (a, from, to) ->
            spectrumRange((FftCore) a.o0, a.i0, a.f0, a.f1, from, to);
    private static final Parallel.Body COLUMNS = (a, from, to) ->
            columnRange((FftCore) a.o0, a.i0, a.i1, a.i2, a.f0, a.f1, a.f2, from, to);

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
        Parallel.Args a = Parallel.args().with(s).floats(x, projection, phi).flag(queries);
        Parallel.run(Parallel.parts(slices, (long) s.length() * s.features() * s.keyDim() * 2), slices, a, FEATURES);
    }

    private static final Parallel.Body FEATURES = (a, from, to) ->
            featuresRange((AttentionShape) a.o0, a.f0, a.f1, a.b0, a.f2, from, to);

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
        Parallel.Args a = Parallel.args().with(s).floats(phiQ, phiK, v, bias, out);
        Parallel.run(Parallel.parts(slices, work), slices, a, RPE);
    }

    private static final Parallel.Body RPE = (a, from, to) ->
            rpeRange((AttentionShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.f4, from, to);

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
        Parallel.Args a = Parallel.args().with(s).floats(q, k, v, bias, out);
        Parallel.run(Parallel.parts(slices, n * n * (s.keyDim() + s.valueDim())), slices, a, SOFTMAX);
    }

    private static final Parallel.Body SOFTMAX = (a, from, to) ->
            softmaxRange((AttentionShape) a.o0, a.f0, a.f1, a.f2, a.f3, a.f4, from, to);

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
