package dev.seqmix.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published jars (api, simd, opencl) start with META-INF/MANIFEST.MF, so that
 * {@link JarInputStream#getManifest()} finds it, and still hold their module descriptor (added after the jar
 * plugin: see api/pom.xml). Checks the jars this build made, as the reactor put them on the class path; under
 * {@code mvn test} the modules are on it as target/classes and there is no jar to check (skipped).
 */
class ManifestFirstTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev/seqmix/Seqmix.class", "dev/seqmix/simd/SimdProvider.class",
            "dev/seqmix/opencl/OpenClProvider.class"})
    void manifestIsFirstAndModuleDescriptorPresent(String classInJar) throws Exception {
        URL url = ManifestFirstTest.class.getClassLoader().getResource(classInJar);
        assertNotNull(url, classInJar + " is not on the test class path");
        Assumptions.assumeTrue(url.getProtocol().equals("jar"),
                () -> classInJar + " comes from " + url + ", not a jar (mvn test, not package): nothing to check");
        Path jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());

        List<String> first = firstEntries(jar);
        try (InputStream in = Files.newInputStream(jar); JarInputStream jin = new JarInputStream(in)) {
            assertNotNull(jin.getManifest(), () -> jar + ": JarInputStream finds no manifest; first entries: " + first);
        }
        assertEquals(List.of("META-INF/", "META-INF/MANIFEST.MF"), first.subList(0, 2), jar::toString);
        try (JarFile jf = new JarFile(jar.toFile())) {
            assertNotNull(jf.getEntry("module-info.class"), () -> jar + " has no module-info.class");
            assertNotNull(jf.getManifest().getMainAttributes().getValue("Implementation-Version"),
                    () -> jar + ": no Implementation-Version in the manifest");
        }
    }

    private static List<String> firstEntries(Path jar) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; names.size() < 4 && (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
