package rnnlab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.rapaio.jupyter.kernel.core.KernelEnv;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.magic.dependencies.MimaDependencyManager;

import eu.maveniverse.maven.mima.context.ContextOverrides;

/**
 * rapaio's {@code %dependency} resolver with two changes: its download cache is a Maven local
 * repository in the user's cache folder ({@link #cacheFolder}), and an artifact the kernel already
 * carries is not added a second time. rapaio 3.0.1 puts the cache under the kernel jar's folder (it
 * appends {@code RJK_MIMA_CACHE} to it, so even an absolute path lands in {@code lib-src/kernel/target/lib},
 * lost on {@code mvn clean}, failing on a read-only checkout), and it adds every resolved jar to
 * JShell's class path: a library the kernel has at another version then mixes the two, the kernel's
 * class loader winning for the classes both have.
 *
 * <p>Here a resolved artifact whose {@code groupId:artifactId} is already on the class path (the
 * kernel's jars, or one an earlier {@code %dependency} added) is left out, with a warning on the
 * cell's stderr naming both versions and saying the kernel keeps its own; at the same version it is
 * left out silently. The rest resolves and loads as upstream.
 */
final class DependencyGuard extends MimaDependencyManager {

    /** A library on the class path: Maven coordinates and where it was found. */
    record Known(String groupId, String artifactId, String version, String where) {
        Known {
            if (groupId == null || groupId.isBlank() || artifactId == null || artifactId.isBlank() || version == null || version.isBlank()) {
                throw new IllegalArgumentException("a class-path library needs groupId, artifactId and version, got "
                        + groupId + ":" + artifactId + ":" + version + " (" + where + ")");
            }
        }

        String key() {
            return groupId + ":" + artifactId;
        }
    }

    private final Map<String, Known> classPath;
    private final Consumer<String> warn;

    /**
     * A resolver caching in {@code localRepository}, which treats {@code classPath} as already loaded and
     * writes its warnings to {@code warn}.
     */
    DependencyGuard(KernelEnv env, Path localRepository, Map<String, Known> classPath, Consumer<String> warn)
            throws ReflectiveOperationException {
        super(env);
        this.classPath = new LinkedHashMap<>(classPath);
        this.warn = warn;
        Upstream.field(MimaDependencyManager.class, "contextOverrides").set(this, ContextOverrides.create()
                .withLocalRepositoryOverride(localRepository)
                .snapshotUpdatePolicy(ContextOverrides.SnapshotUpdatePolicy.ALWAYS)
                .build());
    }

    /** Puts a guard with the user's cache folder and the JVM's class path in place of {@code kernel}'s resolver. */
    static DependencyGuard install(RapaioKernel kernel) throws ReflectiveOperationException {
        DependencyGuard guard = new DependencyGuard(new KernelEnv(), cacheFolder(System.getenv()),
                onClassPath(System.getProperty("java.class.path")),
                message -> kernel.channels().writeToStdErr(message));
        Upstream.field(RapaioKernel.class, "dependencyManager").set(kernel, guard);
        return guard;
    }

    /**
     * {@code $XDG_CACHE_HOME/rnnlab/maven} (by default {@code ~/.cache/rnnlab/maven}): a Maven local
     * repository of what {@code %dependency} downloaded, kept between kernels and checkouts.
     */
    static Path cacheFolder(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("rnnlab").resolve("maven");
    }

    /**
     * The Maven libraries among the jars of {@code classPath} (a {@link java.io.File#pathSeparator}
     * list), by {@code groupId:artifactId}: a jar's {@code META-INF/maven/.../pom.properties} names it
     * (a shaded jar carrying several names the one its file is named after; the others may be
     * relocated). Jars without such a file are not known.
     */
    static Map<String, Known> onClassPath(String classPath) {
        Map<String, Known> known = new LinkedHashMap<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                continue;
            }
            Known k = identify(Path.of(entry));
            if (k != null) {
                known.putIfAbsent(k.key(), k);
            }
        }
        return known;
    }

    /** The library a jar holds, from its pom.properties (null when it has none that matches its file name). */
    static Known identify(Path jar) {
        List<Known> found = new ArrayList<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) f.stream()::iterator) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = f.getInputStream(e)) {
                        p.load(in);
                    }
                    String g = p.getProperty("groupId"), a = p.getProperty("artifactId"), v = p.getProperty("version");
                    if (g != null && a != null && v != null) {
                        found.add(new Known(g.trim(), a.trim(), v.trim(), jar.toString()));
                    }
                }
            }
        } catch (IOException e) {
            return null; // not a readable jar: nothing we can say about it
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        String name = jar.getFileName().toString();
        return found.stream().filter(k -> name.startsWith(k.artifactId() + "-" + k.version())).findFirst().orElse(null);
    }

    /** Upstream's resolution, less what the class path already has (with a warning for another version). */
    @Override
    public DependencyResult resolve() throws ParseException, IOException, DependencyResolutionException {
        DependencyResult result = super.resolve();
        Map<String, Known> loaded = new LinkedHashMap<>(classPath);
        for (ArtifactResult r : getLoadedArtifacts()) {
            Known k = known(r.getArtifact());
            loaded.putIfAbsent(k.key(), k);
        }
        List<ArtifactResult> keep = new ArrayList<>();
        for (ArtifactResult r : result.getArtifactResults()) {
            if (r.getArtifact() == null || r.getArtifact().getFile() == null) {
                keep.add(r);
                continue;
            }
            String clash = clash(known(r.getArtifact()), loaded.values());
            if (clash == null) {
                keep.add(r);
            } else if (!clash.isEmpty()) {
                warn.accept(clash);
            }
        }
        result.setArtifactResults(keep);
        return result;
    }

    private static Known known(Artifact a) {
        return new Known(a.getGroupId(), a.getArtifactId(), a.getBaseVersion(),
                a.getFile() == null ? "(not downloaded)" : a.getFile().toString());
    }

    /**
     * What to say about loading {@code wanted} beside {@code loaded}: null when nothing of it is
     * loaded (load it), "" when the same version is (nothing to do), else the warning.
     */
    static String clash(Known wanted, Collection<Known> loaded) {
        for (Known k : loaded) {
            if (k.key().equals(wanted.key())) {
                if (k.version().equals(wanted.version())) {
                    return "";
                }
                return "rnnlab: %dependency wants " + wanted.key() + ":" + wanted.version()
                        + ", but the kernel already has " + wanted.key() + ":" + k.version() + " (" + k.where() + ").\n"
                        + "The kernel keeps using " + k.version() + " and does not add " + wanted.version()
                        + ": two versions of one library in one class loader mix their classes.\n"
                        + "Code written for " + wanted.version() + " may not compile or run against " + k.version()
                        + "; to use " + wanted.version() + ", run it outside this kernel (or in a kernel without "
                        + k.version() + " on its class path).\n";
            }
        }
        return null;
    }
}
