package dev.seqmix.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The split itself: every task index runs exactly once whatever the parts, the carrier reaches every thread
 * and is cleared afterwards (also after a failure), and a split started inside another on the same thread
 * gets a carrier of its own.
 */
class ParallelTest {

    private static final Parallel.Body COUNT = (a, from, to) -> {
        AtomicIntegerArray seen = (AtomicIntegerArray) a.o0;
        for (int i = from; i < to; i++) {
            seen.incrementAndGet(i);
        }
    };

    @Test
    void everyTaskRunsOnceForAnyParts() {
        for (int tasks : new int[] {1, 2, 3, 7, 31, 1000}) {
            for (int parts = 1; parts <= 5; parts++) {
                AtomicIntegerArray seen = new AtomicIntegerArray(tasks);
                Parallel.Args a = Parallel.args();
                a.o0 = seen;
                Parallel.run(parts, tasks, a, COUNT);
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, seen.get(i), "tasks " + tasks + ", parts " + parts + ", index " + i);
                }
            }
        }
    }

    @Test
    void theCarrierIsClearedAfterARunAndAfterAFailure() {
        Parallel.Args a = Parallel.args();
        a.f0 = new float[8];
        a.o0 = "kept?";
        Parallel.run(2, 8, a, (g, from, to) -> assertEquals(8, g.f0.length));
        assertNull(a.f0);
        assertNull(a.o0);

        Parallel.Args b = Parallel.args();
        assertSame(a, b, "a thread reuses its carrier");
        b.f6 = new float[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.run(2, 8, b,
                (g, from, to) -> {
                    throw new IllegalArgumentException("body failed at " + from);
                }));
        assertEquals("body failed at", e.getMessage().substring(0, 14));
        assertNull(b.f6);
        // the thread's carrier is free again
        Parallel.Args c = Parallel.args();
        c.o0 = new AtomicIntegerArray(3);
        Parallel.run(2, 3, c, COUNT);
    }

    @Test
    void aSplitInsideASplitHasItsOwnCarrier() {
        AtomicIntegerArray inner = new AtomicIntegerArray(5 * 4);
        Parallel.Args outer = Parallel.args();
        outer.o1 = inner;
        Parallel.run(1, 5, outer, (g, from, to) -> {
            AtomicIntegerArray seen = (AtomicIntegerArray) g.o1;
            for (int i = from; i < to; i++) {
                Parallel.Args nested = Parallel.args();
                org.junit.jupiter.api.Assertions.assertNotSame(g, nested);
                int base = 4 * i;
                nested.o0 = seen;
                nested.i0 = base;
                Parallel.run(2, 4, nested, (h, f, t) -> {
                    for (int j = f; j < t; j++) {
                        ((AtomicIntegerArray) h.o0).incrementAndGet(h.i0 + j);
                    }
                });
            }
            assertSame(seen, g.o1, "the outer carrier is untouched by the nested splits");
        });
        for (int i = 0; i < inner.length(); i++) {
            assertEquals(1, inner.get(i), "index " + i);
        }
    }
}
