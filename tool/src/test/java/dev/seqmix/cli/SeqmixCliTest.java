package dev.seqmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the command-line tool in this JVM: {@code tour --quick} and {@code info} must succeed. The tests' stderr is
 * not a terminal, so no command may draw a progress bar.
 */
class SeqmixCliTest {
    private static final List<String> OPERATIONS = List.of("cumsum", "cumsumReverse", "talkForward", "talkBackward",
            "talkStream", "fft forward", "fft inverse", "rfft forward", "rfft inverse", "toeplitzMatmul",
            "randomFeatures", "rpeAttention", "softmaxRpeAttention", "golden TaLK", "golden Toeplitz", "golden RPE");

    @Test
    void quickTourPassesAndListsEveryOperation() {
        CliRun r = CliRun.of("tour", "--quick");
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        for (String op : OPERATIONS) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(op + " ") && l.contains(" scalar ")
                            && l.endsWith(" ok")),
                    "no passing scalar row for " + op + "\n" + r.all());
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("FAIL")), r.all());
        assertTrue(r.out().contains(" passed, 0 failed"), r.all());
        assertFalse(r.err().contains("\r"), "no progress bar frames where stderr is not a terminal\n" + r.all());
    }

    @Test
    void quickTourOnScalarOnly() {
        CliRun r = CliRun.of("tour", "--quick", "--no-progress", "--backend", "scalar");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("talkForward"), r.all());
    }

    @Test
    void infoListsEveryKnownBackend() {
        CliRun r = CliRun.of("info");
        assertEquals(0, r.code(), r.all());
        for (String name : List.of("scalar", "simd", "opencl")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")), name + "\n" + r.all());
        }
        assertTrue(r.out().contains("cores"), r.all());
        assertTrue(r.out().contains("-Dseqmix.threads"), r.all());
    }

    @Test
    void unknownBackendIsAUsageError() {
        CliRun r = CliRun.of("tour", "--quick", "--backend", "nosuch");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("nosuch"), r.all());
    }

    @Test
    void coldstartMeasuresInFreshJvms() {
        // two small cases, each in a JVM of its own (with this JVM's -Dseqmix.warmup: none in the build)
        CliRun r = CliRun.of("coldstart", "--quick", "--backend", "scalar", "--case", "fft256", "--case", "scan1d");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("FFT n = 256"), r.out());
        assertTrue(r.out().contains("cumsum [1][16384][1]"), r.out());
        assertTrue(r.out().contains("bytes / steady call"), r.out());
        assertTrue(r.out().contains("-Dseqmix.warmup="), r.out());
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertEquals(2, CliRun.of().code());
    }
}
