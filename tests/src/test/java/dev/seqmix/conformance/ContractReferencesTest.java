package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository cites only itself. No file names the design document outside the repository that the
 * contract used to live in, and every {@code contract.md#<anchor>} cited anywhere (code comments, strings the
 * tool prints, .cl kernels, poms, docs) names an anchor that docs/contract.md defines with an explicit
 * {@code <a id="...">} (or {@code <a name="...">}) tag.
 *
 * <p>The files checked are those git lists as tracked or as untracked but not ignored, without
 * {@code target/} and the generated {@code docs/report/}; where git is not available, a walk of the tree
 * that skips those, {@code .git}, {@code .idea} and {@code seqmix-report/} (the ignored ones). The repository root is the folder of README.md
 * (system property {@code seqmix.readme}, set by the tests pom).
 */
class ContractReferencesTest {
    /** The old document's file name, split so that this file does not cite it. */
    private static final String OLD_NAME = "DESIGN" + ".md";
    private static final String CONTRACT = "docs/contract.md";
    /** In docs/contract.md, the table that maps old section numbers may name the old file. */

    private static final Pattern REFERENCE = Pattern.compile("contract\\.md#([A-Za-z0-9_-]+)");
    /** An explicit anchor: {@code <a id="name">} or {@code <a name="name">}, names as in references. */
    private static final Pattern ANCHOR = Pattern.compile("<a\\s+(?:id|name)\\s*=\\s*\"([A-Za-z0-9_-]+)\"");
    private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(#([^)\\s]+)\\)");
    private static final Set<String> BINARY = Set.of("png", "jpg", "jpeg", "gif", "ico", "jar", "class", "zip",
            "gz", "tgz", "xz", "bz2", "so", "dll", "dylib", "bin", "pdf");

    private static Path root;
    private static List<Path> files;

    @BeforeAll
    static void findFiles() throws IOException {
        Path readme = Path.of(System.getProperty("seqmix.readme", "../README.md")).toAbsolutePath().normalize();
        root = readme.getParent();
        assertTrue(Files.isRegularFile(root.resolve(CONTRACT)), CONTRACT + " is missing under " + root);
        List<Path> listed = gitFiles(root);
        files = (listed != null ? listed.stream() : walk(root))
                .filter(p -> !skipped(root.relativize(p)))
                .filter(Files::isRegularFile)
                .sorted()
                .toList();
        assertTrue(files.size() > 20, "found only " + files.size() + " files under " + root);
    }

    @Test
    void noFileCitesTheOldOutOfTreeDocument() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String rel = relative(file);
            List<String> lines = lines(file);
            if (lines == null) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains(OLD_NAME)) {
                    problems.add(rel + ":" + (i + 1) + ": cites " + OLD_NAME
                            + ", which is not in the repository; cite docs/contract.md#<anchor> instead: "
                            + line.strip());
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " reference(s) to a file outside the repository:\n"
                + String.join("\n", problems));
    }

    @Test
    void everyCitedContractAnchorExists() throws IOException {
        Set<String> anchors = anchors();
        List<String> problems = new ArrayList<>();
        int references = 0;
        for (Path file : files) {
            String rel = relative(file);
            List<String> lines = lines(file);
            if (lines == null) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher m = REFERENCE.matcher(line);
                while (m.find()) {
                    references++;
                    if (!anchors.contains(m.group(1))) {
                        problems.add(rel + ":" + (i + 1) + ": " + CONTRACT + " has no anchor '" + m.group(1) + "'");
                    }
                }
                if (rel.equals(CONTRACT)) {
                    Matcher local = LOCAL_LINK.matcher(line);
                    while (local.find()) {
                        references++;
                        if (!anchors.contains(local.group(1))) {
                            problems.add(rel + ":" + (i + 1) + ": link to a missing anchor '#" + local.group(1) + "'");
                        }
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " reference(s) to missing anchors (defined: " + anchors
                + "):\n" + String.join("\n", problems));
        assertTrue(references > 20, "found only " + references + " references to " + CONTRACT + " anchors");
    }

    @Test
    void contractAnchorsAreUnique() throws IOException {
        List<String> all = new ArrayList<>();
        Matcher m = ANCHOR.matcher(Files.readString(root.resolve(CONTRACT)));
        while (m.find()) {
            all.add(m.group(1));
        }
        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicates = new TreeSet<>();
        for (String a : all) {
            if (!seen.add(a)) {
                duplicates.add(a);
            }
        }
        assertTrue(duplicates.isEmpty(), CONTRACT + " defines these anchors more than once: " + duplicates);
    }

    private static Set<String> anchors() throws IOException {
        Set<String> anchors = new TreeSet<>();
        Matcher m = ANCHOR.matcher(Files.readString(root.resolve(CONTRACT)));
        while (m.find()) {
            anchors.add(m.group(1));
        }
        assertTrue(anchors.size() > 10, CONTRACT + " defines only " + anchors.size() + " anchors");
        return anchors;
    }

    private static String relative(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static boolean skipped(Path rel) {
        String r = rel.toString().replace('\\', '/');
        for (Path part : rel) {
            String p = part.toString();
            if (p.equals("target") || p.equals(".git") || p.equals(".idea")) {
                return true;
            }
        }
        return r.startsWith("docs/report/") || r.startsWith("seqmix-report/");
    }

    /** The lines of a text file, or null for a binary one (by extension, or a NUL byte). */
    private static List<String> lines(Path file) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && BINARY.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }

    /** Tracked and untracked-but-not-ignored files as git lists them, or null where git cannot say. */
    private static List<Path> gitFiles(Path root) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z", "--cached", "--others",
                    "--exclude-standard")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = git.getInputStream()) {
                in.transferTo(out);
            }
            if (git.waitFor() != 0) {
                return null;
            }
            List<Path> paths = new ArrayList<>();
            for (String name : out.toString(StandardCharsets.UTF_8).split("\0")) {
                if (!name.isEmpty()) {
                    paths.add(root.resolve(name));
                }
            }
            return paths.isEmpty() ? null : paths;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every file under root, not descending into skipped directories. */
    private static Stream<Path> walk(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && skipped(root.relativize(dir).resolve("x"))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                found.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        return found.stream();
    }
}
