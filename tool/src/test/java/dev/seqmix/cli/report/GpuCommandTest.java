package dev.seqmix.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.BackendInfo;
import dev.seqmix.Seqmix;
import dev.seqmix.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqmix gpu}, the device benchmark, on whatever OpenCL device the machine has (PoCL in CI): its results.json
 * and page pass the report's checks (every number names its measurement, every fraction its ceiling on the same
 * device), and two result files drawn together stand side by side. Without OpenCL the command says why and fails.
 * With {@code -Dseqmix.gpu.results=DIR} the same checks also run on DIR, the output of the bundle
 * ({@code bench/gpu-bundle}) that CI runs with a small budget.
 */
class GpuCommandTest {
    private static boolean openclAvailable() {
        return Seqmix.backends().stream().anyMatch(b -> b.name().equals("opencl") && b.available());
    }

    @Test
    void quickRunWritesResultsAndAPageThatPassTheReportsChecks(@TempDir Path dir) throws IOException {
        // the budget is a cap: quick shapes take seconds, a cold driver's program builds more
        CliRun r = CliRun.of("gpu", "--quick", "--budget", "90s", "--out", dir.toString());
        if (!openclAvailable()) {
            String why = Seqmix.backends().stream().filter(b -> b.name().equals("opencl")).findFirst()
                    .map(BackendInfo::detail).orElseThrow();
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains("OpenCL is not available: " + why), r.all());
            return;
        }
        assertEquals(0, r.code(), r.all());
        checkDeviceRun(dir);
        assertTrue(r.out().contains("FP32 FMA peak"), "the summary names the ceilings: " + r.all());
        assertTrue(r.out().contains(" of copy: "), "the summary gives fractions: " + r.all());

