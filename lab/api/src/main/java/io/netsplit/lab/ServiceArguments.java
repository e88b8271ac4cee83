package io.netsplit.lab;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The command line of a service's {@code main} as the lab launches it: {@code key=value} arguments and
 * {@code @file.properties} arguments, later ones overriding earlier ones.
 */
public final class ServiceArguments {

    private ServiceArguments() {
    }

    /** The settings named by {@code args}; {@link IllegalArgumentException} naming an argument that is neither. */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> props = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("@")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(Path.of(arg.substring(1)), StandardCharsets.UTF_8)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + arg.substring(1) + ": " + e.getMessage(), e);
                }
                p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("argument '" + arg + "' is not key=value or @file");
            }
            props.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return props;
    }
}
