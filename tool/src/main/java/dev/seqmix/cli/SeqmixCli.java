package dev.seqmix.cli;

import java.io.PrintWriter;
import dev.seqmix.cli.report.GpuCommand;
import dev.seqmix.cli.report.ReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code seqmix} command-line tool: {@code info} (backends and the JVM), {@code tour} (every operation
 * on every backend, timed and checked), {@code report} (sweeps with plots, or plots of a JMH file) and
 * {@code bench} (the JMH benchmarks).
 */
@Command(name = "seqmix", mixinStandardHelpOptions = true, versionProvider = SeqmixCli.Version.class,
        description = "TaLK convolutions and kernelized RPE attention kernels for the JVM.",
        subcommands = {InfoCommand.class, TourCommand.class, ReportCommand.class, GpuCommand.class, BenchCommand.class, ColdStartCommand.class,
            CommandLine.HelpCommand.class})
public final class SeqmixCli implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand (info, tour, report, bench)");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the tool in this JVM with the given streams and returns its exit code (0 ok, 1 a check failed, 2 usage). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SeqmixCli());
        cl.setOut(out);
        cl.setErr(err);
        CommandLine bench = cl.getSubcommands().get("bench");
        bench.setUnmatchedOptionsArePositionalParams(true);
        bench.setStopAtPositional(true);
        return cl.execute(args);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"seqmix " + version(),
                "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")};
        }
    }

    /** The version from the jar's manifest, or "(development build)". */
    public static String version() {
        String v = SeqmixCli.class.getPackage().getImplementationVersion();
        return v != null ? v : "(development build)";
    }
}
