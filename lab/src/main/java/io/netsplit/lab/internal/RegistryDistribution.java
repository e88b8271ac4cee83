package io.netsplit.lab.internal;

import io.netsplit.lab.LabException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The Apicurio Registry distribution the build unpacked (Maven Central's
 * {@code io.apicurio:apicurio-registry-app:<version>:tar.gz:all}), run with its SQL storage on an
 * H2 database in a file: schemas and their ids survive a restart of the registry, so a record
 * written before the restart still names a schema the registry knows (with the distribution's
 * default in-memory database a restarted registry forgot every id). {@code -Dnetsplit.registry.home=DIR}
 * points at another unpacked copy.
 */
public final class RegistryDistribution {

    private RegistryDistribution() {
    }

    public static Path home() {
        String override = System.getProperty("netsplit.registry.home");
        Path home = override != null ? Path.of(override) : Path.of(buildProperty("registry.home"));
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new LabException("schema registry distribution not found at " + home
                    + " (quarkus-run.jar missing); build the lab module first: ./mvnw -pl lab package -DskipTests");
        }
        return home;
    }

    public static String version() {
        return buildProperty("registry.version");
    }

    /**
     * The registry's command line. {@code dataDir} holds its database. FILE_LOCK=FS takes an OS file
     * lock, which dies with the process, so a registry killed with SIGKILL starts again on its data;
     * WRITE_DELAY=0 writes each commit to the file before the registry answers (H2's default delay let
     * a schema registered half a second before a SIGKILL vanish).
     */
    public static List<String> command(int port, Path dataDir) {
        Path home = home();
        return List.of(JavaCommand.javaExecutable(), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-Dapicurio.datasource.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry") + ";FILE_LOCK=FS;WRITE_DELAY=0",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // the management interface binds 0.0.0.0:9000 (enabled is fixed at build time): let it pick a free port
                "-Dquarkus.management.port=0",
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.log.console.format=%d{HH:mm:ss.SSS} %-5p [%c{2.}] %s%e%n",
                "-Dapicurio.rest.deletion.artifact.enabled=true",
                "-Dapicurio.rest.deletion.artifact-version.enabled=true",
                // what quarkus-run.jar's manifest asks for when started with -jar
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", home.resolve("quarkus-run.jar") + java.io.File.pathSeparator + JavaCommand.ownLocation(),
                ParentWatchdog.class.getName(), Long.toString(ProcessHandle.current().pid()),
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint");
    }

    static String buildProperty(String key) {
        try (InputStream in = RegistryDistribution.class.getResourceAsStream("/io/netsplit/lab/lab-build.properties")) {
            if (in == null) {
                throw new LabException("lab-build.properties missing from the classpath; rebuild the lab module");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(key);
            if (v == null || v.contains("${")) {
                throw new LabException("lab-build.properties has no value for " + key + "; rebuild the lab module");
            }
            return v;
        } catch (IOException e) {
            throw new LabException("cannot read lab-build.properties: " + e.getMessage(), e);
        }
    }
}
