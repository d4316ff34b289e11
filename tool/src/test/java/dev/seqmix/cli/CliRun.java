package dev.seqmix.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command-line tool in this JVM, for the tests: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SeqmixCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Everything, for an assertion message. */
    public String all() {
        return "exit code " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
