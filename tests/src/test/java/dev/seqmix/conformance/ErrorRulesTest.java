package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.SeqmixException;
import dev.seqmix.TalkShape;
import dev.seqmix.TalkStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of docs/contract.md#error-rules, for every method: the exception type and a message naming the parameter. */
class ErrorRulesTest {

    static void expect(Class<? extends Throwable> type, String name, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(t.getMessage() != null && t.getMessage().startsWith(name),
                "message should start with the parameter '" + name + "': " + t.getMessage());
    }

    static void npe(String name, Executable call) {
        expect(NullPointerException.class, name, call);
    }

    static void iae(String name, Executable call) {
        expect(IllegalArgumentException.class, name, call);
    }

    static float[] f(int n) {
        return new float[n];
    }

    @Test
    void shapesRejectBadDimensions() {
        iae("TalkShape.batch", () -> new TalkShape(0, 1, 1, 1, 1, 1));
        iae("TalkShape.time", () -> new TalkShape(1, 0, 1, 1, 1, 1));
        iae("TalkShape.channels", () -> new TalkShape(1, 1, 0, 1, 1, 1));
        iae("TalkShape.heads", () -> new TalkShape(1, 1, 1, 0, 1, 1));
        iae("TalkShape.maxLeft", () -> new TalkShape(1, 1, 1, 1, -1, 1));
        iae("TalkShape.maxRight", () -> new TalkShape(1, 1, 1, 1, 1, -1));
        iae("TalkShape.channels", () -> new TalkShape(1, 4, 6, 4, 1, 1));
        iae("TalkShape.batch*time*channels", () -> new TalkShape(1 << 16, 1 << 16, 1, 1, 1, 1));
        iae("TalkShape.maxLeft + maxRight", () -> new TalkShape(1, 1, 1, 1, Integer.MAX_VALUE, 1));
        iae("AttentionShape.batch", () -> new AttentionShape(0, 1, 1, 1, 1, 1, false));
        iae("AttentionShape.length", () -> new AttentionShape(1, 0, 1, 1, 1, 1, false));
        iae("AttentionShape.heads", () -> new AttentionShape(1, 1, 0, 1, 1, 1, false));
        iae("AttentionShape.keyDim", () -> new AttentionShape(1, 1, 1, 0, 1, 1, false));
        iae("AttentionShape.valueDim", () -> new AttentionShape(1, 1, 1, 1, 0, 1, false));
        iae("AttentionShape.features", () -> new AttentionShape(1, 1, 1, 1, 1, 0, true));
        iae("AttentionShape.batch*length*heads*keyDim", () -> new AttentionShape(1 << 12, 1 << 12, 1, 1 << 8, 1, 1, false));
        iae("AttentionShape.heads*(2*length-1)", () -> new AttentionShape(1, 1 << 28, 5, 1, 1, 1, false));
    }

