package dev.seqmix;

import dev.seqmix.spi.KernelsProvider;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point: finds the backends at run time and creates {@link Kernels}.
 *
 * <p>Backends are found through {@link ServiceLoader} ({@link KernelsProvider}); the {@code api} module
 * imports none of them. The default backend is the one named by {@code -Dseqmix.backend} or the
 * environment variable {@code SEQMIX_BACKEND} (and then an unavailable backend is an error); otherwise
 * {@code opencl} when a GPU or accelerator is present, else {@code simd}, else {@code scalar}.
 */
public final class Seqmix {
    /** The backends seqmix knows, in the order {@link #backends()} lists them. */
    public static final List<String> KNOWN_BACKENDS = List.of("scalar", "simd", "opencl");

    private static final System.Logger LOG = System.getLogger("dev.seqmix");
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private Seqmix() {
    }

    private static final class Providers {
        static final List<KernelsProvider> ALL = load();

        private static List<KernelsProvider> load() {
            List<KernelsProvider> found = new ArrayList<>();
            ServiceLoader<KernelsProvider> loader = ServiceLoader.load(KernelsProvider.class, Seqmix.class.getClassLoader());
            for (ServiceLoader.Provider<KernelsProvider> p : loader.stream().toList()) {
                KernelsProvider provider = p.get();
                if (found.stream().noneMatch(f -> f.name().equals(provider.name()))) {
                    found.add(provider);
                }
            }
            return List.copyOf(found);
        }
    }

    private static KernelsProvider provider(String name) {
        for (KernelsProvider p : Providers.ALL) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Every known backend, available or not, with its device or vector width or the reason it is not available.
     *
     * @return {@code scalar}, {@code simd}, {@code opencl} (in that order), then any other backend found
     */
    public static List<BackendInfo> backends() {
        List<BackendInfo> infos = new ArrayList<>();
        for (String name : KNOWN_BACKENDS) {
            KernelsProvider p = provider(name);
            infos.add(p != null ? p.probe() : new BackendInfo(name, false,
                    "module seqmix-kernels-" + name + " is not on the class path or module path"));
        }
        for (KernelsProvider p : Providers.ALL) {
            if (!KNOWN_BACKENDS.contains(p.name())) {
                infos.add(p.probe());
            }
        }
        return List.copyOf(infos);
    }

    /**
     * The default backend (see the class description).
     *
     * @return a new {@code Kernels} of that backend; close it when done
     * @throws SeqmixException if a backend was requested by property or environment and is not available
     */
    public static Kernels kernels() {
        String requested = System.getProperty("seqmix.backend");
        String source = "-Dseqmix.backend";
        if (requested == null || requested.isBlank()) {
            requested = System.getenv("SEQMIX_BACKEND");
            source = "SEQMIX_BACKEND";
        }
        if (requested != null && !requested.isBlank()) {
            return create(requested.trim().toLowerCase(Locale.ROOT), source);
        }
        KernelsProvider best = null;
        int bestRank = Integer.MIN_VALUE;
        for (KernelsProvider p : Providers.ALL) {
            if (p.probe().available()) {
                int rank = p.defaultRank();
                if (rank >= 0 && rank > bestRank) {
                    best = p;
                    bestRank = rank;
                }
            }
        }
        if (best == null) {
            throw new SeqmixException("no seqmix backend is available: " + backends());
        }
        return create(best.name(), "default");
    }

    /**
     * The named backend: {@code "scalar"}, {@code "simd"} or {@code "opencl"}.
     *
     * @param name the backend's name
     * @return a new {@code Kernels} of that backend; close it when done
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if no such backend is known
     * @throws SeqmixException          if it is known but not available here (the reason is in the message)
     */
    public static Kernels kernels(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        return create(name, "requested");
    }

    private static Kernels create(String name, String source) {
        KernelsProvider p = provider(name);
        if (p == null) {
            if (KNOWN_BACKENDS.contains(name)) {
                throw new SeqmixException("backend " + name + " is not available: module seqmix-kernels-" + name
                        + " is not on the class path or module path");
            }
            throw new IllegalArgumentException("name: expected one of " + KNOWN_BACKENDS + ", got '" + name + "'"
                    + (source.startsWith("-D") || source.startsWith("SEQ") ? " (from " + source + ")" : ""));
        }
        BackendInfo info = p.probe();
        if (!info.available()) {
            throw new SeqmixException("backend " + name + " is not available"
                    + (source.equals("requested") || source.equals("default") ? "" : " (requested by " + source + ")")
                    + ": " + info.detail());
        }
        Kernels k = p.create();
        try {
            p.warmUp(k);
        } catch (RuntimeException | Error e) {
            k.close();
            throw e;
        }
        if (LOGGED.add(name + "/" + source)) {
            LOG.log(Level.INFO, "seqmix backend {0} ({1}; {2})", name, source, info.detail());
        }
        return k;
    }
}
