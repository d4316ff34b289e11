package dev.seqmix.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JVM's signal handlers survive the driver, and the application's survive the guard: after programs are built
 * and operations run the JVM's handlers are in place; the guard puts back only the handlers the driver replaced
 * (recorded when it first sees a change), and leaves alone the ones the application installs later.
 */
class SignalGuardTest {
    private static final int SIGILL = 4;
    /** Signals the JVM leaves alone, for a guard of the test's own: default action ignore, ignore, terminate. */
    private static final int SIGURG = 23;
    private static final int SIGWINCH = 28;
    private static final int SIGPWR = 30;
    private static final long SIG_IGN = 1;

    private MethodHandle sigaction;
    /** A function address that stands for the application's handler (never called: the signals are not raised). */
    private long appHandler;

    @BeforeEach
    void linux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        assertTrue(SignalGuard.active(), "the guard must work on Linux");
        Linker linker = Linker.nativeLinker();
        sigaction = linker.downcallHandle(linker.defaultLookup().find("sigaction").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        appHandler = linker.defaultLookup().find("getpid").orElseThrow().address();
    }

    @Test
    void handlersAreTheJvmsAfterBuildsAndOperations() throws Throwable {
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device()); Arena arena = Arena.ofConfined()) {
            float[] x = {1, 2, 3, 4, 5, 6};
            float[] out = new float[6];
            k.cumsum(1, 3, 2, x, out);   // builds the scan program: the driver's compiler may have run
            assertFalse(SignalGuard.changed(), "a JVM signal handler was left replaced after a build");
            SignalGuard guard = SignalGuard.process();
            int[] replaced = guard.replacedSignals();
            int watched = Arrays.stream(replaced).filter(s -> s == SIGILL || s == 7 || s == 8 || s == 11)
                    .findFirst().orElse(-1);
            assumeTrue(watched > 0, "the driver installed no handlers of its own in this run (PoCL's cache)");

            // the driver registers its handlers again: the next operation puts the JVM's back
            MemorySegment jvms = action(arena, watched);
            MemorySegment drivers = arena.allocate(256, 16).copyFrom(jvms);
            drivers.set(JAVA_LONG, 0, guard.driverHandler(watched));
            set(watched, drivers);
            assertTrue(SignalGuard.changed(), "the guard must see the driver's handler again");
            k.cumsum(1, 3, 2, x, out);
            assertFalse(SignalGuard.changed(), "the operation must put the JVM's handlers back");
            assertEquals(jvms.get(JAVA_LONG, 0), handler(arena, watched));
            assertEquals(21f, out[4] + out[5], "the scan itself");
        }
    }

    @Test
    void anApplicationHandlerInstalledAfterTheDriverStays() throws Throwable {
        try (OpenClKernels k = new OpenClKernels(OpenClFaultsTest.device()); Arena arena = Arena.ofConfined()) {
            float[] x = {1, 2, 3, 4, 5, 6};
            float[] out = new float[6];
            k.cumsum(1, 3, 2, x, out);
            MemorySegment original = action(arena, SIGPWR);
            try {
                MemorySegment app = arena.allocate(256, 16).copyFrom(original);
                app.set(JAVA_LONG, 0, appHandler);
                set(SIGPWR, app);
                k.cumsum(1, 3, 2, x, out);
                assertFalse(SignalGuard.restoreIfChanged());
                assertEquals(appHandler, handler(arena, SIGPWR), "the application's handler was replaced");
            } finally {
                set(SIGPWR, original);
            }
        }
    }

    /** The rule itself, on a guard of the test's own that watches SIGURG (the process's guard is left alone). */
    @Test
    void onlyTheDriversReplacementsArePutBack() throws Throwable {
        int[] signals = {SIGURG, SIGWINCH, SIGPWR};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] original = new MemorySegment[signals.length];
            for (int i = 0; i < signals.length; i++) {
                original[i] = action(arena, signals[i]);
            }
            long urg = original[0].get(JAVA_LONG, 0);
            long winch = original[1].get(JAVA_LONG, 0);
            try {
                SignalGuard guard = new SignalGuard(new int[] {SIGURG});
                guard.captureOnce();
                assertFalse(guard.restore(), "nothing changed yet");

                // the driver loads and installs its handler (SIG_IGN here) on SIGURG and SIGWINCH
                install(arena, SIGURG, SIG_IGN);
                install(arena, SIGWINCH, SIG_IGN);
                assertTrue(guard.watchedChanged());
                assertTrue(guard.restore());
                assertArrayEquals(new int[] {SIGURG, SIGWINCH}, guard.replacedSignals());
                assertEquals(SIG_IGN, guard.driverHandler(SIGWINCH));
                assertEquals(urg, handler(arena, SIGURG));
                assertEquals(winch, handler(arena, SIGWINCH));

                // the application installs its handlers: on a signal the driver replaced, and on another
                install(arena, SIGWINCH, appHandler);
                install(arena, SIGPWR, appHandler);
                assertFalse(guard.restore(), "no watched signal changed");
                // the driver registers again (on the watched signal only): only that one is put back
                install(arena, SIGURG, SIG_IGN);
                assertTrue(guard.restore());
                assertEquals(urg, handler(arena, SIGURG));
                assertEquals(appHandler, handler(arena, SIGWINCH), "the application's handler was replaced");
                assertEquals(appHandler, handler(arena, SIGPWR), "a signal the driver never replaced was written");

                // the application installs its handler on the watched signal: it stays, and is the expected one
                install(arena, SIGURG, appHandler);
                assertTrue(guard.restore());
                assertEquals(appHandler, handler(arena, SIGURG), "the application's handler was replaced");
                assertFalse(guard.watchedChanged());
                assertFalse(guard.restore());

                // the driver registers again over the application's handlers: those come back, not the captured
                install(arena, SIGURG, SIG_IGN);
                install(arena, SIGWINCH, SIG_IGN);
                assertTrue(guard.restore());
                assertEquals(appHandler, handler(arena, SIGURG));
                assertEquals(appHandler, handler(arena, SIGWINCH));
                assertEquals(appHandler, handler(arena, SIGPWR));
                assertArrayEquals(new int[] {SIGURG, SIGWINCH}, guard.replacedSignals());
            } finally {
                for (int i = 0; i < signals.length; i++) {
                    set(signals[i], original[i]);
                }
            }
        }
    }

    private MemorySegment action(Arena arena, int sig) throws Throwable {
        MemorySegment a = arena.allocate(256, 16);
        assertEquals(0, (int) sigaction.invokeExact(sig, MemorySegment.NULL, a));
        return a;
    }

    private long handler(Arena arena, int sig) throws Throwable {
        return action(arena, sig).get(JAVA_LONG, 0);
    }

    private void set(int sig, MemorySegment action) throws Throwable {
        assertEquals(0, (int) sigaction.invokeExact(sig, action, MemorySegment.NULL));
    }

    /** Installs {@code handler} on {@code sig}, with the flags and mask it has now. */
    private void install(Arena arena, int sig, long handler) throws Throwable {
        MemorySegment a = action(arena, sig);
        a.set(JAVA_LONG, 0, handler);
        set(sig, a);
    }
}
