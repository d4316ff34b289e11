package dev.seqmix.cli.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's JSON, through Gson: reading JMH result files and the report's own results.json (objects become
 * ordered {@link Map}s, arrays {@link List}s, every number a {@link Double}), and writing results.json.
 *
 * <p>Reading is strict (RFC 8259): no NaN or Infinity literals, comments, single quotes, trailing commas or text
 * after the value; an empty file is not JSON either. Writing refuses NaN and infinities, which JSON cannot hold:
 * the caller decides what stands for them (see {@link Measurement#toJson}).
 */
final class Json {
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.STRICT).serializeNulls()
            .disableHtmlEscaping().setPrettyPrinting().create();

    private Json() {
    }

    /** A text that is not valid JSON; the message names where it came from, and why. */
    static final class InvalidException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidException(String source, String reason) {
            super(source + " is not valid JSON: " + reason);
        }
    }

    /** Parses {@code file}. */
    static Object read(Path file) throws IOException, InvalidException {
        return parse(Files.readString(file), file.toString());
    }

    /** Parses {@code text}, read from {@code source} (a file name, for the message). */
    static Object parse(String text, String source) throws InvalidException {
        if (text.isBlank()) {
            throw new InvalidException(source, "it is empty");
        }
        try {
            return GSON.fromJson(text, Object.class);
        } catch (JsonParseException e) {
            throw new InvalidException(source, reason(e));
        }
    }

    /**
     * Gson's word for what is wrong and where ("Expected name at line 3 column 9 path $.a"), less its advice to
     * developers.
     */
    private static String reason(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
        return m.startsWith("End of input") ? "the file ends early" + m.substring("End of input".length()) : m;
    }

    /**
     * {@code v} (maps, lists, strings, numbers, booleans and null) as indented JSON, with a final line break. A
     * whole double is written without a fraction ("16", not "16.0"). {@link IllegalArgumentException} for a NaN or
     * infinite number.
     */
    static String write(Object v) {
        return GSON.toJson(plain(v, "$")) + "\n";
    }

    private static Object plain(Object v, String path) {
        return switch (v) {
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, e) -> out.put(String.valueOf(k), plain(e, path + "." + k)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    out.add(plain(l.get(i), path + "[" + i + "]"));
                }
                yield out;
            }
            case Double d when !Double.isFinite(d) ->
                    throw new IllegalArgumentException(path + ": " + d + " cannot be written as JSON");
            case Float f when !Float.isFinite(f) ->
                    throw new IllegalArgumentException(path + ": " + f + " cannot be written as JSON");
            case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> (long) (double) d;
            case null, default -> v;
        };
    }
}
