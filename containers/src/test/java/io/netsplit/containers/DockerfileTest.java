package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile builds from this repository's own build output: every COPY source exists after
 * {@code ./mvnw package}, nothing is fetched at image build time, and the entrypoint runs classes
 * that exist.
 */
class DockerfileTest {

    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(.+)$");
    private static final Pattern ARG = Pattern.compile("(?m)^ARG\\s+(\\w+)=(\\S+)$");

    private final String dockerfile = Repo.read("Dockerfile");

    @Test
    void shouldBuildTheImageOfTheProjectsOwnVersion() {
        assertThat(args()).containsEntry("NETSPLIT_VERSION", System.getProperty("netsplit.version"));
    }

    @Test
    void shouldFetchNothingAtImageBuildTime() {
        assertThat(dockerfile).doesNotContainPattern("(?m)^(RUN|ADD)\\b");
        assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM "))).hasSize(1);
    }

    @Test
    void shouldFindEveryCopiedFileInTheBuildOutput() throws IOException {
        List<String> sources = copySources();
        assertThat(sources).isNotEmpty();
        List<String> jars = sources.stream().filter(s -> s.endsWith(".jar")).toList();
        assumeTrue(jars.stream().allMatch(s -> Files.isRegularFile(Repo.ROOT.resolve(s))),
                "skipped: the service modules' jars are not built yet (run ./mvnw package first): " + jars.stream()
                        .filter(s -> !Files.isRegularFile(Repo.ROOT.resolve(s))).toList());
        for (String source : sources) {
            Path p = Repo.ROOT.resolve(source);
            assertThat(Files.exists(p)).as("COPY source " + source).isTrue();
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    assertThat(files.count()).as(source + " is not empty").isPositive();
                }
            }
        }
    }

    @Test
    void shouldShipTheServicesRuntimeLibrariesAndNoTestLibraries() throws IOException {
        Path lib = Repo.ROOT.resolve("containers/target/docker/lib");
        assertThat(copySources()).contains("containers/target/docker/lib/");
        assertThat(lib).isDirectory();
        List<String> names;
        try (Stream<Path> files = Files.list(lib)) {
            names = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(names).anyMatch(n -> n.startsWith("kafka-clients-"))
                .anyMatch(n -> n.startsWith("kafka-streams-"))
                .anyMatch(n -> n.startsWith("connect-mirror-"))
                .anyMatch(n -> n.startsWith("sqlite-jdbc-"))
                .anyMatch(n -> n.startsWith("logback-classic-"))
                .noneMatch(n -> n.startsWith("testcontainers") || n.startsWith("junit-") || n.startsWith("netsplit-"));
    }

    @Test
    void shouldLetEveryCopiedFileThroughTheDockerignore() {
        List<String> allowed = Repo.read(".dockerignore").lines().map(String::trim)
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        assertThat(Repo.read(".dockerignore")).containsPattern("(?m)^\\*$");
        for (String source : copySources()) {
            assertThat(allowed).as(".dockerignore lets " + source + " into the build context")
                    .anyMatch(pattern -> matches(pattern, source));
        }
    }

    @Test
    void shouldRunMainClassesThatExist() throws ClassNotFoundException {
        List<String> classes = mainClasses();
        assertThat(classes).contains("io.netsplit.writer.SiteWriterMain", "io.netsplit.reconcile.ReconcilerMain",
                "io.netsplit.audit.AuditSinkMain", "io.netsplit.mirror.internal.MirrorProcess",
                "io.netsplit.health.HealthMain");
        for (String c : classes) {
            assertThat(Class.forName(c, false, getClass().getClassLoader()).getMethods())
                    .as(c + " has a main").anyMatch(method -> method.getName().equals("main"));
        }
        assertThat(Files.isExecutable(Repo.ROOT.resolve("docker/netsplit-entrypoint.sh"))).isTrue();
        assertThat(Files.isExecutable(Repo.ROOT.resolve("docker/healthcheck.sh"))).isTrue();
        assertThat(dockerfile).contains("ENTRYPOINT [\"/opt/netsplit/bin/netsplit-entrypoint.sh\"]");
    }

    @Test
    void shouldLinkEveryServiceAgainstTheImagesClasspathAlone() throws Exception {
        // Given the image's classpath (/opt/netsplit/lib/*: the COPY'd project jars and
        // target/docker/lib) and nothing of this test's
        List<String> jars = copySources().stream().filter(s -> s.endsWith(".jar")).toList();
        assumeTrue(jars.stream().allMatch(s -> Files.isRegularFile(Repo.ROOT.resolve(s))),
                "skipped: the service modules' jars are not built yet (run ./mvnw package first)");
        List<URL> classpath = new ArrayList<>();
        for (String jar : jars) {
            classpath.add(Repo.ROOT.resolve(jar).toUri().toURL());
        }
        try (Stream<Path> lib = Files.list(Repo.ROOT.resolve("containers/target/docker/lib"))) {
            for (Path p : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
                classpath.add(p.toUri().toURL());
            }
        }
        try (URLClassLoader image = new URLClassLoader(classpath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            // When every class of each main class's jar is loaded and its signatures resolved
            Set<Path> serviceJars = new LinkedHashSet<>();
            for (String main : mainClasses()) {
                Class<?> c = Class.forName(main, false, image);
                assertThat(c.getClassLoader()).as(main + " comes from a COPY'd jar").isSameAs(image);
                serviceJars.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            }
            assertThat(serviceJars).extracting(p -> p.getFileName().toString())
                    .contains("netsplit-health-" + System.getProperty("netsplit.version") + ".jar");
            // Then nothing is missing: a dependency the image lacks shows here, not in `docker compose up`
            List<String> missing = new ArrayList<>();
            for (Path jar : serviceJars) {
                for (String name : classNames(jar)) {
                    try {
                        Class<?> c = Class.forName(name, false, image);
                        c.getDeclaredFields();
                        c.getDeclaredMethods();
                        c.getDeclaredConstructors();
                    } catch (LinkageError | TypeNotPresentException | ClassNotFoundException e) {
                        missing.add(name + ": " + e);
                    }
                }
            }
            assertThat(missing).as("classes of the services' jars that do not link on the image's classpath").isEmpty();
        }
    }

    /** The main classes the entrypoint runs. */
    private static List<String> mainClasses() {
        Matcher m = Pattern.compile("\\bio\\.netsplit\\.[a-zA-Z.]+\\.[A-Z]\\w+")
                .matcher(Repo.read("docker/netsplit-entrypoint.sh"));
        List<String> classes = new ArrayList<>();
        while (m.find()) {
            classes.add(m.group());
        }
        return classes;
    }

    private static List<String> classNames(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
    }

    /** The source paths of every COPY line (all but the last word), with ARG defaults substituted. */
    private List<String> copySources() {
        Map<String, String> args = args();
        List<String> sources = new ArrayList<>();
        Matcher m = COPY.matcher(dockerfile);
        while (m.find()) {
            String[] words = m.group(1).trim().split("\\s+");
            assertThat(words.length).as("COPY " + m.group(1)).isGreaterThanOrEqualTo(2);
            for (int i = 0; i < words.length - 1; i++) {
                String w = words[i];
                assertThat(w).as("COPY from another stage or image is not used").doesNotStartWith("--from");
                for (Map.Entry<String, String> a : args.entrySet()) {
                    w = w.replace("${" + a.getKey() + "}", a.getValue());
                }
                assertThat(w).as("unresolved variable in COPY source").doesNotContain("$");
                sources.add(w);
            }
        }
        return sources;
    }

    private Map<String, String> args() {
        Map<String, String> args = new LinkedHashMap<>();
        Matcher m = ARG.matcher(dockerfile);
        while (m.find()) {
            args.put(m.group(1), m.group(2));
        }
        return args;
    }

    /** A .dockerignore pattern (with {@code *} inside one path segment) against a source path or directory. */
    private static boolean matches(String pattern, String source) {
        String regex = Pattern.quote(pattern).replace("*", "\\E[^/]*\\Q");
        String s = source.endsWith("/") ? source : source;
        return s.matches(regex) || s.startsWith(pattern.endsWith("/") ? pattern : pattern + "/")
                || (s + "/").startsWith(pattern) && pattern.endsWith("/");
    }
}
