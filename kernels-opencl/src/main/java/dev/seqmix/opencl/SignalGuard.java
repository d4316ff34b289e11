package dev.seqmix.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Keeps the JVM's signal handlers in place around the OpenCL driver.
 *
 * <p>LLVM-based drivers (PoCL among them) install LLVM's crash handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 * others when they first compile a kernel. HotSpot raises these signals on purpose (implicit null checks,
 * safepoint polls) and must handle them itself: with LLVM's handler in place the JVM died here with a bare
 * segmentation fault and no hs_err file, now and then (`jcmd VM.info` showed "SIGSEGV: ... libLLVM-15.so ...
 * Handler was modified!"). So the handlers of every signal are captured before the first OpenCL call and put back
 * after each call that may have compiled (discovery, context creation, program builds, every operation).
 *
 * <p>Linux only, through {@code sigaction(2)} by FFM, the {@code struct sigaction} copied as opaque bytes;
 * elsewhere, or without native access, it does nothing. A driver that replaces the handlers while an operation
 * runs leaves a window until the operation ends; the JVM's own cure, which closes it, is signal chaining:
 * {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so} (the {@code seqmix} launcher sets it).
 */
final class SignalGuard {
    /** At least {@code sizeof(struct sigaction)} (152 bytes with glibc on x86-64 and aarch64). */
    private static final long ACTION_BYTES = 256;
    /** Linux signal numbers 1 .. 31; SIGKILL (9) and SIGSTOP (19) cannot be caught. */
    private static final int LAST_SIGNAL = 31;
    private static final int SIGKILL = 9;
    private static final int SIGSTOP = 19;
    /** The signals HotSpot handles itself and drivers replace: SIGILL, SIGBUS, SIGFPE, SIGSEGV. */
    private static final int[] WATCHED = {4, 7, 8, 11};

    private static final MethodHandle SIGACTION = lookup();
    private static MemorySegment saved;   // the captured actions, ACTION_BYTES per signal number
    private static MemorySegment current; // scratch for the checks

    private SignalGuard() {
    }

    private static MethodHandle lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("sigaction")
                    .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException e) { // IllegalCallerException where native access is denied
            return null;
        }
    }

    /** Captures the handlers of every signal, once, before the first OpenCL call of the process. */
    static synchronized void capture() {
        if (SIGACTION == null || saved != null) {
            return;
        }
        MemorySegment all = Arena.global().allocate((LAST_SIGNAL + 1) * ACTION_BYTES, 16);
        for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
            if (sig != SIGKILL && sig != SIGSTOP) {
                sigaction(sig, MemorySegment.NULL, slot(all, sig));
            }
        }
        current = Arena.global().allocate(ACTION_BYTES, 16);
        saved = all;
    }

    /** Puts the captured handlers back if the driver replaced any of the JVM's; true if it did. */
    static synchronized boolean restoreIfChanged() {
        if (saved == null || !changed()) {
            return false;
        }
        for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
            if (sig != SIGKILL && sig != SIGSTOP) {
                sigaction(sig, slot(saved, sig), MemorySegment.NULL);
            }
        }
        return true;
    }

    /** Whether a watched signal's handler differs from the captured one (false when not capturing). */
    static synchronized boolean changed() {
        if (saved == null) {
            return false;
        }
        for (int sig : WATCHED) {
            sigaction(sig, MemorySegment.NULL, current);
            if (current.get(JAVA_LONG, 0) != slot(saved, sig).get(JAVA_LONG, 0)) { // sa_handler / sa_sigaction
                return true;
            }
        }
        return false;
    }

    /** Whether the guard works on this platform (Linux with native access). */
    static boolean active() {
        return SIGACTION != null;
    }

    private static MemorySegment slot(MemorySegment all, int sig) {
        return all.asSlice(sig * ACTION_BYTES, ACTION_BYTES);
    }

    private static void sigaction(int sig, MemorySegment act, MemorySegment old) {
        try {
            int rc = (int) SIGACTION.invokeExact(sig, act, old);
            if (rc != 0) {
                throw new IllegalStateException("sigaction(" + sig + ") failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
