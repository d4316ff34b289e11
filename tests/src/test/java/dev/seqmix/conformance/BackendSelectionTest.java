package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Backend lookup (docs/contract.md#selection). */
class BackendSelectionTest {

    static Map<String, BackendInfo> byName() {
        return Seqmix.backends().stream().collect(Collectors.toMap(BackendInfo::name, Function.identity()));
    }

    @Test
    void everyKnownBackendIsListedWithDetail() {
        Map<String, BackendInfo> infos = byName();
        assertEquals(List.of("scalar", "simd", "opencl"), Seqmix.backends().stream().map(BackendInfo::name).toList());
        assertTrue(infos.get("scalar").available(), "scalar is always available");
        for (BackendInfo info : infos.values()) {
            assertFalse(info.detail().isBlank(), info.name() + " has no detail");
        }
    }

    @Test
    void requiredBackendsAreAvailable() {
        // the build names the backends that must run here (CI makes PoCL and the vector module present)
        String required = System.getProperty("seqmix.test.requiredBackends", "scalar");
        Map<String, BackendInfo> infos = byName();
        for (String name : Arrays.stream(required.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            BackendInfo info = infos.get(name);
            assertTrue(info != null && info.available(), "required backend " + name + " is not available: " + info);
        }
    }

    @Test
    void defaultIsTheBestAvailable() {
        Map<String, BackendInfo> infos = byName();
        String expected = infos.get("simd").available() ? "simd" : "scalar";
        // opencl wins only with a GPU or accelerator, which the CPU-only machines here do not have;
        // its provider decides, so only check that the default is one of the available ones
        try (Kernels k = Seqmix.kernels()) {
            String name = k.info().name();
            assertTrue(infos.get(name).available());
            if (!name.equals("opencl")) {
                assertEquals(expected, name);
            }
        }
    }

    @Test
    void simdFallsBackWithoutTheVectorModule() {
        boolean absent = ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty();
        assertEquals(Boolean.getBoolean("seqmix.test.expectSimdAbsent"), absent,
                "the build runs this test once without --add-modules jdk.incubator.vector");
        BackendInfo simd = byName().get("simd");
        if (absent) {
            assertFalse(simd.available());
            assertTrue(simd.detail().contains("--add-modules jdk.incubator.vector"), simd.detail());
            try (Kernels k = Seqmix.kernels()) {
                assertTrue(k.info().name().equals("scalar") || k.info().name().equals("opencl"), k.info().name());
            }
        } else {
            assertTrue(simd.available(), simd.detail());
            assertTrue(simd.detail().contains("lanes"), simd.detail());
        }
    }

    /** A bad -Dseqmix.vectorBits makes simd unavailable with the reason, in a JVM of its own. */
    @Test
    void badVectorWidthIsReportedWithItsReason() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-Dseqmix.vectorBits=100",
                "-cp", System.getProperty("java.class.path"), PrintBackends.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("simd false seqmix.vectorBits: expected 128, 256 or 512, got 100"), out);
    }

    /** Prints each backend's name, availability and detail: the child JVM's entry point. */
    public static final class PrintBackends {
        public static void main(String[] args) {
            for (BackendInfo info : Seqmix.backends()) {
                System.out.println(info.name() + " " + info.available() + " " + info.detail());
            }
        }
    }

    @Test
    void unavailableBackendsSayWhy() {
        for (BackendInfo info : Seqmix.backends()) {
            if (!info.available()) {
                assertTrue(info.detail().length() > 10, info.name() + ": " + info.detail());
            }
        }
    }
}
