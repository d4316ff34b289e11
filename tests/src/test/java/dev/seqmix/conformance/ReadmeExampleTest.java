package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.Seqmix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API examples in README.md compile and run as written. */
class ReadmeExampleTest {

    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        String output = run(dir, "ReadmeExample");
        // the example prints the causal golden row of docs/contract.md#golden-talk
        for (String expected : List.of("0.25", "0.75", "0.125", "1.78125")) {
            assertTrue(output.contains(expected), "README example printed: " + output);
        }
    }

    /** The training example: one gradient step through the attention backward passes lowers the loss. */
    @Test
    void readmeTrainingExampleLowersTheLoss(@TempDir Path dir) throws Exception {
        String output = run(dir, "ReadmeTrainingExample");
        assertTrue(output.contains("decreased: true"), "README training example printed: " + output);
    }

    /** Extracts the {@code <!-- example: name -->} java block, compiles it, runs its main and returns what it printed. */
    private static String run(Path dir, String name) throws Exception {
        Path readme = Path.of(System.getProperty("seqmix.readme", "../README.md"));
        String text = Files.readString(readme);
        Matcher m = Pattern.compile("<!-- example: " + name + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(text);
        assertTrue(m.find(), "README.md has no '<!-- example: " + name + " -->' java block");
        Path source = dir.resolve(name + ".java");
        Files.writeString(source, m.group(1));

        String classPath = Path.of(Seqmix.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", classPath, source.toString());
        assertEquals(0, rc, "README example " + name + " does not compile:\n" + diagnostics);

        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
                Seqmix.class.getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass(name).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
