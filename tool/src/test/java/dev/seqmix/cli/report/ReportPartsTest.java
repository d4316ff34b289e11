package dev.seqmix.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.Kernels;
import dev.seqmix.Seqmix;
import dev.seqmix.bench.BenchData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's own numerics and plumbing: the FFT error measure, the FFT Toeplitz path, and JSON (the float64
 * reference itself is tested in the reference module).
 */
class ReportPartsTest {

    @Test
    void relativeRmsOfAScaledSpectrum() {
        double[] ref = {3, 4, 0, 0};
        float[] got = {3.3f, 4.4f, 0, 0};
        assertEquals(0.1, FftSection.relativeRms(got, ref), 1e-6);
    }

    @Test
    void toeplitzByFftMatchesTheDirectProduct() {
        try (Kernels k = Seqmix.kernels("scalar")) {
            for (int n : new int[] {1, 2, 5, 33, 64}) {
                int cols = 3;
                float[] coeffs = BenchData.uniform(n, 2 * n - 1, -1, 1);
                float[] x = BenchData.uniform(n + 1, n * cols, -1, 1);
                float[] expected = new float[n * cols];
                BenchData.toeplitzDirect(1, n, cols, coeffs, x, expected);
                ToeplitzByFft fft = new ToeplitzByFft(k, n, cols);
                assertTrue(fft.circulantSize() >= 2 * n - 1, "circulant " + fft.circulantSize());
                float[] y = new float[n * cols];
                for (int repeat = 0; repeat < 2; repeat++) { // buffers are reused: a second call must agree
                    fft.multiply(coeffs, x, y);
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(expected[i], y[i], 1e-5 * n, "n=" + n + " [" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void jsonRoundTrip() throws Json.InvalidException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1.5, "x\"y\n\u0001\t<&>é", true, -2.5e-300));
        m.put("b", Map.of());
        m.put("c", null);
        m.put("d", List.of());
        String text = Json.write(m);
        assertEquals(m, Json.parse(text, "test"));
        assertTrue(text.endsWith("}\n"), text);
        assertTrue(text.contains("\"c\": null"), "nulls are written: " + text);
        assertEquals(List.of(), Json.parse(" [ ] ", "test"));
        assertEquals("é", Json.parse("\"\\u00e9\"", "test"));
        // whole numbers without a fraction, as before; they read back as doubles
        assertEquals("{\n  \"size\": 16,\n  \"long\": 17,\n  \"big\": 1.0E20\n}\n",
                Json.write(orderedMap("size", 16.0, "long", 17L, "big", 1e20)));
        assertEquals(orderedMap("size", 16.0, "long", 17.0, "big", 1e20),
                Json.parse(Json.write(orderedMap("size", 16.0, "long", 17L, "big", 1e20)), "test"));
    }

    private static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** What the hand-written reader took, and more: each is refused, with the file and the place named. */
    @Test
    void invalidJsonIsRejected() {
        for (String bad : List.of("[1, 2", "{} x", "[NaN]", "[Infinity]", "[-Infinity]", "['a']", "[1,]",
                "{\"a\": 1,}", "// comment\n[1]", "{a: 1}", "[01]", "[+1]", "[.5]", "[1e400]", "[\"\\x\"]",
                "[\"tab\tin a string\"]", "[TRUE]", "[1] [2]")) {
            Json.InvalidException e = assertThrows(Json.InvalidException.class, () -> Json.parse(bad, "some.json"),
                    bad);
            assertTrue(e.getMessage().startsWith("some.json is not valid JSON: "), e.getMessage());
            assertTrue(e.getMessage().contains(" line 1 column "), e.getMessage());
            assertFalse(e.getMessage().contains("LENIENT") || e.getMessage().contains("https:"), e.getMessage());
        }
        for (String empty : List.of("", "  \n")) {
            Json.InvalidException e = assertThrows(Json.InvalidException.class, () -> Json.parse(empty, "e.json"));
            assertEquals("e.json is not valid JSON: it is empty", e.getMessage());
        }
    }

    @Test
    void nonFiniteNumbersAreNotWrittenAsJsonNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("m", List.of(1.0, Double.NaN))));
        assertTrue(e.getMessage().contains("$.m[1]") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Float.NEGATIVE_INFINITY)));
    }

    @Test
    void measurementSurvivesResultsJson() throws Json.InvalidException {
        Measurement m = new Measurement("m1", Operation.FFT, "simd", 1024, "n = 1024", 2e-6, 1.5e-6, 3e-6, 5, 100,
                true, FftSection.benchFftFlops(1024), 0, Sweep.MEASURED);
        String text = Json.write(m.toJson());
        assertFalse(text.contains("nonFinite"), text);
        assertTrue(text.contains("\"size\": 1024,"), text);
        Measurement back = Measurement.fromJson((Map<?, ?>) Json.parse(text, "results.json"));
        assertEquals(m, back);
        assertEquals(5.0 * 1024 * 10 / 2.0, back.metric(Measurement.Metric.MFLOPS), 1e-9);
    }

    /** A NaN or infinity is written as null, and nonFinite names it; it reads back as it was. */
    @Test
    void nonFiniteMeasurementSurvivesResultsJson() throws Json.InvalidException {
        Measurement m = new Measurement("m2", Operation.FFT_ERROR, "opencl", 64, "n = 64", Double.NaN, Double.NaN,
                Double.POSITIVE_INFINITY, 1, 1, true, Double.NEGATIVE_INFINITY, 0, Sweep.MEASURED);
        String text = Json.write(m.toJson());
        assertTrue(text.contains("\"value\": null,") && text.contains("\"high\": null,"), text);
        assertTrue(text.contains("\"nonFinite\": {\n    \"value\": \"NaN\",\n    \"low\": \"NaN\",\n    "
                + "\"high\": \"Infinity\",\n    \"flops\": \"-Infinity\"\n  }"), text);
        Measurement back = Measurement.fromJson((Map<?, ?>) Json.parse(text, "results.json"));
        assertEquals(m, back);
        assertTrue(Double.isNaN(back.value()) && back.high() == Double.POSITIVE_INFINITY, back.toString());

        // an earlier results.json wrote null without saying why: NaN
        Map<String, Object> old = new LinkedHashMap<>(m.toJson());
        old.remove("nonFinite");
        assertTrue(Double.isNaN(Measurement.fromJson(old).high()));
        old.put("nonFinite", Map.of("high", "big"));
        assertThrows(IllegalArgumentException.class, () -> Measurement.fromJson(old));
    }
}
