package dev.seqmix.cli;

import dev.seqmix.BackendInfo;
import dev.seqmix.Seqmix;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What the long-running commands (tour, report) share on the console: the --backend check, a progress bar, and
 * seqmix's log kept quiet.
 */
public final class Console {
    /** Keeps the seqmix logger configured while a command runs (java.util.logging holds loggers weakly). */
    private static final Logger SEQMIX_LOG = Logger.getLogger("dev.seqmix");

    private Console() {
    }

    /** An ASCII progress bar of {@code steps} steps on stderr, or one that draws nothing when {@code hidden}. */
    public static ProgressBar progressBar(String task, long steps, boolean hidden) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).hideEta();
        if (hidden) {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err) {
                @Override
                public void accept(String rendered) {
                }

                @Override
                public void close() {
                }
            });
        } else {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err, 110));
        }
        return b.build();
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
