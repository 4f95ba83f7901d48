package rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the guard names the kernel's libraries, where it caches, and what it says about a second version. */
class DependencyGuardTest {

    @TempDir
    Path dir;

    private Path jar(String file, String... gav) throws IOException {
        Path p = dir.resolve(file);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(p))) {
            for (String c : gav) {
                String[] g = c.split(":");
                out.putNextEntry(new JarEntry("META-INF/maven/" + g[0] + "/" + g[1] + "/pom.properties"));
                out.write(("groupId=" + g[0] + "\nartifactId=" + g[1] + "\nversion=" + g[2] + "\n").getBytes());
                out.closeEntry();
            }
        }
        return p;
    }

    @Test
    void cacheLivesInTheUsersCacheFolder() {
        assertEquals(Path.of("/x/cache/rnnlab/maven"), DependencyGuard.cacheFolder(Map.of("XDG_CACHE_HOME", "/x/cache")));
        Path home = Path.of(System.getProperty("user.home"), ".cache", "rnnlab", "maven");
        assertEquals(home, DependencyGuard.cacheFolder(Map.of()));
        assertEquals(home, DependencyGuard.cacheFolder(Map.of("XDG_CACHE_HOME", "relative/dir")), "XDG ignores a relative path");
    }

    @Test
    void jarsAreNamedByTheirPomProperties() throws IOException {
        Path gson = jar("gson-2.8.0.jar", "com.google.code.gson:gson:2.8.0");
        Path shaded = jar("kernel-3.0.1.jar", "com.google.code.gson:gson:2.13.2", "io.x:kernel:3.0.1");
        Path plain = jar("plain.jar");
        Map<String, DependencyGuard.Known> known = DependencyGuard.onClassPath(
                String.join(File.pathSeparator, gson.toString(), shaded.toString(), plain.toString(), dir.resolve("classes").toString()));
        assertEquals(List.of("com.google.code.gson:gson", "io.x:kernel"), List.copyOf(known.keySet()));
        assertEquals("2.8.0", known.get("com.google.code.gson:gson").version(), "a shaded jar's bundled libraries are not counted");
    }

    @Test
    void anotherVersionIsRefusedWithBothVersionsNamed() {
        var kernelGson = new DependencyGuard.Known("com.google.code.gson", "gson", "2.8.0", "/lib/gson-2.8.0.jar");
        String msg = DependencyGuard.clash(new DependencyGuard.Known("com.google.code.gson", "gson", "2.10.1", "/c/gson-2.10.1.jar"),
                List.of(kernelGson));
        assertTrue(msg.contains("com.google.code.gson:gson:2.10.1") && msg.contains("com.google.code.gson:gson:2.8.0")
                && msg.contains("keeps using 2.8.0") && msg.contains("does not add 2.10.1"), msg);
        assertEquals("", DependencyGuard.clash(new DependencyGuard.Known("com.google.code.gson", "gson", "2.8.0", "/c"), List.of(kernelGson)));
        assertNull(DependencyGuard.clash(new DependencyGuard.Known("org.x", "y", "1", "/c"), List.of(kernelGson)));
    }
}
