package dev.seqmix.cli.report;

import static dev.seqmix.cli.report.HtmlReport.esc;

import dev.seqmix.cli.report.Measurement.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device benchmark's part of the page, one column group per device so that devices (of one run, or of several
 * results.json files) stand side by side: their properties, their ceilings, and every operation's kernel time,
 * end-to-end time, rate and fraction of its ceiling. A fraction cell names the operation's measurement
 * (data-source) and the ceiling's (data-ceiling): its value is {@link Measurement#fractionOf}.
 */
final class DevicePage {
    private DevicePage() {
    }

    static void write(StringBuilder h, List<Map<String, String>> devices, List<Measurement> measurements) {
        if (measurements.isEmpty()) {
            return;
        }
        List<String> labels = new ArrayList<>();
        measurements.forEach(m -> {
            if (!labels.contains(m.implementation())) {
                labels.add(m.implementation());
            }
        });
        h.append("<h2 id=\"devices\">OpenCL devices: ceilings and fractions</h2>\n<p>").append(esc("Each device's "
                        + "ceilings were measured in the same run as its operations: copy bandwidth (bytes read plus "
                        + "written per second, the best of several runs of 2 buffers), host-device transfers both ways "
                        + "(wall time of blocking transfers), and the FP32 peak of a register-only kernel of "
                        + "independent FMAs. Each operation's kernel time is the sum of its kernels' profiling-event "
                        + "times; end to end is the whole call, transfers included, on an instance without profiling. "
                        + "Scans, TaLK and FFTs are judged against the better copy over the bytes they must move at "
                        + "least (inputs read once, outputs written once; an FFT once per pass, and it needs more than "
                        + "one where a transform does not fit the device's local memory), attention against the FMA "
                        + "peak over its "
                        + "nominal flops (softmax: 4 n^2 d a head forward, 10 n^2 d backward; kernelized: 5 N log2 N a "
                        + "transform of the circulant size N). A fraction near 1 is at the device's own limit."))
                .append("</p>\n");
        propertiesTable(h, devices, labels);
        ceilingsTable(h, measurements, labels);
        operationsTable(h, measurements, labels);
    }

