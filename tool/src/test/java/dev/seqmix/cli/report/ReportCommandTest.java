package dev.seqmix.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.bench.peers.Fftw;
import dev.seqmix.cli.CliRun;
import dev.seqmix.cli.Console;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqmix report}: a tiny sweep in this JVM, and a report drawn from a small JMH JSON file. The page must
 * reference only PNGs that exist and decode, and every number in its tables must be one that results.json holds
 * (the cell names the measurement, and the value is recomputed from it).
 */
class ReportCommandTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+)\"");
    private static final Pattern CELL = Pattern.compile("<td([^>]*)>([^<]*)</td>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");

    @Test
    void quickSweepWritesAPageOfValidPlotsAndMeasuredNumbers(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("report", "--quick", "--no-progress", "--backend", "scalar", "--backend", "simd",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.all());
        String html = Files.readString(dir.resolve("index.html"));
        Map<String, Measurement> measurements = readResults(dir);

        List<String> images = checkImages(dir, html);
        for (String expected : List.of("papers-scalar.png", "papers-simd.png", "fft-mflops.png", "fft-error.png",
                "bandwidth-scan.png", "bandwidth-talk.png", "toeplitz.png")) {
            assertTrue(images.contains(expected), expected + " not on the page: " + images);
        }
        Set<String> shown = checkCells(html, measurements);
        for (Measurement m : measurements.values()) {
            assertEquals(Sweep.MEASURED, m.source(), m.toString());
            assertTrue(m.samples() >= 3 && m.callsPerSample() >= 1 || m.operation() == Operation.FFT_ERROR,
                    m.toString());
            assertTrue(m.low() <= m.value() && m.value() <= m.high(), m.toString());
            assertTrue(shown.contains(m.id()), "measurement in no table: " + m);
        }
        // The accuracy table: every FFT against float64, each implementation at every size, and plausible.
        List<String> implementations = new ArrayList<>(List.of("scalar", "simd", FftSection.JTRANSFORMS));
        if (Fftw.available()) {
            implementations.add(FftSection.FFTW);
        }
        for (String impl : implementations) {
            for (int n : SweepPlan.quick().allFftSizes()) {
                Measurement e = measurements.values().stream().filter(m -> m.operation() == Operation.FFT_ERROR
                        && m.implementation().equals(impl) && m.size() == n).findFirst().orElse(null);
                assertNotNull(e, "no accuracy of " + impl + " at n = " + n);
                assertTrue(e.value() < 1e-5, impl + " n=" + n + ": relative RMS error " + e.value());
            }
        }
        assertTrue(html.contains("vector width") && html.contains("OpenCL device") && html.contains("JVM"), html);
        assertTrue(r.out().contains("index.html"), r.all());
        // The latency table: three calls on one thread and on four, each with p50 <= p99 <= p99.9 <= max.
        assertTrue(html.contains("id=\"latency\""), "no latency table");
        for (String backend : List.of("scalar", "simd")) {
            Map<String, List<Measurement>> rows = new HashMap<>();
            measurements.values().stream().filter(m -> m.operation().isLatency() && m.implementation().equals(backend))
                    .forEach(m -> rows.computeIfAbsent(m.shape(), k -> new ArrayList<>()).add(m));
            assertEquals(6, rows.size(), backend + ": " + rows.keySet());
            for (List<Measurement> row : rows.values()) {
                row.sort(java.util.Comparator.comparing(Measurement::operation));
                assertEquals(LatencySection.PERCENTILES, row.stream().map(Measurement::operation).toList());
                for (int i = 1; i < row.size(); i++) {
                    assertTrue(row.get(i - 1).value() <= row.get(i).value(), row.toString());
                }
            }
        }
    }

    /**
     * TailLatencyBenchmark's SampleTime results (bench/results/tail-latency-t{1,4}-2026-12-04.json without their
     * histograms) become the latency table: JMH's p50, p99, p99.9 and max, per call and thread count.
     */
    @Test
    void fromJmhJsonDrawsTheLatencyTable(@TempDir Path dir) throws Exception {
        Path fixture = Path.of(ReportCommandTest.class.getResource("jmh-latency-fixture.json").toURI());
        CliRun r = CliRun.of("report", "--from", fixture.toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.all());
        String html = Files.readString(dir.resolve("index.html"));
        Map<String, Measurement> measurements = readResults(dir);
        assertEquals(24, measurements.size(), "four percentiles of six results");
        assertEquals(measurements.keySet(), checkCells(html, measurements));
        // followed by hand: streamStep on one thread, p99.9 = 15.056 us
        Measurement step = measurements.values().stream().filter(m -> m.operation() == Operation.LATENCY_P999
                && m.size() == 1 && m.shape().startsWith("TalkStream.step")).findFirst().orElseThrow();
        assertEquals(15.056e-6, step.value(), 1e-12);
        assertTrue(html.contains("4 threads sharing one instance"), "the shared runs are rows of their own");
    }

    @Test
    void fromJmhJsonDrawsTheFiguresFromTheFile(@TempDir Path dir) throws IOException, URISyntaxException {
        Path fixture = Path.of(ReportCommandTest.class.getResource("jmh-fixture.json").toURI());
        CliRun r = CliRun.of("report", "--from", fixture.toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.all());
        String html = Files.readString(dir.resolve("index.html"));
        Map<String, Measurement> measurements = readResults(dir);

        List<String> images = checkImages(dir, html);
        for (String expected : List.of("papers-scalar.png", "fft-mflops.png", "bandwidth-scan.png",
                "bandwidth-talk.png", "toeplitz.png")) {
            assertTrue(images.contains(expected), expected + " not on the page: " + images);
        }
        assertFalse(images.contains("fft-error.png"), "a JMH file has no accuracy to plot");
        Set<String> shown = checkCells(html, measurements);
        assertEquals(measurements.keySet(), shown, "every result read is in a table, and only those");
        for (Measurement m : measurements.values()) {
            assertTrue(m.source().startsWith("jmh-fixture.json: "), m.toString());
        }
        // One value followed by hand: FftBenchmark.forward, scalar, n = 64, 0.3083324327516623 us/op.
        Measurement fft64 = measurements.values().stream().filter(m -> m.operation() == Operation.FFT
                && m.implementation().equals("scalar") && m.size() == 64).findFirst().orElseThrow();
        assertEquals(0.3083324327516623e-6, fft64.value(), 1e-18);
        assertEquals(5.0 * 64 * 6 / 0.3083324327516623, fft64.metric(Measurement.Metric.MFLOPS), 1e-6);
        assertTrue(html.contains("LatencyBenchmark.fft256"), "an unknown benchmark goes to its own table");
        // JTransforms ran under backend=scalar and, at n = 256, under backend=simd too: both are kept, named apart
        assertEquals(30, measurements.size(), "one measurement per result");
        Map<String, Long> jtransforms = new HashMap<>();
        measurements.values().stream().filter(m -> m.implementation().startsWith(FftSection.JTRANSFORMS))
                .forEach(m -> jtransforms.merge(m.implementation(), 1L, Long::sum));
        assertEquals(Map.of("JTransforms (backend=scalar)", 2L, "JTransforms (backend=simd)", 1L), jtransforms);
        assertTrue(html.contains("JTransforms (backend=simd)"), "the param is shown");
        assertFalse(html.contains("left out"), "nothing is left out");
    }

    /**
     * A file cut from real JMH runs with -p threads=1,2 (bench/results/simd-targets-{scan,talk,attention2048}.json):
     * results that differ only in the threads param are all kept, each shown with its threads, each value the
     * file's score.
     */
    @Test
    void fromJmhJsonKeepsResultsThatDifferOnlyInThreads(@TempDir Path dir) throws Exception {
        Path fixture = Path.of(ReportCommandTest.class.getResource("jmh-threads-fixture.json").toURI());
        CliRun r = CliRun.of("report", "--from", fixture.toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.all());
        String html = Files.readString(dir.resolve("index.html"));
        Map<String, Measurement> measurements = readResults(dir);
        assertEquals(14, measurements.size(), "one measurement per result: " + measurements.values());
        assertEquals(measurements.keySet(), checkCells(html, measurements), "each in a table");
        List<String> images = checkImages(dir, html);
        assertTrue(images.containsAll(List.of("papers-simd-threads-1.png", "papers-simd-threads-2.png")), images
                .toString());
        assertFalse(html.contains("left out"), html);

        List<?> results = (List<?>) Json.read(fixture);
        for (Object o : results) {
            Map<?, ?> result = (Map<?, ?>) o;
            Map<?, ?> params = (Map<?, ?>) result.get("params");
            String benchmark = (String) result.get("benchmark");
            String method = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            double score = (Double) ((Map<?, ?>) result.get("primaryMetric")).get("score");
            List<Measurement> found = measurements.values().stream()
                    .filter(m -> m.source().contains(method + " " + new TreeMap<>(params))).toList();
            assertEquals(1, found.size(), benchmark + " " + params + ": " + found);
            Measurement m = found.get(0);
            String unit = (String) ((Map<?, ?>) result.get("primaryMetric")).get("scoreUnit");
            assertEquals(score * (unit.equals("ms/op") ? 1e-3 : 1e-6), m.value(), m.value() * 1e-12, m.toString());
            if (m.operation() != Operation.OTHER) {
                assertTrue(m.implementation().endsWith(" (threads=" + params.get("threads") + ")"), m.toString());
            }
        }
        for (String label : List.of("cumsum simd (threads=1)", "cumsum simd (threads=2)",
                "ceiling: System.arraycopy, 1 thread (threads=2)", "TaLK forward simd (threads=2)")) {
            assertTrue(html.contains(label), label);
        }
    }

    /** The tests' stderr is not a terminal: without --no-progress, still no progress bar frames ('\r'). */
    @Test
    void noProgressBarWhereStderrIsNotATerminal(@TempDir Path dir) {
        Assumptions.assumeFalse(Console.stderrIsTerminal(), "stderr is a terminal here");
        CliRun r = CliRun.of("report", "--quick", "--backend", "scalar", "--out", dir.toString());
        assertEquals(0, r.code(), r.all());
        assertFalse(r.err().contains("\r"), r.all());
        assertFalse(r.err().contains("seqmix report"), "no bar at all: " + r.all());
    }

    /**
     * JMH writes a score it could not compute as the string "NaN" (and an interval of one sample as ["NaN", "NaN"]):
     * the result is left out with a note, and an interval falls back to the score.
     */
    @Test
    void fromJmhJsonWithNaNScores(@TempDir Path dir) throws Exception {
        Path fixture = Path.of(ReportCommandTest.class.getResource("jmh-fixture.json").toURI());
        List<?> results = (List<?>) Json.read(fixture);
        Map<String, Object> attention = metric(results, "AttentionBenchmark.rpeAttention", "512");
        attention.put("score", "NaN");
        Map<String, Object> fft = metric(results, "FftBenchmark.forward", "64");
        fft.put("scoreConfidence", List.of("NaN", "NaN"));
        Path file = Files.writeString(dir.resolve("nan.json"), Json.write(results));
        assertTrue(Files.readString(file).contains("\"score\": \"NaN\""));

        CliRun r = CliRun.of("report", "--from", file.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.all());
        Map<String, Measurement> measurements = readResults(dir.resolve("out"));
        assertTrue(measurements.values().stream().noneMatch(m -> m.operation() == Operation.RPE_ATTENTION
                && m.size() == 512), "the NaN score is left out");
        String notes = Files.readString(dir.resolve("out").resolve("results.json"));
        assertTrue(notes.contains("rpeAttention {backend=scalar, length=512}: left out, its score is NaN"), notes);
        Measurement fft64 = measurements.values().stream().filter(m -> m.operation() == Operation.FFT
                && m.implementation().equals("scalar") && m.size() == 64).findFirst().orElseThrow();
        assertEquals(fft64.value(), fft64.low());
        assertEquals(fft64.value(), fft64.high());
    }

    /** The primaryMetric of the result of {@code benchmark} (class.method) whose first param value is {@code p}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> metric(List<?> results, String benchmark, String p) {
        for (Object o : results) {
            Map<String, Object> r = (Map<String, Object>) o;
            Map<String, Object> params = (Map<String, Object>) r.get("params");
            if (((String) r.get("benchmark")).endsWith("." + benchmark) && params.containsValue(p)) {
                return (Map<String, Object>) r.get("primaryMetric");
            }
        }
        throw new AssertionError("no " + benchmark + " " + p);
    }

    /** The report committed in docs/report (linked from the README and bench/RESULTS.md) passes the same checks. */
    @Test
    void committedReportIsConsistent() throws IOException {
        Path dir = Path.of("..", "docs", "report"); // Surefire runs in the tool module's folder
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("index.html")), "no committed report in " + dir);
        String html = Files.readString(dir.resolve("index.html"));
        Map<String, Measurement> measurements = readResults(dir);
        assertTrue(checkImages(dir, html).contains("papers-simd.png"), "the README's plot is on the page");
        assertEquals(measurements.keySet(), checkCells(html, measurements));
        measurements.values().forEach(m -> assertEquals(Sweep.MEASURED, m.source(), m.toString()));
    }

    @Test
    void badInputGivesAClearMessage(@TempDir Path dir) throws IOException {
        CliRun missing = CliRun.of("report", "--from", dir.resolve("nope.json").toString());
        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().contains("--from: no readable file"), missing.all());

        Path notJson = Files.writeString(dir.resolve("bad.json"), "this is not JSON");
        CliRun bad = CliRun.of("report", "--from", notJson.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, bad.code(), bad.all());
        assertTrue(bad.err().contains(notJson + " is not valid JSON: malformed JSON at line 1 column 1"), bad.all());
        assertTrue(bad.err().contains("expected a JMH JSON result file"), bad.all());
        assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.all());

        // JSON's near misses, which the hand-written reader took
        for (String nearly : List.of("[{\"score\": NaN}]", "[{\"a\": 1},]", "[{\"a\": 1}] trailing", "")) {
            Path file = Files.writeString(dir.resolve("nearly.json"), nearly);
            CliRun r = CliRun.of("report", "--from", file.toString(), "--out", dir.resolve("out").toString());
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains(file + " is not valid JSON: "), r.all());
        }

        Path notJmh = Files.writeString(dir.resolve("object.json"), "{\"a\": 1}");
        CliRun wrongShape = CliRun.of("report", "--from", notJmh.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, wrongShape.code(), wrongShape.all());
        assertTrue(wrongShape.err().contains("is neither a JMH JSON result file (an array) nor a seqmix results.json "
                + "(an object with \"measurements\")"), wrongShape.all());
        Path emptyArray = Files.writeString(dir.resolve("empty.json"), "[]");
        CliRun empty = CliRun.of("report", "--from", emptyArray.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, empty.code(), empty.all());
        assertTrue(empty.err().contains("expected a non-empty array"), empty.all());

        CliRun unknown = CliRun.of("report", "--quick", "--backend", "nosuch", "--out", dir.toString());
        assertEquals(2, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("nosuch"), unknown.all());

        assertEquals(2, CliRun.of("report", "--quick", "--full").code());
        assertEquals(2, CliRun.of("report", "--from", notJson.toString(), "--quick").code());
        Path file = Files.writeString(dir.resolve("a-file"), "");
        CliRun outIsFile = CliRun.of("report", "--quick", "--out", file.toString());
        assertEquals(2, outIsFile.code(), outIsFile.all());
        assertTrue(outIsFile.err().contains("not a directory"), outIsFile.all());
    }

    /**
     * A --out that cannot be written fails at once, naming --out: without --quick a sweep would take minutes before
     * the writing failed, so the timeout shows that nothing was measured first.
     */
    @Test
    void unwritableOutFailsBeforeMeasuring(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        for (Path out : List.of(file.resolve("report"), file.resolve("a").resolve("b"))) {
            CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> CliRun.of("report", "--backend", "scalar", "--out", out.toString()));
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().contains("--out: cannot create the directory '" + out + "'"), r.all());
            assertTrue(r.err().contains("Not a directory"), r.all());
            assertFalse(r.out().contains("measurements"), r.all());
        }
    }

    /** A directory this user cannot write in: a read-only one, or (root writes anywhere) /proc on Linux. */
    @Test
    void readOnlyOutFailsBeforeMeasuring(@TempDir Path dir) throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path out = Files.isWritable(readOnly) ? Path.of("/proc") : readOnly;
            Assumptions.assumeTrue(Files.isDirectory(out), "no directory this user cannot write in");
            CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> CliRun.of("report", "--backend", "scalar", "--out", out.toString()));
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().contains("--out: cannot write in '" + out + "'"), r.all());
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void outIsCreatedBeforeMeasuringAndLeftWithoutTheProbe(@TempDir Path dir) throws IOException {
        // an unknown backend is refused after the --out check: the folder exists, and holds nothing
        Path out = dir.resolve("new").resolve("report");
        CliRun r = CliRun.of("report", "--quick", "--backend", "nosuch", "--out", out.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(Files.isDirectory(out), r.all());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(), files.toList(), "the write check leaves no file behind");
        }
    }

    /** Every measurement in results.json, by id; the ids are unique. */
    static Map<String, Measurement> readResults(Path dir) throws IOException {
        Map<?, ?> root;
        try {
            root = (Map<?, ?>) Json.read(dir.resolve("results.json"));
        } catch (Json.InvalidException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        Map<String, Measurement> byId = new LinkedHashMap<>();
        for (Object o : (List<?>) root.get("measurements")) {
            Measurement m = Measurement.fromJson((Map<?, ?>) o);
            assertEquals(null, byId.put(m.id(), m), "duplicate id " + m.id());
        }
        assertFalse(byId.isEmpty(), "results.json has no measurements");
        return byId;
    }

    /** Checks that every image of the page is a PNG file in the report folder that decodes; returns their names. */
    static List<String> checkImages(Path dir, String html) throws IOException {
        List<String> names = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            String name = m.group(1);
            Path png = dir.resolve(name);
            assertTrue(Files.isRegularFile(png), "missing " + png);
            assertTrue(Files.size(png) > 1000, png + " is only " + Files.size(png) + " bytes");
            try (InputStream in = Files.newInputStream(png)) {
                assertArrayEquals(PNG_MAGIC, in.readNBytes(PNG_MAGIC.length), png + " is not a PNG");
            }
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " does not decode");
            assertEquals(Charts.WIDTH, image.getWidth(), png.toString());
            assertEquals(Charts.HEIGHT, image.getHeight(), png.toString());
            names.add(name);
        }
        assertEquals(names.size(), new HashSet<>(names).size(), "an image is on the page twice: " + names);
        return names;
    }

    /**
     * Checks every table cell: a number names its measurement and metric, its data-value is that metric computed
     * from the measurement, and its text is the value as the report formats it; any other cell is an empty "-".
     * Returns the ids shown.
     */
    static Set<String> checkCells(String html, Map<String, Measurement> measurements) {
        Set<String> shown = new HashSet<>();
        Matcher m = CELL.matcher(html);
        int numbers = 0;
        while (m.find()) {
            Map<String, String> a = attributes(m.group(1));
            String text = unescape(m.group(2));
            if ("none".equals(a.get("class"))) {
                assertEquals("-", text);
                continue;
            }
            if (!"num".equals(a.get("class"))) {
                continue; // the environment table: words, not numbers
            }
            numbers++;
            Measurement source = measurements.get(a.get("data-source"));
            assertNotNull(source, "cell '" + text + "' names no measurement in results.json: " + a);
            Measurement.Metric metric = Measurement.Metric.valueOf(a.get("data-metric"));
            double expected = source.metric(metric);
            if (metric == Measurement.Metric.FRACTION_OF_CEILING) { // a rate over a ceiling: both are named
                Measurement ceiling = measurements.get(a.get("data-ceiling"));
                assertNotNull(ceiling, "fraction '" + text + "' names no ceiling in results.json: " + a);
                assertEquals(Operation.DEVICE_CEILING, ceiling.operation(), a.toString());
                assertEquals(source.implementation(), ceiling.implementation(), "a ceiling of another device: " + a);
                expected = source.fractionOf(ceiling);
                shown.add(ceiling.id());
            }
            assertEquals(expected, Double.parseDouble(a.get("data-value")), Math.abs(expected) * 1e-12, a.toString());
            assertEquals(metric.format(expected), text, a.toString());
            shown.add(source.id());
        }
        assertTrue(numbers > 0, "no numbers in the tables");
        return shown;
    }

    private static Map<String, String> attributes(String s) {
        Map<String, String> a = new HashMap<>();
        Matcher m = ATTRIBUTE.matcher(s);
        while (m.find()) {
            a.put(m.group(1), unescape(m.group(2)));
        }
        return a;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    @Test
    void sizeLabelsArePowersOfTwo() {
        assertEquals("16", Charts.sizeLabel(4));
        assertEquals("65536", Charts.sizeLabel(16));
        assertEquals("2^20", Charts.sizeLabel(20));
        assertEquals("", Charts.sizeLabel(4.5));
        assertEquals(List.of("1", "2"), Arrays.asList(Charts.sizeLabel(0), Charts.sizeLabel(1)));
    }
}
