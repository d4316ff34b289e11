package dev.seqmix.bench.peers;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * FFTW (single precision, {@code libfftw3f.so.3}, Debian {@code libfftw3-single3}) as a benchmark peer, reached
 * through Foreign Function and Memory downcalls. Bench module only: nothing else in seqmix links FFTW.
 *
 * <p>The library is looked up once, by its soname and then by its Debian path; where it is absent (or a symbol is
 * missing) {@link #available()} is false, {@link #unavailableReason()} says why, and every factory method throws
 * {@link IllegalStateException} with that reason. The library is the single-threaded one: every transform runs on
 * the calling thread ({@code fftwf_plan_with_nthreads} lives in {@code libfftw3f_threads} and is not used).
 *
 * <p>Use: {@link #allocate(long)} FFTW-aligned buffers ({@code fftwf_malloc}), make a {@link Plan} once per size
 * (planning uses its own scratch buffers, because {@code FFTW_MEASURE} overwrites the arrays it plans on), then
 * {@link Plan#execute(Buffer, Buffer)} on the buffers: the new-array execute functions ({@code fftwf_execute_dft},
 * {@code fftwf_execute_dft_r2c}), which need arrays as aligned as the planning ones (both come from
 * {@code fftwf_malloc}) and the same in-place-ness as the plan. Plans and buffers are {@link AutoCloseable}.
 *
 * <p>Thread safety: FFTW's planner is not thread-safe, so planning and {@code fftwf_destroy_plan} hold one global
 * lock; executing a plan is thread-safe (on different buffers).
 */
public final class Fftw {
    /** {@code FFTW_FORWARD}: the sign of the exponent, {@code exp(-2 pi i j k / n)}. */
    public static final int FORWARD = -1;
    /** {@code FFTW_MEASURE}: time several algorithms while planning (overwrites the planning arrays). */
    public static final int MEASURE = 0;
    /** {@code FFTW_ESTIMATE}: pick an algorithm by heuristics, no timing, arrays untouched. */
    public static final int ESTIMATE = 1 << 6;

    private static final String SONAME = "libfftw3f.so.3";
    private static final String DEBIAN_PATH = "/usr/lib/x86_64-linux-gnu/libfftw3f.so.3";
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Object PLANNER = new Object();

    private static final SymbolLookup LIBRARY;
    private static final String LIBRARY_NAME;
    private static final List<String> PROBLEMS = new ArrayList<>();

    static {
        SymbolLookup lookup = null;
        String name = null;
        for (String candidate : new String[] {SONAME, DEBIAN_PATH}) {
            try {
                lookup = SymbolLookup.libraryLookup(candidate, Arena.global()); // loaded for the JVM's lifetime
                name = candidate;
                break;
            } catch (IllegalArgumentException | UnsatisfiedLinkError | IllegalCallerException e) {
                PROBLEMS.add(candidate + ": " + e.getMessage());
            }
        }
        LIBRARY = lookup;
        LIBRARY_NAME = name;
    }

    // void *fftwf_malloc(size_t n); void fftwf_free(void *p);
    private static final MethodHandle MALLOC = bind("fftwf_malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = bind("fftwf_free", FunctionDescriptor.ofVoid(ADDRESS));
    // fftwf_plan fftwf_plan_dft_1d(int n, fftwf_complex *in, fftwf_complex *out, int sign, unsigned flags);
    private static final MethodHandle PLAN_DFT_1D = bind("fftwf_plan_dft_1d",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
    // fftwf_plan fftwf_plan_dft_r2c_1d(int n, float *in, fftwf_complex *out, unsigned flags);
    private static final MethodHandle PLAN_DFT_R2C_1D = bind("fftwf_plan_dft_r2c_1d",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    // fftwf_plan fftwf_plan_many_dft(int rank, const int *n, int howmany, fftwf_complex *in, const int *inembed,
    //     int istride, int idist, fftwf_complex *out, const int *onembed, int ostride, int odist, int sign,
    //     unsigned flags);
    private static final MethodHandle PLAN_MANY_DFT = bind("fftwf_plan_many_dft",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    // void fftwf_execute_dft(const fftwf_plan p, fftwf_complex *in, fftwf_complex *out);
    private static final MethodHandle EXECUTE_DFT = bind("fftwf_execute_dft",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    // void fftwf_execute_dft_r2c(const fftwf_plan p, float *in, fftwf_complex *out);
    private static final MethodHandle EXECUTE_DFT_R2C = bind("fftwf_execute_dft_r2c",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    // void fftwf_destroy_plan(fftwf_plan p);
    private static final MethodHandle DESTROY_PLAN = bind("fftwf_destroy_plan", FunctionDescriptor.ofVoid(ADDRESS));

    private static final String UNAVAILABLE = PROBLEMS.isEmpty() ? null
            : "FFTW peer unavailable (install Debian libfftw3-single3): " + String.join("; ", PROBLEMS);

    private Fftw() {
    }

    private static MethodHandle bind(String symbol, FunctionDescriptor descriptor) {
        if (LIBRARY == null) {
            return null;
        }
        Optional<MemorySegment> address = LIBRARY.find(symbol);
        if (address.isEmpty()) {
            PROBLEMS.add(LIBRARY_NAME + " has no symbol " + symbol);
            return null;
        }
        return LINKER.downcallHandle(address.get(), descriptor);
    }

    /** Whether {@code libfftw3f.so.3} was found with every function this class binds. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why FFTW is unavailable, or null when it is available. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** Throws {@link IllegalStateException} with {@link #unavailableReason()} unless FFTW is available. */
    public static void requireAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
    }

    /** The library's version string ({@code fftwf_version}, e.g. "fftw-3.3.10-sse2-avx"), or null. */
    public static String version() {
        if (LIBRARY == null) {
            return null;
        }
        return LIBRARY.find("fftwf_version").map(s -> s.reinterpret(256).getString(0)).orElse(null);
    }

    /** Which name the library was loaded by (the soname or the Debian path), or null. */
    public static String libraryName() {
        return LIBRARY_NAME;
    }

    /**
     * An {@code fftwf_malloc}'ed buffer of {@code floats} floats (SIMD-aligned, as the planner expects), content
     * undefined. Its segment is bound to a shared arena whose close calls {@code fftwf_free}, so a use after
     * {@link Buffer#close()} throws {@link IllegalStateException} instead of touching freed memory.
     */
    public static Buffer allocate(long floats) {
        requireAvailable();
        if (floats < 1) {
            throw new IllegalArgumentException("floats < 1: " + floats);
        }
        long bytes = Math.multiplyExact(floats, Float.BYTES);
        MemorySegment raw;
        try {
            raw = (MemorySegment) MALLOC.invokeExact(bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("fftwf_malloc", t);
        }
        if (raw.address() == 0) {
            throw new OutOfMemoryError("fftwf_malloc(" + bytes + ") returned NULL");
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment = raw.reinterpret(bytes, arena, Fftw::free);
        return new Buffer(arena, segment, floats);
    }

    private static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException("fftwf_free", t);
        }
    }

    /** FFTW-aligned native floats; {@link #close()} frees them (idempotent). */
    public static final class Buffer implements AutoCloseable {
        private final Arena arena;
        private final MemorySegment segment;
        private final long floats;

        private Buffer(Arena arena, MemorySegment segment, long floats) {
            this.arena = arena;
            this.segment = segment;
            this.floats = floats;
        }

        /** The memory, {@code floats() * 4} bytes, native byte order. */
        public MemorySegment segment() {
            return segment;
        }

        public long floats() {
            return floats;
        }

        /** Copies {@code count} floats from {@code src[srcOffset...]} to the start of this buffer. */
        public void copyFrom(float[] src, int srcOffset, int count) {
            MemorySegment.copy(src, srcOffset, segment, JAVA_FLOAT, 0, count);
        }

        /** Copies the first {@code dst.length} floats of this buffer into {@code dst}. */
        public void copyTo(float[] dst) {
            MemorySegment.copy(segment, JAVA_FLOAT, 0, dst, 0, dst.length);
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }

    /** What a {@link Plan} transforms. */
    public enum Kind {
        /** {@code fftwf_plan_dft_1d}, forward; executed with {@code fftwf_execute_dft}. */
        COMPLEX,
        /** {@code fftwf_plan_dft_r2c_1d}, out of place; executed with {@code fftwf_execute_dft_r2c}. */
        REAL_TO_COMPLEX,
        /** {@code fftwf_plan_many_dft}, rank 1, contiguous rows; executed with {@code fftwf_execute_dft}. */
        COMPLEX_MANY
    }

    /**
     * A complex forward plan of size {@code n} (interleaved {@code [n][re, im]}, unscaled, same sign convention
     * as seqmix), in place when {@code inPlace}. Planned with {@code flags} ({@link #MEASURE} or
     * {@link #ESTIMATE}) on scratch buffers.
     */
    public static Plan complexForward(int n, boolean inPlace, int flags) {
        return plan(Kind.COMPLEX, n, 1, inPlace, flags);
    }

    /** A real-to-complex forward plan of size n: {@code [n]} real in, {@code [n/2+1][re, im]} out, out of place. */
    public static Plan realForward(int n, int flags) {
        return plan(Kind.REAL_TO_COMPLEX, n, 1, false, flags);
    }

    /** {@code howmany} complex forward transforms of size n, rows contiguous ({@code [howmany][n][re, im]}). */
    public static Plan complexForwardMany(int n, int howmany, boolean inPlace, int flags) {
        return plan(Kind.COMPLEX_MANY, n, howmany, inPlace, flags);
    }

    private static Plan plan(Kind kind, int n, int howmany, boolean inPlace, int flags) {
        requireAvailable();
        if (n < 1 || howmany < 1) {
            throw new IllegalArgumentException("n and howmany must be >= 1: n=" + n + ", howmany=" + howmany);
        }
        if (kind == Kind.REAL_TO_COMPLEX && inPlace) {
            throw new IllegalArgumentException("only out-of-place real-to-complex plans are supported");
        }
        long inFloats = kind == Kind.REAL_TO_COMPLEX ? n : 2L * n * howmany;
        long outFloats = kind == Kind.REAL_TO_COMPLEX ? 2L * (n / 2 + 1) : 2L * n * howmany;
        // FFTW_MEASURE overwrites the arrays it plans on: plan on scratch buffers, execute on the caller's.
        try (Buffer in = allocate(inFloats); Buffer out = inPlace ? null : allocate(outFloats);
             Arena temp = Arena.ofConfined()) {
            MemorySegment ip = in.segment();
            MemorySegment op = inPlace ? ip : out.segment();
            MemorySegment p;
            synchronized (PLANNER) {
                p = switch (kind) {
                    case COMPLEX -> (MemorySegment) PLAN_DFT_1D.invokeExact(n, ip, op, FORWARD, flags);
                    case REAL_TO_COMPLEX -> (MemorySegment) PLAN_DFT_R2C_1D.invokeExact(n, ip, op, flags);
                    case COMPLEX_MANY -> {
                        MemorySegment dims = temp.allocateFrom(JAVA_INT, n);
                        yield (MemorySegment) PLAN_MANY_DFT.invokeExact(1, dims, howmany,
                                ip, MemorySegment.NULL, 1, n, op, MemorySegment.NULL, 1, n, FORWARD, flags);
                    }
                };
            }
            if (p.address() == 0) {
                throw new IllegalStateException("FFTW returned a NULL plan for " + kind + " n=" + n
                        + " howmany=" + howmany);
            }
            return new Plan(kind, n, howmany, inPlace, inFloats, outFloats, p);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFTW planning failed", t);
        }
    }

    /** An FFTW plan; {@link #close()} destroys it (idempotent). Execute from any thread, on distinct buffers. */
    public static final class Plan implements AutoCloseable {
        private final Kind kind;
        private final int n;
        private final int howmany;
        private final boolean inPlace;
        private final long inFloats;
        private final long outFloats;
        private MemorySegment plan;

        private Plan(Kind kind, int n, int howmany, boolean inPlace, long inFloats, long outFloats,
                MemorySegment plan) {
            this.kind = kind;
            this.n = n;
            this.howmany = howmany;
            this.inPlace = inPlace;
            this.inFloats = inFloats;
            this.outFloats = outFloats;
            this.plan = plan;
        }

        public Kind kind() {
            return kind;
        }

        public int size() {
            return n;
        }

        public int howmany() {
            return howmany;
        }

        public boolean inPlace() {
            return inPlace;
        }

        /** Floats the input buffer must hold. */
        public long inputFloats() {
            return inFloats;
        }

        /** Floats the output buffer must hold. */
        public long outputFloats() {
            return outFloats;
        }

        /** Executes on {@code in} and {@code out} (the same buffer for an in-place plan, distinct otherwise). */
        public void execute(Buffer in, Buffer out) {
            MemorySegment p = plan;
            if (p == null) {
                throw new IllegalStateException("plan is closed");
            }
            if ((in == out) != inPlace) {
                throw new IllegalArgumentException(inPlace ? "in-place plan: pass the same buffer twice"
                        : "out-of-place plan: pass distinct buffers");
            }
            if (in.floats() < inFloats || out.floats() < outFloats) {
                throw new IllegalArgumentException("buffers too small: need " + inFloats + " and " + outFloats
                        + " floats, got " + in.floats() + " and " + out.floats());
            }
            try {
                if (kind == Kind.REAL_TO_COMPLEX) {
                    EXECUTE_DFT_R2C.invokeExact(p, in.segment(), out.segment());
                } else {
                    EXECUTE_DFT.invokeExact(p, in.segment(), out.segment());
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("FFTW execute failed", t);
            }
        }

        @Override
        public void close() {
            MemorySegment p = plan;
            if (p == null) {
                return;
            }
            plan = null;
            synchronized (PLANNER) {
                try {
                    DESTROY_PLAN.invokeExact(p);
                } catch (Throwable t) {
                    throw new IllegalStateException("fftwf_destroy_plan", t);
                }
            }
        }
    }
}
