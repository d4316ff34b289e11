package dev.seqmix.cli.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code seqmix report --from} reads: a JMH JSON result file, or a results.json that seqmix itself wrote (a
 * report, or the device benchmark of {@code seqmix gpu}, from this machine or another). Several files are drawn on
 * one page: their measurements side by side (a device benchmark's devices as columns), their ids prefixed with the
 * file's position ({@code f2-m7}) so that every cell still names exactly one measurement.
 *
 * @param title        the page's title
 * @param environment  where and when, each file's entries prefixed with its name when there are several
 * @param notes        the files' notes
 * @param measurements every measurement
 * @param devices      the device benchmark's device properties (empty for JMH files and plain reports)
 */
record ResultFiles(String title, Map<String, String> environment, List<String> notes, List<Measurement> measurements,
                   List<Map<String, String>> devices) {

    static ResultFiles read(List<Path> files) throws IOException, JmhResults.FormatException {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<Measurement> measurements = new ArrayList<>();
        List<Map<String, String>> devices = new ArrayList<>();
        boolean several = files.size() > 1;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String name = file.getFileName().toString();
            names.add(name);
            ResultFiles one = readOne(file);
            String prefix = several ? "f" + (i + 1) + "-" : "";
            String envPrefix = several ? name + " (f" + (i + 1) + "): " : "";
            one.environment().forEach((k, v) -> env.put(envPrefix + k, v));
            one.notes().forEach(n -> notes.add(several ? name + ": " + n : n));
            // a device benchmark's columns are its devices: those of different files apart even where they are
            // named alike (two machines with the same GPU)
            String tag = several ? " (f" + (i + 1) + ")" : "";
            one.measurements().forEach(m -> measurements.add(m.withId(prefix + m.id())
                    .withImplementation(m.operation().isDevice() ? m.implementation() + tag : m.implementation())));
            for (Map<String, String> d : one.devices()) {
                Map<String, String> copy = new LinkedHashMap<>(d);
                copy.computeIfPresent("device", (k, v) -> v + tag);
                devices.add(copy);
            }
        }
        String title = files.size() == 1 ? readOne(files.getFirst()).title()
                : "seqmix report from " + String.join(", ", names);
        return new ResultFiles(title, env, notes, measurements, devices);
    }

    private static ResultFiles readOne(Path file) throws IOException, JmhResults.FormatException {
        Object root;
        try {
            root = Json.read(file);
        } catch (Json.InvalidException e) {
            throw new JmhResults.FormatException(e.getMessage()
                    + " (expected a JMH JSON result file, as written by -rf json, or a seqmix results.json)");
        }
        if (!(root instanceof Map<?, ?> map)) {
            JmhResults r = JmhResults.read(file);
            return new ResultFiles("seqmix report from " + file.getFileName(), r.environment(), r.notes(),
                    r.measurements(), List.of());
        }
        if (!(map.get("measurements") instanceof List<?> list)) {
            throw new JmhResults.FormatException(file + " is neither a JMH JSON result file (an array) nor a seqmix "
                    + "results.json (an object with \"measurements\")");
        }
        List<Measurement> measurements = new ArrayList<>();
        try {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("a measurement is not an object: " + o);
                }
                measurements.add(Measurement.fromJson(m));
            }
        } catch (RuntimeException e) {
            throw new JmhResults.FormatException(file + ": " + e.getMessage());
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (map.get("environment") instanceof Map<?, ?> e) {
            e.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        }
        List<String> notes = new ArrayList<>();
        if (map.get("notes") instanceof List<?> n) {
            n.forEach(x -> notes.add(String.valueOf(x)));
        }
        List<Map<String, String>> devices = new ArrayList<>();
        if (map.get("devices") instanceof List<?> ds) {
            for (Object d : ds) {
                if (d instanceof Map<?, ?> dm) {
                    Map<String, String> p = new LinkedHashMap<>();
                    dm.forEach((k, v) -> p.put(String.valueOf(k), String.valueOf(v)));
                    devices.add(p);
                }
            }
        }
        String title = map.get("title") instanceof String t ? t : "seqmix report from " + file.getFileName();
        return new ResultFiles(title, env, notes, measurements, devices);
    }
}
