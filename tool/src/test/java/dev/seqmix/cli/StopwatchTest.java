package dev.seqmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing shared by report (batches of calls) and tour (each call on its own, between untimed steps). */
class StopwatchTest {

    @Test
    void batchedTakesTheMedianOfItsSamples() {
        int[] calls = {0};
        Stopwatch.Timing t = new Stopwatch.Batched(0.001, 0.01, 0.0002, 5, 0.01).time(() -> calls[0]++);
        assertTrue(t.samples() >= 3 && t.samples() <= 5, t.toString());
        assertTrue(t.callsPerSample() >= 1, t.toString());
        assertTrue(t.fastest() <= t.median() && t.median() <= t.slowest(), t.toString());
        assertTrue(calls[0] >= 1 + t.samples() * t.callsPerSample(), calls[0] + " calls, " + t);
    }

    @Test
    void eachCallRunsPrepareAndCheckAroundEveryCall() {
        List<String> log = new ArrayList<>();
        Stopwatch.Timing t = new Stopwatch.EachCall(2, 2, 0, 3, 3, 0)
                .time(() -> log.add("prepare"), () -> log.add("call"), () -> log.add("check"));
        assertEquals(3, t.samples(), t.toString());
        assertEquals(1, t.callsPerSample(), t.toString());
        assertFalse(t.steady(), "the per-call warm-up does not watch the time");
        assertTrue(t.fastest() <= t.median() && t.median() <= t.slowest(), t.toString());
        // 2 warm-up calls and 3 timed ones, each between its prepare and its check
        assertEquals(3 * 5, log.size(), log.toString());
        for (int i = 0; i < log.size(); i += 3) {
            assertEquals(List.of("prepare", "call", "check"), log.subList(i, i + 3), log.toString());
        }
    }

    @Test
    void eachCallStopsAtTheLeastRunsOnceTheTimeIsUp() {
        int[] calls = {0};
        Stopwatch.Timing t = new Stopwatch.EachCall(1, 1, 0, 1, 2, 0).time(() -> { }, () -> calls[0]++, () -> { });
        assertEquals(1, t.samples(), t.toString());
        assertEquals(2, calls[0], "one warm-up call and one timed call");
    }
}