        // the same file twice, as two machines' results: side by side, every id still unique and shown
        Path both = dir.resolve("both");
        CliRun twice = CliRun.of("report", "--from", dir.resolve("results.json").toString(), "--from",
                dir.resolve("results.json").toString(), "--out", both.toString());
        assertEquals(0, twice.code(), twice.all());
        String html = Files.readString(both.resolve("index.html"));
        Map<String, Measurement> measurements = ReportCommandTest.readResults(both);
        assertEquals(measurements.keySet(), ReportCommandTest.checkCells(html, measurements));
        assertTrue(measurements.containsKey("f1-m1") && measurements.containsKey("f2-m1"), measurements.keySet()
                .toString());
    }

    /** {@code seqmix report --backend opencl}: the sweep's figures and, on the same page, the device section. */
    @Test
    void reportOnOpenclAddsTheDeviceSection(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("report", "--quick", "--no-progress", "--backend", "opencl", "--out", dir.toString());
        if (!openclAvailable()) { // the peers are still measured; the page says why opencl is not there
            assertEquals(0, r.code(), r.all());
            assertTrue(Files.readString(dir.resolve("results.json")).contains("opencl: skipped, not available ("),
                    "the notes say why");
            assertTrue(ReportCommandTest.readResults(dir).values().stream().noneMatch(m -> m.operation().isDevice()));
            return;
        }
        assertEquals(0, r.code(), r.all());
        checkDeviceRun(dir);
        assertTrue(ReportCommandTest.checkImages(dir, Files.readString(dir.resolve("index.html")))
                .contains("papers-opencl.png"), "the sweep's figures are there too");
    }

    /** The bundle's own run in CI (bench/gpu-bundle, then its launcher with a small budget). */
    @Test
    void bundleRunPassesTheSameChecksWhereCiGivesIt() throws IOException {
        String given = System.getProperty("seqmix.gpu.results");
        if (given == null) {
            return; // the quick run above holds the command; CI passes the bundle's output here as well
        }
        checkDeviceRun(Path.of(given));
    }

    @Test
    void listNamesEveryDevice() {
        CliRun r = CliRun.of("gpu", "--list");
        if (!openclAvailable()) {
            assertEquals(1, r.code(), r.all());
            return;
        }
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("0: "), r.all());
        CliRun none = CliRun.of("gpu", "--device", "no-such-device-name", "--quick", "--budget", "1");
        assertEquals(1, none.code(), none.all());
        assertTrue(none.err().contains("no device whose name contains 'no-such-device-name'"), none.all());
    }

    /** The FFT's fewest global passes: one while a transform fits local memory, one more per factor of it. */
    @Test
    void fftPassesFollowTheDevicesLocalMemory() {
        long gpu = 48 << 10; // 6144 complex floats
        assertEquals(1, DeviceSection.fftPasses(4096, gpu));
        assertEquals(1, DeviceSection.fftPasses(6144, gpu));
        assertEquals(2, DeviceSection.fftPasses(8192, gpu));
        assertEquals(2, DeviceSection.fftPasses(1 << 20, gpu));
        assertEquals(3, DeviceSection.fftPasses(1L << 26, gpu));
        assertEquals(1, DeviceSection.fftPasses(1 << 16, 512 << 10));
        assertEquals(2, DeviceSection.fftPasses(1 << 20, 512 << 10));
    }

    @Test
    void budgetTakesSecondsAndMinutes() {
        GpuCommand.Budget b = new GpuCommand.Budget();
        assertEquals(300.0, b.convert("300s"));
        assertEquals(300.0, b.convert("5m"));
        assertEquals(90.0, b.convert("90"));
        assertEquals(90.0, b.convert("1.5min"));
        assertThrows(IllegalArgumentException.class, () -> b.convert("soon"));
        assertThrows(IllegalArgumentException.class, () -> b.convert("0s"));
        CliRun r = CliRun.of("gpu", "--budget", "soon");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("expected a time such as 300s, 5m or 90, got 'soon'"), r.all());
    }

    /** A device run's output: the device's properties, its five ceilings, each operation's two times, and the checks. */
    private static void checkDeviceRun(Path dir) throws IOException {
        String html = Files.readString(dir.resolve("index.html"));
        Map<String, Measurement> measurements = ReportCommandTest.readResults(dir);
        ReportCommandTest.checkImages(dir, html);
        Set<String> shown = ReportCommandTest.checkCells(html, measurements);
        for (Measurement m : measurements.values()) {
            assertTrue(!m.operation().isDevice() || shown.contains(m.id()), m.id() + " is not on the page");
        }
        List<String> ceilings = measurements.values().stream().filter(m -> m.operation() == Operation.DEVICE_CEILING)
                .map(Measurement::shape).distinct().toList();
        assertEquals(List.of(DeviceSection.COPY_BUFFER, DeviceSection.COPY_KERNEL, DeviceSection.HOST_TO_DEVICE,
                DeviceSection.DEVICE_TO_HOST, DeviceSection.FMA_PEAK), ceilings);
        long kernels = measurements.values().stream().filter(m -> m.operation() == Operation.DEVICE_KERNELS).count();
        long whole = measurements.values().stream().filter(m -> m.operation() == Operation.DEVICE_END_TO_END).count();
        assertEquals(kernels, whole, "every case has both times");
        for (String op : List.of("cumsum", "talkForward", "talkBackward", "fft", "softmaxRpeAttention ",
                "rpeAttention ", "softmaxRpeAttentionBackward", "rpeAttentionBackward")) {
            assertTrue(measurements.values().stream().anyMatch(m -> m.operation() == Operation.DEVICE_KERNELS
                    && m.shape().startsWith(op)), op + " was not measured");
        }
        for (Measurement m : measurements.values()) {
            assertTrue(!m.operation().isDevice() || m.value() > 0 && Double.isFinite(m.value()), m.toString());
        }
        for (String property : List.of("vendor", "driver", "OpenCL", "compute units", "clock", "local memory",
                "global memory")) {
            assertTrue(html.contains("<th>" + property + "</th>"), property + " not on the page");
        }
        assertFalse(html.contains(">unknown<"), "a device's properties are missing");
    }
}
