package dev.seqmix.cli;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.TalkShape;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqmix coldstart}: what an application meets in a fresh JVM. Each case runs in a JVM of its own:
 * {@code Seqmix.kernels()}, the plan (FFT) and the first call timed together, then calls 2-10 one by one, then
 * calls until the time is steady; the table gives each as a ratio to the steady median, and the bytes the
 * calling thread allocates per steady call ({@code ThreadMXBean}).
 */
@Command(name = "coldstart", mixinStandardHelpOptions = true,
        description = "Times the first calls of every operation in fresh JVMs (kernels() + plan + first call, "
                + "calls 2-10 against the steady median, bytes allocated per steady call).")
final class ColdStartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "Backend (default: simd).")
    String backend = "simd";

    @Option(names = "--case", description = "Only these cases (repeatable); default: all. Names: ${COMPLETION-CANDIDATES}")
    List<Case> only = new ArrayList<>();

    @Option(names = "--quick", description = "Small shapes (seconds; for tests).")
    boolean quick;

    @Option(names = "--after-others", description = "Before each case, run every other case (small shapes, "
            + "about 0.3 s each) in the same JVM: the case's steady time then shows what the JIT's history costs.")
    boolean afterOthers;

    /** The cases of the first-call issue's table. */
    enum Case {
        fft1M, fft64K, fft4K, fft256, scan, scan1d, talkForward, talkBackward, rpeAttention, softmaxAttention,
        rpeAttentionBackward, softmaxAttentionBackward
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<Case> cases = only.isEmpty() ? List.of(Case.values()) : only;
        out.printf(Locale.ROOT, "seqmix coldstart: backend %s, %s, -Dseqmix.warmup=%s, each case in a fresh JVM%s%n",
                backend, quick ? "quick shapes" : "the issue's shapes",
                System.getProperty("seqmix.warmup", "lazy (default)"),
                afterOthers ? ", after every other case ran in it" : "");
        Table t = new Table("case", "kernels+plan+first (s)", "calls 2-10 median / steady", "max / steady",
                "steady", "bytes / steady call").right(1, 2, 3, 4, 5);
        int failures = 0;
        for (Case c : cases) {
            String[] row = runChild(c);
            if (row == null) {
                failures++;
                t.add(c.name(), "failed", "", "", "", "");
            } else {
                t.add(row);
            }
            out.flush();
        }
        t.print(out);
        return failures == 0 ? 0 : 1;
    }

    private String[] runChild(Case c) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-modules") || arg.startsWith("--enable-native-access") || arg.startsWith("-Dseqmix.")
                    || arg.startsWith("-Xmx")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), c.name(), backend,
                Boolean.toString(quick), Boolean.toString(afterOthers)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            spec.commandLine().getErr().println("coldstart " + c + " failed:\n" + output);
            return null;
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("ROW\t")) {
                return line.substring(4).split("\t");
            }
        }
        spec.commandLine().getErr().println("coldstart " + c + " printed no result:\n" + output);
        return null;
    }

    /** The child JVM: one case, printed as a tab-separated row. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            Case c = Case.valueOf(args[0]);
            String backend = args[1];
            boolean quick = Boolean.parseBoolean(args[2]);
            SplittableRandom rnd = new SplittableRandom(5);
            Op op = prepare(c, quick, rnd); // inputs made before the clock starts
            if (args.length > 3 && Boolean.parseBoolean(args[3])) {
                try (Kernels other = Seqmix.kernels(backend)) {
                    for (Case o : Case.values()) {
                        if (o != c) {
                            Runnable r = prepare(o, true, new SplittableRandom(9)).bind().apply(other);
                            long until = System.nanoTime() + 300_000_000L;
                            for (int i = 0; i < 3 || System.nanoTime() < until; i++) {
                                r.run();
                            }
                        }
                    }
                }
            }
            long t0 = System.nanoTime();
            Kernels k = Seqmix.kernels(backend);
            Runnable call = op.bind().apply(k);
            call.run();
            double first = (System.nanoTime() - t0) / 1e9;
            List<Double> times = new ArrayList<>();
            for (int i = 2; i <= 10; i++) {
                times.add(timed(call));
            }
            // steady: at least 20 more calls and 2 s, at most 60 calls or 30 s; the median of the last half
            List<Double> later = new ArrayList<>();
            long start = System.nanoTime();
            while (later.size() < 60 && (later.size() < 20 || System.nanoTime() - start < 2e9)
                    && System.nanoTime() - start < 30e9) {
                later.add(timed(call));
            }
            double steady = median(later.subList(later.size() / 2, later.size()));
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(id);
            int n = 10;
            for (int i = 0; i < n; i++) {
                call.run();
            }
            long bytes = (threads.getThreadAllocatedBytes(id) - before) / n;
            k.close();
            double med = median(times);
            double max = times.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            System.out.printf(Locale.ROOT, "ROW\t%s\t%.2f\t%.2f\t%.2f\t%s\t%d%n", op.name(), first, med / steady,
                    max / steady, Numbers.formatTime(steady / 1e3), bytes);
        }

        private static double timed(Runnable call) {
            long s = System.nanoTime();
            call.run();
            return (System.nanoTime() - s) / 1e6;
        }

        private static double median(List<Double> xs) {
            double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(a);
            return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
        }
    }

    /** A case's inputs, made before the clock starts, and its call on an instance (the plan made in the call). */
    private record Op(String name, java.util.function.Function<Kernels, Runnable> bind) {
    }

    private static Op prepare(Case c, boolean quick, SplittableRandom rnd) {
        int q = quick ? 8 : 1; // quick: shapes divided by about this much
        return switch (c) {
            case fft1M -> fft(quick ? 1 << 14 : 1 << 20, rnd);
            case fft64K -> fft(quick ? 1 << 12 : 1 << 16, rnd);
            case fft4K -> fft(quick ? 1 << 10 : 1 << 12, rnd);
            case fft256 -> fft(256, rnd);
            case scan -> {
                int time = 4096 / q;
                float[] x = values(rnd, 8 * time * 512);
                float[] out = new float[x.length];
                yield new Op("cumsum [8][" + time + "][512]", k -> () -> k.cumsum(8, time, 512, x, out));
            }
            case scan1d -> {
                float[] x = values(rnd, 16384);
                float[] out = new float[x.length];
                yield new Op("cumsum [1][16384][1]", k -> () -> k.cumsum(1, 16384, 1, x, out));
            }
            case talkForward, talkBackward -> {
                TalkShape s = new TalkShape(8, 4096 / q, 512, 8, 31, 31);
                float[] x = values(rnd, s.sequenceLength());
                float[] left = values(rnd, s.offsetLength());
                float[] right = values(rnd, s.offsetLength());
                float[] out = new float[x.length];
                float[] gl = new float[left.length];
                float[] gr = new float[left.length];
                String shape = "[8][" + s.time() + "][512], 8 heads, 31/31";
                yield c == Case.talkForward
                        ? new Op("talkForward " + shape, k -> () -> k.talkForward(s, x, left, right, out))
                        : new Op("talkBackward " + shape, k -> () -> k.talkBackward(s, x, left, right, x, out, gl, gr));
            }
            case rpeAttention, softmaxAttention, rpeAttentionBackward, softmaxAttentionBackward -> {
                AttentionShape s = new AttentionShape(1, 2048 / q, 8, 64, 64, 64, false);
                boolean rpe = c == Case.rpeAttention || c == Case.rpeAttentionBackward;
                float[] qk = values(rnd, rpe ? s.featureLength() : s.keyLength());
                float[] v = values(rnd, s.valueLength());
                float[] bias = values(rnd, s.biasLength());
                float[] out = new float[s.valueLength()];
                float[] ga = new float[qk.length];
                float[] gb = new float[qk.length];
                float[] gv = new float[s.valueLength()];
                float[] gBias = new float[s.biasLength()];
                String shape = "n = " + s.length() + ", 8 heads, d = 64";
                yield switch (c) {
                    case rpeAttention -> new Op("rpeAttention " + shape,
                            k -> () -> k.rpeAttention(s, qk, qk, v, bias, out));
                    case softmaxAttention -> new Op("softmaxRpeAttention " + shape,
                            k -> () -> k.softmaxRpeAttention(s, qk, qk, v, bias, out));
                    case rpeAttentionBackward -> new Op("rpeAttentionBackward " + shape,
                            k -> () -> k.rpeAttentionBackward(s, qk, qk, v, bias, v, ga, gb, gv, gBias));
                    default -> new Op("softmaxRpeAttentionBackward " + shape,
                            k -> () -> k.softmaxRpeAttentionBackward(s, qk, qk, v, bias, v, ga, gb, gv, gBias));
                };
            }
        };
    }

    private static Op fft(int n, SplittableRandom rnd) {
        float[] data = values(rnd, 2 * n);
        return new Op("FFT n = " + n, k -> {
            FftPlan p = k.fftPlan(n);
            return () -> p.forward(data, 1);
        });
    }

    private static float[] values(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        return a;
    }
}
