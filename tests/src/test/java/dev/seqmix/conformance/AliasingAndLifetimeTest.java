package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every forbidden pairing of an output with another parameter, for every method, in both forms; and segments
 * that the calling thread may not touch (closed arena, another thread's confined arena), on every backend.
 *
 * <p>The table below is written from the public API's documentation, independently of the backends'
 * declarations, so that a rule missing from either form shows here.
 */
class AliasingAndLifetimeTest {

    /** One method: its float parameters (names, lengths, which are written) and how to call each form. */
    record Method(String name, List<String> params, int[] lengths, Set<String> outputs, Set<String> inPlace,
                  BiConsumer<Kernels, float[][]> arrays, BiConsumer<Kernels, MemorySegment[]> segments) {
        int index(String param) {
            return params.indexOf(param);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // Shapes where several parameters have the same length, so that passing one array twice reaches the
    // aliasing rule rather than the length rule.
    static final TalkShape TALK = new TalkShape(1, 5, 3, 3, 2, 1);      // x and offsets: 15 floats each
    static final TalkShape STREAM = new TalkShape(1, 1, 3, 3, 2, 0);    // xt and leftT: 3 floats each
    static final AttentionShape ATT = new AttentionShape(1, 1, 2, 1, 1, 1, false); // every array: 2 floats
    static final AttentionShape FEAT = new AttentionShape(1, 1, 1, 1, 1, 1, false); // every array: 1 float
    static final int FFT_N = 8;

    static List<Method> methods() {
        int t = TALK.sequenceLength();
        int sn = STREAM.batch() * STREAM.channels();
        List<Method> m = new ArrayList<>();
        m.add(new Method("cumsum", List.of("x", "out"), new int[] {7, 7}, Set.of("out"), Set.of("out=x"),
                (k, a) -> k.cumsum(1, 7, 1, a[0], a[1]), (k, a) -> k.cumsum(1, 7, 1, a[0], a[1])));
        m.add(new Method("cumsumReverse", List.of("x", "out"), new int[] {7, 7}, Set.of("out"), Set.of("out=x"),
                (k, a) -> k.cumsumReverse(1, 7, 1, a[0], a[1]), (k, a) -> k.cumsumReverse(1, 7, 1, a[0], a[1])));
        m.add(new Method("talkForward", List.of("x", "left", "right", "out"), new int[] {t, t, t, t},
                Set.of("out"), Set.of(),
                (k, a) -> k.talkForward(TALK, a[0], a[1], a[2], a[3]),
                (k, a) -> k.talkForward(TALK, a[0], a[1], a[2], a[3])));
        m.add(new Method("talkBackward",
                List.of("x", "left", "right", "gradOut", "gradX", "gradLeft", "gradRight"),
                new int[] {t, t, t, t, t, t, t}, Set.of("gradX", "gradLeft", "gradRight"), Set.of(),
                (k, a) -> k.talkBackward(TALK, a[0], a[1], a[2], a[3], a[4], a[5], a[6]),
                (k, a) -> k.talkBackward(TALK, a[0], a[1], a[2], a[3], a[4], a[5], a[6])));
        m.add(new Method("toeplitzMatmul", List.of("coeffs", "x", "y"), new int[] {3, 3, 3}, Set.of("y"), Set.of(),
                (k, a) -> k.toeplitzMatmul(3, 1, 1, a[0], a[1], a[2]),
                (k, a) -> k.toeplitzMatmul(3, 1, 1, a[0], a[1], a[2])));
        m.add(new Method("randomFeatures", List.of("x", "projection", "phi"), new int[] {1, 1, 1}, Set.of("phi"),
                Set.of(), (k, a) -> k.randomFeatures(FEAT, a[0], a[1], true, a[2]),
                (k, a) -> k.randomFeatures(FEAT, a[0], a[1], true, a[2])));
        m.add(new Method("rpeAttention", List.of("phiQ", "phiK", "v", "bias", "out"), new int[] {2, 2, 2, 2, 2},
                Set.of("out"), Set.of(), (k, a) -> k.rpeAttention(ATT, a[0], a[1], a[2], a[3], a[4]),
                (k, a) -> k.rpeAttention(ATT, a[0], a[1], a[2], a[3], a[4])));
        m.add(new Method("softmaxRpeAttention", List.of("q", "k", "v", "bias", "out"), new int[] {2, 2, 2, 2, 2},
                Set.of("out"), Set.of(), (k, a) -> k.softmaxRpeAttention(ATT, a[0], a[1], a[2], a[3], a[4]),
                (k, a) -> k.softmaxRpeAttention(ATT, a[0], a[1], a[2], a[3], a[4])));
        m.add(new Method("randomFeaturesBackward", List.of("x", "projection", "gradPhi", "gradX"),
                new int[] {1, 1, 1, 1}, Set.of("gradX"), Set.of(),
                (k, a) -> k.randomFeaturesBackward(FEAT, a[0], a[1], false, a[2], a[3]),
                (k, a) -> k.randomFeaturesBackward(FEAT, a[0], a[1], false, a[2], a[3])));
        m.add(new Method("rpeAttentionBackward",
                List.of("phiQ", "phiK", "v", "bias", "gradOut", "gradPhiQ", "gradPhiK", "gradV", "gradBias"),
                new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2}, Set.of("gradPhiQ", "gradPhiK", "gradV", "gradBias"), Set.of(),
                (k, a) -> k.rpeAttentionBackward(ATT, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]),
                (k, a) -> k.rpeAttentionBackward(ATT, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8])));
        m.add(new Method("softmaxRpeAttentionBackward",
                List.of("q", "k", "v", "bias", "gradOut", "gradQ", "gradK", "gradV", "gradBias"),
                new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2}, Set.of("gradQ", "gradK", "gradV", "gradBias"), Set.of(),
                (k, a) -> k.softmaxRpeAttentionBackward(ATT, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]),
                (k, a) -> k.softmaxRpeAttentionBackward(ATT, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8])));
        m.add(new Method("TalkStream.step", List.of("xt", "leftT", "outT"), new int[] {sn, sn, sn}, Set.of("outT"),
                Set.of(), (k, a) -> k.talkStream(STREAM).step(a[0], a[1], a[2]),
                (k, a) -> k.talkStream(STREAM).step(a[0], a[1], a[2])));
        // real FFTs: input and output differ in length, so only the segment form can overlap them
        m.add(new Method("FftPlan.forwardReal", List.of("in", "out"), new int[] {FFT_N, FFT_N + 2}, Set.of("out"),
                Set.of(), (k, a) -> k.fftPlan(FFT_N).forwardReal(a[0], a[1], 1),
                (k, a) -> k.fftPlan(FFT_N).forwardReal(a[0], a[1], 1)));
        m.add(new Method("FftPlan.inverseReal", List.of("in", "out"), new int[] {FFT_N + 2, FFT_N}, Set.of("out"),
                Set.of(), (k, a) -> k.fftPlan(FFT_N).inverseReal(a[0], a[1], 1),
                (k, a) -> k.fftPlan(FFT_N).inverseReal(a[0], a[1], 1)));
        m.add(new Method("FftPlan.forward", List.of("data"), new int[] {2 * FFT_N}, Set.of("data"), Set.of(),
                (k, a) -> k.fftPlan(FFT_N).forward(a[0], 1), (k, a) -> k.fftPlan(FFT_N).forward(a[0], 1)));
        return m;
    }

    /** Valid inputs: small values, offsets in [0, 1] (the stream's range, and finite for TaLK). */
    static float[][] validArrays(Method m) {
        float[][] a = new float[m.params().size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = new float[m.lengths()[i]];
            for (int j = 0; j < a[i].length; j++) {
                a[i][j] = 0.25f + 0.5f * ((i * 7 + j * 3) % 5) / 5f;
            }
        }
        return a;
    }

    static MemorySegment[] segments(Arena arena, float[][] arrays) {
        MemorySegment[] s = new MemorySegment[arrays.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = arena.allocate(4L * arrays[i].length, 64);
            MemorySegment.copy(arrays[i], 0, s[i], ValueLayout.JAVA_FLOAT, 0, arrays[i].length);
        }
        return s;
    }

    static List<Object[]> backendsAndMethods() {
        List<Object[]> cases = new ArrayList<>();
        for (String b : Backends.available()) {
            for (Method m : methods()) {
                cases.add(new Object[] {b, m});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndMethods")
    void everyOutputIsApartFromEveryOtherParameter(String backend, Method m) {
        try (Kernels k = Backends.open(backend); Arena arena = Arena.ofConfined()) {
            m.arrays().accept(k, validArrays(m)); // the valid call runs
            m.segments().accept(k, segments(arena, validArrays(m)));
            int pairs = 0;
            for (String out : m.outputs()) {
                int o = m.index(out);
                for (String other : m.params()) {
                    int p = m.index(other);
                    if (p == o) {
                        continue;
                    }
                    boolean inPlace = m.inPlace().contains(out + "=" + other);
                    // the same array twice (only where the lengths allow it)
                    if (m.lengths()[o] == m.lengths()[p]) {
                        float[][] a = validArrays(m);
                        a[o] = a[p];
                        if (inPlace) {
                            m.arrays().accept(k, a);
                        } else {
                            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                    () -> m.arrays().accept(k, a), m.name() + ": " + out + " == " + other);
                            // two outputs: the message names the one declared first
                            boolean otherFirst = m.outputs().contains(other) && p < o;
                            assertEquals(otherFirst ? other + ": must not be the same array as " + out
                                    : out + ": must not be the same array as " + other, e.getMessage());
                            pairs++;
                        }
                    }
                    // overlapping memory: the output's slice starts on the other parameter's last float
                    MemorySegment[] s = segments(arena, validArrays(m));
                    long pBytes = 4L * m.lengths()[p];
                    MemorySegment both = arena.allocate(pBytes + 4L * m.lengths()[o] - 4, 64);
                    s[p] = both.asSlice(0, pBytes);
                    s[o] = both.asSlice(pBytes - 4, 4L * m.lengths()[o]);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> m.segments().accept(k, s), m.name() + ": " + out + " overlaps " + other);
                    String first = m.outputs().contains(other) && p < o ? other : out;
                    String second = first.equals(out) ? other : out;
                    assertTrue(e.getMessage().startsWith(first + ": must "), e.getMessage());
                    assertTrue(e.getMessage().endsWith(" " + second) || e.getMessage().contains(" " + second + " "),
                            e.getMessage());
                    pairs++;
                    if (inPlace) {
                        MemorySegment[] same = segments(arena, validArrays(m));
                        same[o] = same[p];
                        m.segments().accept(k, same);
                    }
                }
            }
            assertTrue(pairs > 0 || m.params().size() == 1, m.name());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndMethods")
    void segmentsOfAClosedArenaAreRejectedBeforeAnythingRuns(String backend, Method m) {
        try (Kernels k = Backends.open(backend); Arena live = Arena.ofConfined()) {
            for (int i = 0; i < m.params().size(); i++) {
                MemorySegment[] s = segments(live, validArrays(m));
                Arena gone = Arena.ofShared();
                float[][] a = validArrays(m);
                s[i] = gone.allocate(4L * a[i].length, 64);
                gone.close();
                String name = m.params().get(i);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.segments().accept(k, s),
                        m.name() + ": " + name + " closed");
                assertEquals(name + ": the segment's arena is closed", e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndMethods")
    void segmentsConfinedToAnotherThreadAreRejectedAndNotWritten(String backend, Method m) throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (Kernels k = Backends.open(backend); Arena mine = Arena.ofConfined(); Arena shared = Arena.ofShared()) {
            for (int i = 0; i < m.params().size(); i++) {
                float[][] a = validArrays(m);
                MemorySegment[] s = segments(shared, a);
                s[i] = segments(mine, new float[][] {a[i]})[0];
                String name = m.params().get(i);
                int index = i;
                Future<Throwable> f = worker.submit(() -> {
                    try {
                        m.segments().accept(k, s);
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
                Throwable t = f.get();
                assertTrue(t instanceof WrongThreadException, m.name() + ": " + name + " on another thread: " + t);
                assertEquals(name + ": the segment's arena is confined to another thread", t.getMessage());
                // nothing was written, into this thread's segment or any other
                for (int j = 0; j < s.length; j++) {
                    assertArrayEquals(a[j], s[j].toArray(ValueLayout.JAVA_FLOAT), m.name() + " wrote " + j
                            + " after rejecting " + m.params().get(index));
                }
            }
        } finally {
            worker.shutdownNow();
        }
    }

    /** The plan check uses its own kernels' state: a plan of a closed instance fails, too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void plansOfAClosedInstanceFail(String backend) {
        Kernels k = Backends.open(backend);
        FftPlan p = k.fftPlan(FFT_N);
        k.close();
        assertThrows(IllegalStateException.class, () -> p.forward(new float[2 * FFT_N], 1));
    }
}
