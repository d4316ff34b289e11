package dev.seqmix.cli.report;

import dev.seqmix.cli.report.Figure.Series;
import dev.seqmix.cli.report.Measurement.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes index.html: where and when, how it was measured, then each figure (its PNG, caption, table and computed
 * notes), other benchmarks, and the run's notes. Every number in a table is a cell
 * {@code <td class="num" data-source="ID" data-metric="METRIC" data-value="...">} naming the measurement it
 * shows (in results.json) and the metric derived from it, so that it can be traced and checked.
 *
 * @param title       the page's heading
 * @param environment where and when (name, value)
 * @param method      how the numbers were measured, one paragraph each
 * @param figures     the figures, with whether their PNG was written
 * @param latency     percentiles of the small calls' latency (a table, no plot)
 * @param others      measurements no figure shows (JMH benchmarks the report does not know)
 * @param notes       the run's notes: skipped parts, failures, caps
 * @param devices     the OpenCL devices' properties (the device benchmark), one map each, "device" its label
 * @param device      the device benchmark's measurements (ceilings, kernel and end-to-end times)
 */
record HtmlReport(String title, Map<String, String> environment, List<String> method, Map<Figure, Boolean> figures,
                  List<Measurement> latency, List<Measurement> others, List<String> notes,
                  List<Map<String, String>> devices, List<Measurement> device) {

    void write(Path file) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:90%}\n")
                .append("th,td{border:1px solid #ccc;padding:3px 8px}\nth{background:#f3f3f3}\n")
                .append("td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("td.none{color:#aaa;text-align:center}\n")
                .append("img{max-width:100%;height:auto;border:1px solid #ddd}\n</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<h2 id=\"environment\">Where and when</h2>\n<table class=\"environment\">\n");
        environment.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
                .append("</td></tr>\n"));
        h.append("</table>\n<h2 id=\"method\">How it was measured</h2>\n");
        for (String m : method) {
            h.append("<p>").append(esc(m)).append("</p>\n");
        }
        h.append("<h2>Figures</h2>\n<ul>\n");
        figures.keySet().forEach(f -> h.append("<li><a href=\"#").append(anchor(f)).append("\">").append(esc(f.title()))
                .append("</a></li>\n"));
        h.append("</ul>\n");
        figures.forEach((f, drawn) -> figure(h, f, drawn));
        DevicePage.write(h, devices, device);
        latencyTable(h, latency);
        if (!others.isEmpty()) {
            h.append("<h2 id=\"other\">Other benchmarks in the file</h2>\n<table class=\"data\">\n")
                    .append("<tr><th>benchmark</th><th>time per call</th></tr>\n");
            for (Measurement m : others) {
                h.append("<tr><th>").append(esc(m.implementation())).append("</th>");
                cell(h, m, Metric.SECONDS);
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2 id=\"notes\">Notes</h2>\n<ul>\n");
        for (String n : notes) {
            h.append("<li>").append(esc(n)).append("</li>\n");
        }
        if (notes.isEmpty()) {
            h.append("<li>none</li>\n");
        }
        h.append("</ul>\n</body>\n</html>\n");
        Files.writeString(file, h);
    }

    /**
     * One row per call, implementation and thread count; one column per percentile. Each call was timed on its own,
     * so a row's p50 is a typical call and its p99.9 the tail a service meets.
     */
    private static void latencyTable(StringBuilder h, List<Measurement> latency) {
        if (latency.isEmpty()) {
            return;
        }
        h.append("<h2 id=\"latency\">Latency of small calls</h2>\n<p>").append(esc("Each call timed on its own "
                        + "(System.nanoTime before and after; a clock read costs some tens of nanoseconds, which "
                        + "every sample includes), on one thread and on several threads sharing one instance, each "
                        + "thread with its own buffers and stream. Percentiles over every call of every thread."))
                .append("</p>\n<table class=\"data\" data-table=\"latency\">\n<tr><th>call</th><th>backend</th>");
        List<Operation> columns = List.of(Operation.LATENCY_P50, Operation.LATENCY_P99, Operation.LATENCY_P999,
                Operation.LATENCY_MAX);
        columns.forEach(c -> h.append("<th>").append(esc(c.label)).append("</th>"));
        h.append("</tr>\n");
        Map<String, Map<Operation, Measurement>> rows = new LinkedHashMap<>();
        for (Measurement m : latency) {
            rows.computeIfAbsent(m.shape() + "\u0000" + m.implementation(), k -> new LinkedHashMap<>())
                    .put(m.operation(), m);
        }
        for (Map<Operation, Measurement> row : rows.values()) {
            Measurement first = row.values().iterator().next();
            h.append("<tr><th>").append(esc(first.shape())).append("</th><th>").append(esc(first.implementation()))
                    .append("</th>");
            for (Operation c : columns) {
                Measurement m = row.get(c);
                if (m == null) {
                    h.append("<td class=\"none\">-</td>");
                } else {
                    cell(h, m, Metric.SECONDS);
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String anchor(Figure f) {
        return "fig-" + f.file().replace(".png", "");
    }

    private static void figure(StringBuilder h, Figure f, boolean drawn) {
        h.append("<h2 id=\"").append(anchor(f)).append("\">").append(esc(f.title())).append("</h2>\n");
        h.append("<p>").append(esc(f.caption())).append("</p>\n");
        if (drawn) {
            h.append("<img src=\"").append(esc(f.file())).append("\" alt=\"").append(esc(f.title()))
                    .append("\" width=\"").append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT)
                    .append("\">\n");
        }
        TreeSet<Long> sizes = new TreeSet<>();
        for (Series s : f.series()) {
            s.points().forEach(m -> sizes.add(m.size()));
        }
        h.append("<table class=\"data\" data-figure=\"").append(esc(f.file())).append("\">\n<tr><th>")
                .append(esc(f.xLabel())).append(" \\ ").append(esc(f.metric().label)).append("</th>");
        for (Series s : f.series()) {
            h.append("<th>").append(esc(s.label())).append("</th>");
        }
        h.append("</tr>\n");
        for (long size : sizes) {
            h.append("<tr><th>").append(size).append("</th>");
            for (Series s : f.series()) {
                Measurement at = s.points().stream().filter(m -> m.size() == size).findFirst().orElse(null);
                if (at == null) {
                    h.append("<td class=\"none\">-</td>");
                } else {
                    cell(h, at, f.metric());
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        if (!f.notes().isEmpty()) {
            h.append("<ul>\n");
            f.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>\n"));
            h.append("</ul>\n");
        }
    }

    static void cell(StringBuilder h, Measurement m, Metric metric) {
        double v = m.metric(metric);
        h.append("<td class=\"num\" data-source=\"").append(esc(m.id())).append("\" data-metric=\"")
                .append(metric.name()).append("\" data-value=\"").append(v).append("\" title=\"")
                .append(esc(provenance(m))).append("\">").append(esc(metric.format(v))).append("</td>");
    }

    /** The tooltip of a cell: what was run and how the number was taken. */
    static String provenance(Measurement m) {
        StringBuilder t = new StringBuilder(m.id() + ": " + m.operation().description + " on " + m.implementation()
                + ", "
                + m.shape() + "; " + m.source());
        if (m.operation().isLatency()) {
            t.append(String.format(Locale.ROOT, "; %s of %d calls timed one by one (fastest %s, slowest %s)",
                    m.operation().label, m.samples(), Metric.SECONDS.format(m.low()), Metric.SECONDS.format(m.high())));
        } else if (m.operation() != Operation.FFT_ERROR) {
            boolean here = m.source().equals(Sweep.MEASURED);
            t.append(String.format(Locale.ROOT, "; %s per call, %s %s .. %s", Metric.SECONDS.format(m.value()),
                    here ? "fastest and slowest sample" : "99.9% confidence interval", Metric.SECONDS.format(m.low()),
                    Metric.SECONDS.format(m.high())));
            if (m.callsPerSample() > 0) {
                t.append(String.format(Locale.ROOT, ", median of %d samples of %d call(s)%s", m.samples(),
                        m.callsPerSample(), m.steady() ? "" : ", warm-up hit its time limit before the time settled"));
            }
        }
        return t.toString();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
