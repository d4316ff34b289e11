package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.BackendInfo;
import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    @Test
    void unavailableBackendsSayWhy() {
        for (BackendInfo info : Seqmix.backends()) {
            if (!info.available()) {
                assertTrue(info.detail().length() > 10, info.name() + ": " + info.detail());
            }
        }
    }
}