    @Test
    void lookupErrors() {
        npe("name", () -> Seqmix.kernels(null));
        iae("name", () -> Seqmix.kernels("gpu9000"));
        for (var info : Seqmix.backends()) {
            if (!info.available()) {
                Throwable t = assertThrows(SeqmixException.class, () -> Seqmix.kernels(info.name()));
                assertTrue(t.getMessage().contains(info.name()) && t.getMessage().contains("not available"),
                        t.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void scan(String backend) {
        try (Kernels k = Backends.open(backend)) {
            iae("batch", () -> k.cumsum(0, 2, 2, f(0), f(0)));
            iae("time", () -> k.cumsum(1, 0, 2, f(0), f(0)));
            iae("channels", () -> k.cumsumReverse(1, 2, -1, f(0), f(0)));
            iae("batch*time*channels", () -> k.cumsum(1 << 11, 1 << 11, 1 << 11, f(1), f(1)));
            npe("x", () -> k.cumsum(1, 2, 2, (float[]) null, f(4)));
            npe("out", () -> k.cumsum(1, 2, 2, f(4), (float[]) null));
            iae("x", () -> k.cumsum(1, 2, 2, f(3), f(4)));
            iae("x", () -> k.cumsum(1, 2, 2, f(5), f(4)));
            iae("out", () -> k.cumsumReverse(1, 2, 2, f(4), f(5)));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment four = arena.allocate(16);
                iae("x", () -> k.cumsum(1, 2, 2, arena.allocate(12), four));
                iae("out", () -> k.cumsum(1, 2, 2, four, four.asReadOnly()));
                npe("x", () -> k.cumsum(1, 2, 2, (MemorySegment) null, four));
                MemorySegment eight = arena.allocate(32);
                iae("out", () -> k.cumsum(1, 2, 2, eight.asSlice(0, 16), eight.asSlice(8, 16)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void talk(String backend) {
        TalkShape s = new TalkShape(1, 4, 2, 1, 2, 2);
        TalkShape causal = new TalkShape(1, 4, 2, 1, 2, 0);
        try (Kernels k = Backends.open(backend)) {
            npe("s", () -> k.talkForward(null, f(8), f(4), f(4), f(8)));
            npe("x", () -> k.talkForward(s, null, f(4), f(4), f(8)));
            npe("left", () -> k.talkForward(s, f(8), null, f(4), f(8)));
            npe("right", () -> k.talkForward(s, f(8), f(4), null, f(8)));
            npe("out", () -> k.talkForward(s, f(8), f(4), f(4), null));
            iae("x", () -> k.talkForward(s, f(7), f(4), f(4), f(8)));
            iae("left", () -> k.talkForward(s, f(8), f(5), f(4), f(8)));
            iae("right", () -> k.talkForward(s, f(8), f(4), f(3), f(8)));
            iae("out", () -> k.talkForward(s, f(8), f(4), f(4), f(9)));
            float[] same = f(8);
            iae("out", () -> k.talkForward(s, same, f(4), f(4), same));
            float[] nan = {0, Float.NaN, 0, 0};
            float[] inf = {0, 0, Float.NEGATIVE_INFINITY, 0};
            float[] out = f(8);
            iae("left[1]", () -> k.talkForward(s, f(8), nan, f(4), out));
            iae("right[2]", () -> k.talkForward(s, f(8), f(4), inf, out));
            iae("left[1]", () -> k.talkForward(causal, f(8), nan, null, out));
            assertArrayEquals(f(8), out, 0f, "nothing written on error");
            // a causal shape ignores right, whatever it holds
            k.talkForward(causal, f(8), f(4), nan, out);

            npe("gradOut", () -> k.talkBackward(s, f(8), f(4), f(4), null, f(8), f(4), f(4)));
            npe("gradX", () -> k.talkBackward(s, f(8), f(4), f(4), f(8), null, f(4), f(4)));
            npe("gradLeft", () -> k.talkBackward(s, f(8), f(4), f(4), f(8), f(8), null, f(4)));
            npe("gradRight", () -> k.talkBackward(s, f(8), f(4), f(4), f(8), f(8), f(4), null));
            iae("gradX", () -> k.talkBackward(s, f(8), f(4), f(4), f(8), f(7), f(4), f(4)));
            iae("gradRight", () -> k.talkBackward(s, f(8), f(4), f(4), f(8), f(8), f(4), f(5)));
            iae("gradRight", () -> k.talkBackward(causal, f(8), f(4), null, f(8), f(8), f(4), f(5)));
            iae("left[1]", () -> k.talkBackward(s, f(8), nan, f(4), f(8), f(8), f(4), f(4)));
            k.talkBackward(causal, f(8), f(4), null, f(8), f(8), f(4), null);

            iae("s.maxRight", () -> k.talkStream(s));
            npe("s", () -> k.talkStream(null));
            TalkStream stream = k.talkStream(causal);
            npe("xt", () -> stream.step(null, f(1), f(2)));
            iae("xt", () -> stream.step(f(3), f(1), f(2)));
            iae("leftT", () -> stream.step(f(2), f(2), f(2)));
            iae("outT", () -> stream.step(f(2), f(1), f(1)));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment x = arena.allocate(32);
                MemorySegment o = arena.allocate(16);
                iae("x", () -> k.talkForward(s, arena.allocate(28), o, o, x));
                iae("out", () -> k.talkForward(s, x, o, o, x.asReadOnly()));
                iae("out", () -> k.talkForward(s, x, o, o, x));
                MemorySegment bad = arena.allocate(16);
                bad.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 3, Float.NaN);
                iae("right[3]", () -> k.talkForward(s, x, o, bad, arena.allocate(32)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void fft(String backend) {
        try (Kernels k = Backends.open(backend)) {
            iae("n", () -> k.fftPlan(0));
            iae("n", () -> k.fftPlan(-4));
            iae("n", () -> k.fftPlan(Integer.MAX_VALUE));
            FftPlan p = k.fftPlan(8);
            iae("batch", () -> p.forward(f(16), 0));
            npe("data", () -> p.forward((float[]) null, 1));
            iae("data", () -> p.inverse(f(15), 1));
            iae("data", () -> p.forward(f(32), 1));
            iae("2*n*batch", () -> p.forward(f(16), Integer.MAX_VALUE / 4));
            iae("in", () -> p.forwardReal(f(7), f(10), 1));
            iae("out", () -> p.forwardReal(f(8), f(8), 1));
            iae("in", () -> p.inverseReal(f(8), f(8), 1));
            iae("out", () -> p.inverseReal(f(10), f(9), 1));
            npe("out", () -> p.inverseReal(f(10), (float[]) null, 1));
            try (Arena arena = Arena.ofConfined()) {
                iae("data", () -> p.forward(arena.allocate(60), 1));
                iae("data", () -> p.forward(arena.allocate(64).asReadOnly(), 1));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void toeplitz(String backend) {
        try (Kernels k = Backends.open(backend)) {
            iae("n", () -> k.toeplitzMatmul(1, 0, 1, f(0), f(0), f(0)));
            iae("cols", () -> k.toeplitzMatmul(1, 2, 0, f(3), f(0), f(0)));
            iae("batch", () -> k.toeplitzMatmul(-1, 2, 1, f(3), f(2), f(2)));
            npe("coeffs", () -> k.toeplitzMatmul(1, 2, 1, null, f(2), f(2)));
            iae("coeffs", () -> k.toeplitzMatmul(1, 2, 1, f(4), f(2), f(2)));
            iae("x", () -> k.toeplitzMatmul(1, 2, 1, f(3), f(3), f(2)));
            iae("y", () -> k.toeplitzMatmul(1, 2, 1, f(3), f(2), f(1)));
            float[] same = f(2);
            iae("y", () -> k.toeplitzMatmul(1, 2, 1, f(3), same, same));
            iae("batch*n*cols", () -> k.toeplitzMatmul(1 << 10, 1 << 11, 1 << 11, f(1), f(1), f(1)));
            iae("batch*(2n-1)", () -> k.toeplitzMatmul(1 << 30, 4, 1, f(1), f(1), f(1)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void attention(String backend) {
        AttentionShape s = new AttentionShape(1, 3, 2, 4, 5, 6, false);
        int keys = 24;
        int values = 30;
        int feats = 36;
        int bias = 10;
        try (Kernels k = Backends.open(backend)) {
            npe("s", () -> k.randomFeatures(null, f(keys), f(24), true, f(feats)));
            npe("x", () -> k.randomFeatures(s, null, f(24), true, f(feats)));
            iae("projection", () -> k.randomFeatures(s, f(keys), f(23), true, f(feats)));
            iae("phi", () -> k.randomFeatures(s, f(keys), f(24), false, f(feats + 1)));
            npe("phiQ", () -> k.rpeAttention(s, null, f(feats), f(values), f(bias), f(values)));
            iae("phiK", () -> k.rpeAttention(s, f(feats), f(feats - 1), f(values), f(bias), f(values)));
            iae("v", () -> k.rpeAttention(s, f(feats), f(feats), f(keys), f(bias), f(values)));
            iae("bias", () -> k.rpeAttention(s, f(feats), f(feats), f(values), f(5), f(values)));
            npe("out", () -> k.rpeAttention(s, f(feats), f(feats), f(values), f(bias), null));
            float[] v = f(values);
            iae("out", () -> k.rpeAttention(s, f(feats), f(feats), v, f(bias), v));
            npe("q", () -> k.softmaxRpeAttention(s, null, f(keys), f(values), f(bias), f(values)));
            iae("k", () -> k.softmaxRpeAttention(s, f(keys), f(keys + 3), f(values), f(bias), f(values)));
            iae("bias", () -> k.softmaxRpeAttention(s, f(keys), f(keys), f(values), f(bias + 1), f(values)));
            iae("out", () -> k.softmaxRpeAttention(s, f(keys), f(keys), f(values), f(bias), f(values - 1)));
            // the backward passes: every parameter named, the outputs apart from the inputs and from each other
            npe("s", () -> k.randomFeaturesBackward(null, f(keys), f(24), true, f(feats), f(keys)));
            iae("gradPhi", () -> k.randomFeaturesBackward(s, f(keys), f(24), true, f(feats - 1), f(keys)));
            npe("gradX", () -> k.randomFeaturesBackward(s, f(keys), f(24), false, f(feats), null));
            float[] x = f(keys);
            iae("gradX", () -> k.randomFeaturesBackward(s, x, f(24), false, f(feats), x));
            npe("gradOut", () -> k.rpeAttentionBackward(s, f(feats), f(feats), f(values), f(bias), null, f(feats),
                    f(feats), f(values), f(bias)));
            iae("gradPhiK", () -> k.rpeAttentionBackward(s, f(feats), f(feats), f(values), f(bias), f(values),
                    f(feats), f(feats + 1), f(values), f(bias)));
            iae("gradBias", () -> k.rpeAttentionBackward(s, f(feats), f(feats), f(values), f(bias), f(values),
                    f(feats), f(feats), f(values), f(bias - 1)));
            float[] phi = f(feats);
            iae("gradPhiQ", () -> k.rpeAttentionBackward(s, phi, f(feats), f(values), f(bias), f(values), phi,
                    f(feats), f(values), f(bias)));
            float[] gv = f(values);
            iae("gradV", () -> k.rpeAttentionBackward(s, f(feats), f(feats), f(values), f(bias), gv, f(feats),
                    f(feats), gv, f(bias)));
            npe("gradQ", () -> k.softmaxRpeAttentionBackward(s, f(keys), f(keys), f(values), f(bias), f(values),
                    null, f(keys), f(values), f(bias)));
            iae("gradK", () -> k.softmaxRpeAttentionBackward(s, f(keys), f(keys), f(values), f(bias), f(values),
                    f(keys), f(keys - 1), f(values), f(bias)));
            float[] gk = f(keys);
            iae("gradQ", () -> k.softmaxRpeAttentionBackward(s, f(keys), f(keys), f(values), f(bias), f(values),
                    gk, gk, f(values), f(bias)));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment q = arena.allocate(4L * keys);
                MemorySegment vv = arena.allocate(4L * values);
                MemorySegment b = arena.allocate(4L * bias);
                iae("out", () -> k.softmaxRpeAttention(s, q, q, vv, b, vv));
                iae("out", () -> k.softmaxRpeAttention(s, q, q, vv, b, arena.allocate(4L * values).asReadOnly()));
                iae("bias", () -> k.softmaxRpeAttention(s, q, q, vv, arena.allocate(8), arena.allocate(4L * values)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void closedKernelsRejectEveryCall(String backend) {
        Kernels k = Backends.open(backend);
        FftPlan plan = k.fftPlan(16);
        TalkStream stream = k.talkStream(new TalkShape(1, 1, 1, 1, 1, 0));
        k.close();
        k.close(); // idempotent
        TalkShape s = new TalkShape(1, 2, 1, 1, 1, 1);
        AttentionShape a = new AttentionShape(1, 1, 1, 1, 1, 1, false);
        Executable[] calls = {
            () -> k.cumsum(1, 1, 1, f(1), f(1)),
            () -> k.cumsumReverse(1, 1, 1, f(1), f(1)),
            () -> k.talkForward(s, f(2), f(2), f(2), f(2)),
            () -> k.talkBackward(s, f(2), f(2), f(2), f(2), f(2), f(2), f(2)),
            () -> k.talkStream(new TalkShape(1, 1, 1, 1, 1, 0)),
            () -> k.fftPlan(8),
            () -> plan.forward(f(32), 1),
            () -> plan.inverseReal(f(18), f(16), 1),
            () -> stream.step(f(1), f(1), f(1)),
            () -> stream.reset(),
            () -> k.toeplitzMatmul(1, 1, 1, f(1), f(1), f(1)),
            () -> k.randomFeatures(a, f(1), f(1), true, f(1)),
            () -> k.rpeAttention(a, f(1), f(1), f(1), f(1), f(1)),
            () -> k.softmaxRpeAttention(a, f(1), f(1), f(1), f(1), f(1)),
            () -> k.randomFeaturesBackward(a, f(1), f(1), true, f(1), f(1)),
            () -> k.rpeAttentionBackward(a, f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1)),
            () -> k.softmaxRpeAttentionBackward(a, f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1), f(1)),
        };
        for (Executable call : calls) {
            assertThrows(IllegalStateException.class, call);
        }
    }
}
