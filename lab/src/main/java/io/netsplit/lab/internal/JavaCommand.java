package io.netsplit.lab.internal;

import io.netsplit.lab.LabException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Builds {@code java} command lines for the lab's processes: the same JDK and the same classpath as
 * this JVM (so a component is found wherever its module is on the classpath), passed through an
 * argument file because test classpaths are long.
 */
public final class JavaCommand {

    private JavaCommand() {
    }

    /** The java launcher of this JVM (the build guarantees 21+). */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Writes this JVM's classpath as a java argument file in {@code dir}; returns {@code @file}. */
    public static String classpathArgFile(Path dir) {
        Path file = dir.resolve("classpath.args");
        String content = "-cp\n\"" + String.join(File.pathSeparator, classpath()).replace("\\", "\\\\") + "\"\n";
        try {
            Files.createDirectories(dir);
            // processes started a moment ago may be reading it: replace it atomically, and only if it changed
            if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                Path tmp = Files.createTempFile(dir, "classpath", ".args.tmp");
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "@" + file;
    }

    /**
     * This JVM's classpath entries. A single jar with a {@code Class-Path} manifest (Surefire's
     * booter jar, an executable jar) is expanded to the entries it names.
     */
    public static List<String> classpath() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            out.add(Path.of(entry).toAbsolutePath().toString());
            if (entry.endsWith(".jar")) {
                out.addAll(manifestClassPath(Path.of(entry)));
            }
        }
        if (out.isEmpty()) {
            throw new LabException("cannot determine this JVM's classpath to start lab processes");
        }
        return new ArrayList<>(out);
    }

    private static List<String> manifestClassPath(Path jar) {
        List<String> entries = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return entries;
            }
            for (String item : cp.trim().split("\\s+")) {
                if (item.isEmpty()) {
                    continue;
                }
                Path p = item.startsWith("file:") ? Path.of(java.net.URI.create(item)) : jar.getParent().resolve(item);
                entries.add(p.toAbsolutePath().normalize().toString());
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a readable jar: keep the entry as it is
        }
        return entries;
    }

    /**
     * {@code java @cp <jvmArgs> ParentWatchdog <this pid> <mainClass> <args>}: the process ends by
     * itself when this JVM is gone.
     */
    public static List<String> of(Path runDir, List<String> jvmArgs, String mainClass, List<String> args) {
        return watchedBy(ProcessHandle.current().pid(), runDir, jvmArgs, mainClass, args);
    }

    /**
     * {@code java @cp <jvmArgs> ParentWatchdog <owner> <mainClass> <args>}: the process ends by itself
     * when process {@code owner} is gone.
     */
    public static List<String> watchedBy(long owner, Path runDir, List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(detached(runDir, jvmArgs, ParentWatchdog.class.getName(), List.of()));
        cmd.add(Long.toString(owner));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * {@code java @cp <jvmArgs> <mainClass> <args>}: a process that outlives this JVM, for what must
     * run until it is told to stop (the supervisor behind {@code lab up}).
     */
    public static List<String> detached(Path runDir, List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add(classpathArgFile(runDir));
        cmd.addAll(jvmArgs);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Where this module's classes are (a jar or a classes directory), for commands not on our classpath. */
    public static String ownLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
