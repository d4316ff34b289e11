package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.TalkShape;
import dev.seqmix.spi.Warmup;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library's warm-up ({@code -Dseqmix.warmup}), in child JVMs (the build runs the other tests with it off):
 * the same calls give the same bits with and without it, lazy mode warms exactly the families a JVM uses and
 * before their first call returns, eager mode warms every family in {@code kernels()}, and a bad value is
 * an error naming the property.
 */
class WarmupTest {

    static String child(String mode, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-modules") || arg.startsWith("--enable-native-access")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Dseqmix.warmup=" + mode);
        cmd.add("-Dseqmix.test.backends=" + String.join(",", Backends.available()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    static List<String> lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    @Test
    void sameBitsWithAndWithoutWarmupAndOnlyTheUsedFamiliesWarm() throws Exception {
        String lazy = child("lazy", "all");
        String none = child("none", "all");
        assertEquals(lines(none, "bits "), lines(lazy, "bits "), lazy);
        assertEquals(Backends.available().size() * 6, lines(lazy, "bits ").size(), lazy);
        // lazy: each JIT backend warmed exactly the six families the child used, none when switched off
        for (String b : Backends.available()) {
            String warmed = lines(lazy, "warmed " + b + " ").getFirst();
            if (!b.equals("opencl")) {
                assertEquals("warmed " + b + " [attention, fft, scan, softmax_attention, talk, toeplitz]", warmed, lazy);
            }
            assertEquals("warmed " + b + " []", lines(none, "warmed " + b + " ").getFirst(), none);
        }
    }

    @Test
    void lazyWarmsOnlyWhatIsUsed() throws Exception {
        String out = child("lazy", "scan");
        for (String b : Backends.available()) {
            if (!b.equals("opencl")) {
                assertEquals("warmed " + b + " [scan]", lines(out, "warmed " + b + " ").getFirst(), out);
            }
        }
    }

    @Test
    void eagerWarmsEverythingInKernels() throws Exception {
        String out = child("eager", "none");
        for (String b : Backends.available()) {
            if (!b.equals("opencl")) {
                assertEquals("warmed " + b + " [attention, fft, scan, softmax_attention, talk, toeplitz]",
                        lines(out, "warmed " + b + " ").getFirst(), out);
            }
        }
    }

    @Test
    void aBadValueNamesTheProperty() throws Exception {
        String out = child("sometimes", "bad");
        assertTrue(out.contains("error IllegalArgumentException seqmix.warmup: expected lazy, eager or none, "
                + "got 'sometimes'"), out);
    }

    /** The child: runs the chosen calls on every backend and prints their bits and the families warmed. */
    public static final class Child {
        public static void main(String[] args) {
            String what = args[0];
            for (String b : Backends.available()) {
                Kernels k;
                try {
                    k = Backends.open(b);
                } catch (RuntimeException e) {
                    System.out.println("error " + e.getClass().getSimpleName() + " " + e.getMessage());
                    return;
                }
                try (k) {
                    SplittableRandom rnd = new SplittableRandom(3);
                    if (what.equals("all") || what.equals("scan")) {
                        float[] x = Data.uniform(rnd, 2 * 300 * 9, -1, 1);
                        float[] out = new float[x.length];
                        k.cumsum(2, 300, 9, x, out);
                        print(b, "scan", out);
                    }
                    if (what.equals("all")) {
                        TalkShape s = new TalkShape(1, 200, 16, 2, 9, 4);
                        float[] x = Data.uniform(rnd, s.sequenceLength(), -1, 1);
                        float[] left = Data.uniform(rnd, s.offsetLength(), 0, 1);
                        float[] out = new float[x.length];
                        k.talkForward(s, x, left, left, out);
                        print(b, "talk", out);
                        FftPlan p = k.fftPlan(3000);
                        float[] c = Data.uniform(rnd, 6000, -1, 1);
                        p.forward(c, 1);
                        print(b, "fft", c);
                        float[] coeffs = Data.uniform(rnd, 2 * 99 - 1, -1, 1);
                        float[] tx = Data.uniform(rnd, 99 * 2, -1, 1);
                        float[] ty = new float[tx.length];
                        k.toeplitzMatmul(1, 99, 2, coeffs, tx, ty);
                        print(b, "toeplitz", ty);
                        AttentionShape as = new AttentionShape(1, 77, 2, 8, 8, 8, true);
                        float[] q = Data.uniform(rnd, as.featureLength(), 0.01, 1);
                        float[] v = Data.uniform(rnd, as.valueLength(), -1, 1);
                        float[] bias = Data.uniform(rnd, as.biasLength(), -1, 1);
                        float[] out2 = new float[as.valueLength()];
                        k.rpeAttention(as, q, q, v, bias, out2);
                        print(b, "attention", out2);
                        float[] kq = Data.uniform(rnd, as.keyLength(), -1, 1);
                        k.softmaxRpeAttention(as, kq, kq, v, bias, out2);
                        print(b, "softmax", out2);
                    }
                }
                System.out.println("warmed " + b + " " + Warmup.reports(b).stream()
                        .map(r -> r.family().name().toLowerCase(java.util.Locale.ROOT)).sorted()
                        .collect(Collectors.toList()));
            }
        }

        static void print(String backend, String what, float[] a) {
            System.out.println("bits " + backend + " " + what + " " + Arrays.hashCode(a));
        }
    }
}
