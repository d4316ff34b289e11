package dev.seqmix.cli;

import dev.seqmix.BackendInfo;
import dev.seqmix.Seqmix;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What the long-running commands (tour, report) share on the console: the --backend check, a progress bar (on a
 * terminal only), and seqmix's log kept quiet.
 */
public final class Console {
    /** Keeps the seqmix logger configured while a command runs (java.util.logging holds loggers weakly). */
    private static final Logger SEQMIX_LOG = Logger.getLogger("dev.seqmix");

    private Console() {
    }

    /** The widest a progress bar frame is drawn. */
    private static final int BAR_WIDTH = 110;

    /**
     * Whether stderr is a terminal, where a progress bar belongs: its frames are each drawn over the last with
     * '\r', and in a file or a pipe they would pile up. On Linux, what file descriptor 2 is ({@code /proc}); where
     * that cannot be read, whether the JVM has a console on a terminal (stdin and stdout).
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            java.io.Console console = System.console();
            return console != null && console.isTerminal();
        }
    }

    /**
     * An ASCII progress bar of {@code steps} steps drawn on {@code err} (the command's stderr) when {@code shown},
     * or one that draws nothing. A command shows it unless --no-progress is given or stderr is not a terminal
     * ({@link #stderrIsTerminal}).
     */
    public static ProgressBar progressBar(String task, long steps, boolean shown, PrintWriter err) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).hideEta()
                .setConsumer(shown ? new Frames(err) : new Hidden()).build();
    }

    /** Each frame over the last ('\r'), a line break when the bar closes. */
    private record Frames(PrintWriter err) implements ProgressBarConsumer {
        @Override
        public int getMaxRenderedLength() {
            return BAR_WIDTH;
        }

        @Override
        public void accept(String rendered) {
            err.print('\r' + (rendered.length() > BAR_WIDTH ? rendered.substring(0, BAR_WIDTH) : rendered));
            err.flush();
        }

        @Override
        public void close() {
            err.println();
            err.flush();
        }
    }

    /** Draws nothing. */
    private record Hidden() implements ProgressBarConsumer {
        @Override
        public int getMaxRenderedLength() {
            return BAR_WIDTH;
        }

        @Override
        public void accept(String rendered) {
        }

        @Override
        public void close() {
        }
    }

    /**
     * Every backend seqmix knows, after checking that each name given with {@code --backend} is one of them (a
     * usage error naming the known ones otherwise).
     */
    public static List<BackendInfo> backendsChecked(CommandLine commandLine, List<String> requested) {
        List<BackendInfo> infos = Seqmix.backends();
        Set<String> known = new LinkedHashSet<>();
        infos.forEach(b -> known.add(b.name()));
        for (String b : requested) {
            if (!known.contains(b)) {
                throw new ParameterException(commandLine, "--backend: expected one of " + known + ", got '" + b + "'");
            }
        }
        return infos;
    }

    /**
     * Runs {@code body} with seqmix's INFO lines (one per backend created) suppressed unless {@code verbose}: a
     * command creates many backends, and the lines would break its progress bar.
     */
    public static int withQuietLog(boolean verbose, IntSupplier body) {
        Level oldLevel = SEQMIX_LOG.getLevel();
        if (!verbose) {
            SEQMIX_LOG.setLevel(Level.WARNING);
        }
        try {
            return body.getAsInt();
        } finally {
            SEQMIX_LOG.setLevel(oldLevel);
        }
    }
}
