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

/** The API example in README.md compiles and runs as written. */
class ReadmeExampleTest {

    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        Path readme = Path.of(System.getProperty("seqmix.readme", "../README.md"));
        String text = Files.readString(readme);
        Matcher m = Pattern.compile("<!-- example: (\\w+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "README.md has no '<!-- example: Name -->' java block");
        String className = m.group(1);
        Path source = dir.resolve(className + ".java");
        Files.writeString(source, m.group(2));

        String classPath = Path.of(Seqmix.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", classPath, source.toString());
        assertEquals(0, rc, "README example does not compile:\n" + diagnostics);

        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
                Seqmix.class.getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass(className).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        // the example prints the causal golden row of docs/contract.md#golden-talk
        for (String expected : List.of("0.25", "0.75", "0.125", "1.78125")) {
            assertTrue(output.contains(expected), "README example printed: " + output);
        }
    }
}
