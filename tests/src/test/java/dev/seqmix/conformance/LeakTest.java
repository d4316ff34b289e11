package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.Kernels;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Open/close churn and FFT plan churn in a child JVM with a small heap: instances and plans of sizes no longer
 * used must not accumulate. The plan churn asks for far more distinct sizes than the caches keep (each one a
 * Bluestein plan of some hundred kilobytes): an unbounded cache runs out of the 160 MiB heap, a bounded one
 * ends with a few megabytes held after close().
 */
class LeakTest {
    static final int HEAP_MIB = 160;

    @Test
    void churnInASmallHeap() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MIB + "m", "-XX:+UseSerialGC"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-modules") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("-Dseqmix.")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Dseqmix.test.backends=" + String.join(",", Backends.available()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Churn.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "churn did not finish in 300 s:\n" + output);
        assertEquals(0, p.exitValue(), output);
        for (String backend : Backends.available()) {
            assertTrue(output.contains("churn " + backend + " ok"), output);
        }
        System.out.print(output);
    }

    /** The child JVM. */
    public static final class Churn {
        public static void main(String[] args) {
            for (String backend : Backends.available()) {
                boolean device = backend.equals("opencl"); // PoCL compiles per launch shape: fewer rounds
                int cycles = device ? 60 : 2000;
                float[] x = {1, 2, 3, 4, 5};
                float[] out = new float[5];
                for (int i = 0; i < cycles; i++) {
                    try (Kernels k = Backends.open(backend)) {
                        k.cumsum(1, 5, 1, x, out);
                        k.fftPlan(16).forward(new float[32], 1);
                    }
                }
                long afterOpenClose = usedAfterGc();
                int sizes = device ? 40 : 1500;
                try (Kernels k = Backends.open(backend)) {
                    for (int i = 0; i < sizes; i++) {
                        int n = 3001 + 2 * i; // odd: Bluestein plans with spectra of 8192 points
                        k.fftPlan(n).forward(new float[2 * n], 1);
                    }
                }
                long afterPlans = usedAfterGc();
                System.out.printf("churn %s: heap after %d open/close %.1f MiB, after %d plan sizes %.1f MiB%n",
                        backend, cycles, afterOpenClose / 1048576.0, sizes, afterPlans / 1048576.0);
                if (afterPlans > 48L << 20) {
                    System.out.println("churn " + backend + " holds too much");
                    System.exit(1);
                }
                System.out.println("churn " + backend + " ok");
            }
        }

        static long usedAfterGc() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            Runtime r = Runtime.getRuntime();
            return r.totalMemory() - r.freeMemory();
        }
    }
}
