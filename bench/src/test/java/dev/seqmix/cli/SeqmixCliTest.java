package dev.seqmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the command-line tool in this JVM: {@code tour --quick} and {@code info} must succeed. */
class SeqmixCliTest {
    private static final List<String> OPERATIONS = List.of("cumsum", "cumsumReverse", "talkForward", "talkBackward",
            "talkStream", "fft forward", "fft inverse", "rfft forward", "rfft inverse", "toeplitzMatmul",
            "randomFeatures", "rpeAttention", "softmaxRpeAttention", "golden TaLK", "golden Toeplitz", "golden RPE");

    private record Result(int code, String out, String err) {
        String all() {
            return "exit code " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SeqmixCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void quickTourPassesAndListsEveryOperation() {
        Result r = run("tour", "--quick");
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        for (String op : OPERATIONS) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(op + " ") && l.contains(" scalar ")
                            && l.endsWith(" ok")),
                    "no passing scalar row for " + op + "\n" + r.all());
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("FAIL")), r.all());
        assertTrue(r.out().contains(" passed, 0 failed"), r.all());
    }

    @Test
    void quickTourOnScalarOnly() {
        Result r = run("tour", "--quick", "--no-progress", "--backend", "scalar");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("talkForward"), r.all());
    }

    @Test
    void infoListsEveryKnownBackend() {
        Result r = run("info");
        assertEquals(0, r.code(), r.all());
        for (String name : List.of("scalar", "simd", "opencl")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")), name + "\n" + r.all());
        }
        assertTrue(r.out().contains("cores"), r.all());
        assertTrue(r.out().contains("-Dseqmix.threads"), r.all());
    }

    @Test
    void unknownBackendIsAUsageError() {
        Result r = run("tour", "--quick", "--backend", "nosuch");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("nosuch"), r.all());
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertEquals(2, run().code());
    }
}