    private static void propertiesTable(StringBuilder h, List<Map<String, String>> devices, List<String> labels) {
        Map<String, Map<String, String>> byLabel = new LinkedHashMap<>();
        devices.forEach(d -> byLabel.put(d.get("device"), d));
        Set<String> keys = new LinkedHashSet<>();
        devices.forEach(d -> keys.addAll(d.keySet()));
        keys.remove("device");
        h.append("<table class=\"devices\">\n<tr><th>property</th>");
        labels.forEach(l -> h.append("<th>").append(esc(l)).append("</th>"));
        h.append("</tr>\n");
        for (String k : keys) {
            h.append("<tr><th>").append(esc(k)).append("</th>");
            for (String l : labels) {
                Map<String, String> d = byLabel.get(l);
                String v = d == null ? null : d.get(k);
                h.append("<td>").append(esc(v == null ? "unknown" : v)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void ceilingsTable(StringBuilder h, List<Measurement> measurements, List<String> labels) {
        h.append("<table class=\"data\" data-table=\"ceilings\">\n<tr><th>ceiling</th>");
        labels.forEach(l -> h.append("<th>").append(esc(l)).append("</th>"));
        h.append("</tr>\n");
        for (String what : rows(measurements, Operation.DEVICE_CEILING)) {
            h.append("<tr><th>").append(esc(what)).append("</th>");
            for (String l : labels) {
                Optional<Measurement> m = find(measurements, Operation.DEVICE_CEILING, l, what);
                if (m.isPresent()) {
                    HtmlReport.cell(h, m.get(), m.get().rate());
                } else {
                    h.append("<td class=\"none\">-</td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void operationsTable(StringBuilder h, List<Measurement> measurements, List<String> labels) {
        h.append("<table class=\"data\" data-table=\"device-operations\">\n<tr><th rowspan=\"2\">operation</th>");
        labels.forEach(l -> h.append("<th colspan=\"5\">").append(esc(l)).append("</th>"));
        h.append("</tr>\n<tr>");
        labels.forEach(l -> h.append("<th>kernel time</th><th>end to end</th><th>kernel GB/s</th>"
                + "<th>kernel GFLOP/s (nominal; FFT: benchFFT)</th><th>fraction of its ceiling</th>"));
        h.append("</tr>\n");
        for (String row : rows(measurements, Operation.DEVICE_KERNELS)) {
            h.append("<tr><th>").append(esc(row)).append("</th>");
            for (String l : labels) {
                Optional<Measurement> kernel = find(measurements, Operation.DEVICE_KERNELS, l, row);
                Optional<Measurement> whole = find(measurements, Operation.DEVICE_END_TO_END, l, row);
                cellOrNone(h, kernel, Metric.SECONDS);
                cellOrNone(h, whole, Metric.SECONDS);
                cellOrNone(h, kernel.filter(k -> k.bytes() > 0), Metric.GIGABYTES_PER_SECOND);
                cellOrNone(h, kernel.filter(k -> k.flops() > 0), Metric.GIGAFLOPS);
                Optional<Measurement> ceiling = kernel.flatMap(k -> ceilingOf(measurements, k));
                if (kernel.isPresent() && ceiling.isPresent()) {
                    fractionCell(h, kernel.get(), ceiling.get());
                } else {
                    h.append("<td class=\"none\">-</td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /**
     * The ceiling an operation is held to on its device: the better of the two copies where it names the bytes it
     * must move, else the FMA peak.
     */
    static Optional<Measurement> ceilingOf(List<Measurement> measurements, Measurement op) {
        if (op.rate() == Metric.GIGAFLOPS) {
            return find(measurements, Operation.DEVICE_CEILING, op.implementation(), DeviceSection.FMA_PEAK);
        }
        Optional<Measurement> a = find(measurements, Operation.DEVICE_CEILING, op.implementation(),
                DeviceSection.COPY_BUFFER);
        Optional<Measurement> b = find(measurements, Operation.DEVICE_CEILING, op.implementation(),
                DeviceSection.COPY_KERNEL);
        if (a.isEmpty() || b.isEmpty()) {
            return a.isPresent() ? a : b;
        }
        Metric gb = Metric.GIGABYTES_PER_SECOND;
        return a.get().metric(gb) >= b.get().metric(gb) ? a : b;
    }

    private static void fractionCell(StringBuilder h, Measurement m, Measurement ceiling) {
        double v = m.fractionOf(ceiling);
        h.append("<td class=\"num\" data-source=\"").append(esc(m.id())).append("\" data-ceiling=\"")
                .append(esc(ceiling.id())).append("\" data-metric=\"").append(Metric.FRACTION_OF_CEILING.name())
                .append("\" data-value=\"").append(v).append("\" title=\"")
                .append(esc(String.format(Locale.ROOT, "%s: %s %s against %s: %s of %s", m.id(),
                        m.rate().format(m.metric(m.rate())), m.rate() == Metric.GIGAFLOPS ? "GFLOP/s" : "GB/s",
                        ceiling.id(), ceiling.shape(), ceiling.rate().format(ceiling.metric(ceiling.rate())))))
                .append("\">").append(esc(Metric.FRACTION_OF_CEILING.format(v))).append("</td>");
    }

    private static void cellOrNone(StringBuilder h, Optional<Measurement> m, Metric metric) {
        if (m.isPresent()) {
            HtmlReport.cell(h, m.get(), metric);
        } else {
            h.append("<td class=\"none\">-</td>");
        }
    }

    /** The row names (shapes) of {@code op}'s measurements, in the order they were measured. */
    private static Set<String> rows(List<Measurement> measurements, Operation op) {
        Set<String> rows = new LinkedHashSet<>();
        measurements.stream().filter(m -> m.operation() == op).forEach(m -> rows.add(m.shape()));
        return rows;
    }

    private static Optional<Measurement> find(List<Measurement> measurements, Operation op, String implementation,
                                              String shape) {
        return measurements.stream().filter(m -> m.operation() == op && m.implementation().equals(implementation)
                && m.shape().equals(shape)).findFirst();
    }
}
