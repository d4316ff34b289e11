package dev.seqmix.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pool's bound: what it keeps of large arrays stays within its budget. */
class ScratchPoolTest {

    @Test
    void largeIdleArraysStayWithinTheBudget() {
        int length = (int) (ScratchPool.BUDGET_BYTES / 3 / 4) + 1; // three of them exceed the budget
        float[][] taken = new float[4][];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = ScratchPool.floats(length);
            assertTrue(taken[i].length >= length);
        }
        for (float[] a : taken) {
            ScratchPool.release(a);
            assertTrue(ScratchPool.idleBytes() <= ScratchPool.BUDGET_BYTES,
                    "idle " + ScratchPool.idleBytes() + " of a budget of " + ScratchPool.BUDGET_BYTES);
        }
        // take them out again, so that later tests do not run beside a full pool
        for (int i = 0; i < taken.length; i++) {
            ScratchPool.floats(length);
        }
    }
}
