package dev.seqmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

/** The progress bar: frames on the command's stderr when shown, nothing otherwise. */
class ConsoleTest {

    private static String draw(boolean shown) {
        StringWriter err = new StringWriter();
        try (ProgressBar bar = Console.progressBar("task", 2, shown, new PrintWriter(err))) {
            bar.step();
            bar.step();
        }
        return err.toString();
    }

    @Test
    void aShownBarDrawsFramesOverEachOther() {
        String drawn = draw(true);
        // (no line break at the end here: progressbar closes the consumer only once its first frame is drawn, and
        // this bar closes before; the commands end a bar's line themselves)
        assertTrue(drawn.startsWith("\r") && drawn.contains("task 100%"), drawn);
        for (String frame : drawn.split("[\r\n]+")) {
            assertTrue(frame.length() <= 110, frame);
        }
    }

    @Test
    void aHiddenBarDrawsNothing() {
        assertEquals("", draw(false));
    }

    @Test
    void stderrOfTheTestsIsNotATerminal() {
        // Surefire (and IDEs) pipe a test JVM's stderr; on Linux /proc says so, elsewhere there is no console.
        assertFalse(Console.stderrIsTerminal());
    }
}
