package dev.seqmix.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The JVM's signal handlers survive the driver: after programs are built and operations run, and after a handler
 * is replaced behind the backend's back (as LLVM does when PoCL compiles), the next operation puts it back.
 */
class SignalGuardTest {
    private static final int SIGILL = 4;
    private static final long SIG_IGN = 1;

    @Test
    void handlersAreTheJvmsAfterBuildsAndAfterAReplacement() throws Throwable {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        assertTrue(SignalGuard.active(), "the guard must work on Linux");
        Linker linker = Linker.nativeLinker();
        MethodHandle sigaction = linker.downcallHandle(linker.defaultLookup().find("sigaction").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device()); Arena arena = Arena.ofConfined()) {
            float[] x = {1, 2, 3, 4, 5, 6};
            float[] out = new float[6];
            k.cumsum(1, 3, 2, x, out);   // builds the scan program: the driver's compiler may have run
            assertFalse(SignalGuard.changed(), "a JVM signal handler was left replaced after a build");

            MemorySegment original = arena.allocate(256, 16);
            assertEquals(0, (int) sigaction.invokeExact(SIGILL, MemorySegment.NULL, original));
            MemorySegment replaced = arena.allocate(256, 16);
            replaced.copyFrom(original);
            replaced.set(JAVA_LONG, 0, SIG_IGN); // sa_handler
            assertEquals(0, (int) sigaction.invokeExact(SIGILL, replaced, MemorySegment.NULL));
            assertTrue(SignalGuard.changed(), "the guard must see the replaced SIGILL handler");

            k.cumsum(1, 3, 2, x, out);
            assertFalse(SignalGuard.changed(), "the operation must put the JVM's handlers back");
            MemorySegment now = arena.allocate(256, 16);
            assertEquals(0, (int) sigaction.invokeExact(SIGILL, MemorySegment.NULL, now));
            assertEquals(original.get(JAVA_LONG, 0), now.get(JAVA_LONG, 0));
            assertEquals(21f, out[4] + out[5], "the scan itself");
        }
    }
}
