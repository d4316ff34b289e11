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
import java.util.stream.IntStream;

/**
 * Keeps the JVM's signal handlers in place around the OpenCL driver.
 *
 * <p>LLVM-based drivers (PoCL among them) install LLVM's crash handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 * others when they load or first compile a kernel. HotSpot raises these signals on purpose (implicit null checks,
 * safepoint polls) and must handle them itself: with LLVM's handler in place the JVM died here with a bare
 * segmentation fault and no hs_err file, now and then (`jcmd VM.info` showed "SIGSEGV: ... libLLVM-15.so ...
 * Handler was modified!"). So the handlers of every signal are captured before the first OpenCL call, and the
 * ones the driver replaced are put back after each call that may have compiled (discovery, context creation,
 * program builds, every operation).
 *
 * <p>The rule: only the handlers the driver replaced are put back, never one the application installed.
 * <ul>
 *   <li>The check after an OpenCL call reads the handlers of the watched signals (SIGILL, SIGBUS, SIGFPE, SIGSEGV:
 *       HotSpot's, and replaced by every driver that installs crash handlers) and does nothing while each is the
 *       one the guard expects there (the captured one at first).</li>
 *   <li>The first time one differs, the driver has just installed its handlers (right after its load or its first
 *       compile): every signal whose handler then differs from the captured one is recorded as replaced by the
 *       driver, with the driver's handler for it.</li>
 *   <li>A signal is put back only while it holds the driver's handler (at that first check, or later when the
 *       driver registers its handlers again), and gets the action it had before: the captured one, or one the
 *       application installed since and the guard saw.</li>
 *   <li>Any other handler is left as it is and becomes the expected one: a handler the application installs
 *       after the driver's load, on a watched signal or any other, stays. Signals the driver did not replace are
 *       never written.</li>
 * </ul>
 * Handlers are told apart by their function address ({@code sa_handler}). A handler the application installs
 * between the capture and the driver's first installation cannot be told from the driver's and is replaced too.
 *
 * <p>Linux only, through {@code sigaction(2)} by FFM, the {@code struct sigaction} copied as opaque bytes;
 * elsewhere, or without native access, it does nothing. A driver that replaces the handlers while an operation
 * runs leaves a window until the operation ends, and a driver that later installs a handler other than the one
 * it first installed is taken for the application; the JVM's own cure, which closes both, is signal chaining:
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
    /** The process's guard, around every OpenCL call of the backend. */
    private static final SignalGuard PROCESS = new SignalGuard(WATCHED);

    private final int[] watched;
    private MemorySegment saved;   // the captured actions, ACTION_BYTES per signal number
    /** The actions the guard left or last saw that are not the driver's (captured, or the application's since). */
    private MemorySegment known;
    private MemorySegment current; // scratch for the checks
    /** Whether the driver's handlers were seen yet (the first change of a watched signal). */
    private boolean driverSeen;
    /** Per signal number: whether the driver replaced its handler, and with which one. */
    private final boolean[] replaced = new boolean[LAST_SIGNAL + 1];
    private final long[] driverHandler = new long[LAST_SIGNAL + 1];

    /** A guard that checks {@code watched} (the process's watches SIGILL, SIGBUS, SIGFPE, SIGSEGV; tests others). */
    SignalGuard(int[] watched) {
        this.watched = watched.clone();
    }

    @SuppressWarnings("restricted") // downcallHandle: without native access it throws, and the guard is off
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
    static void capture() {
        PROCESS.captureOnce();
    }

    /** Puts back the handlers the driver replaced, if a watched one changed (see the class comment); true if so. */
    static boolean restoreIfChanged() {
        return PROCESS.restore();
    }

    /** Whether a watched signal's handler differs from the one the check expects (false when not capturing). */
    static boolean changed() {
        return PROCESS.watchedChanged();
    }

    /** The process's guard (for tests). */
    static SignalGuard process() {
        return PROCESS;
    }

    /** Captures the handlers of every signal, the first time only. */
    synchronized void captureOnce() {
        if (SIGACTION == null || saved != null) {
            return;
        }
        MemorySegment all = Arena.global().allocate((LAST_SIGNAL + 1) * ACTION_BYTES, 16);
        for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
            if (catchable(sig)) {
                sigaction(sig, MemorySegment.NULL, slot(all, sig));
            }
        }
        known = Arena.global().allocate(all.byteSize(), 16).copyFrom(all);
        current = Arena.global().allocate(ACTION_BYTES, 16);
        saved = all;
    }

    /**
     * If a watched signal's handler changed: at the first change, records every handler that differs from the
     * captured one as the driver's; then puts back the action each signal that holds the driver's handler had
     * before (the captured one, or one the application installed since and the guard saw), and leaves every other
     * handler as it is. True if a watched signal had changed.
     */
    synchronized boolean restore() {
        if (!watchedChanged()) {
            return false;
        }
        for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
            if (!catchable(sig)) {
                continue;
            }
            sigaction(sig, MemorySegment.NULL, current);
            long now = handler(current);
            if (!driverSeen && now != handler(slot(saved, sig))) {
                replaced[sig] = true;
                driverHandler[sig] = now;
            }
            if (replaced[sig] && now == driverHandler[sig]) {
                sigaction(sig, slot(known, sig), MemorySegment.NULL);
            } else {
                slot(known, sig).copyFrom(current); // the captured action, or one the application installed since
            }
        }
        driverSeen = true;
        return true;
    }

    /** Whether a watched signal's handler differs from the one the check expects (false when not capturing). */
    synchronized boolean watchedChanged() {
        if (saved == null) {
            return false;
        }
        for (int sig : watched) {
            sigaction(sig, MemorySegment.NULL, current);
            if (handler(current) != handler(slot(known, sig))) {
                return true;
            }
        }
        return false;
    }

    /** The signals the driver replaced so far, in ascending order (empty before its handlers were seen). */
    synchronized int[] replacedSignals() {
        return IntStream.rangeClosed(1, LAST_SIGNAL).filter(s -> replaced[s]).toArray();
    }

    /** The driver's handler of {@code sig} (meaningful where {@link #replacedSignals} lists it). */
    synchronized long driverHandler(int sig) {
        return driverHandler[sig];
    }

    /** Whether the guard works on this platform (Linux with native access). */
    static boolean active() {
        return SIGACTION != null;
    }

    private static boolean catchable(int sig) {
        return sig != SIGKILL && sig != SIGSTOP;
    }

    /** The handler's function address ({@code sa_handler} / {@code sa_sigaction}: the union starts the struct). */
    private static long handler(MemorySegment action) {
        return action.get(JAVA_LONG, 0);
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
