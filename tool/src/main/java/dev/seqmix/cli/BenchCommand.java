package dev.seqmix.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code seqmix bench ARGS}: the JMH runner of the shaded jar, {@code org.openjdk.jmh.Main ARGS}. */
@Command(name = "bench",
        description = {"Runs the JMH benchmarks: every argument goes to org.openjdk.jmh.Main.",
            "Examples: seqmix bench -l;  seqmix bench -f 1 -wi 2 -i 3 FftBenchmark;  seqmix bench -h"})
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "JMH-ARGS", description = "arguments for JMH")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // JMH's Main exits the JVM itself when it is done.
        org.openjdk.jmh.Main.main(args.toArray(String[]::new));
        return 0;
    }
}
