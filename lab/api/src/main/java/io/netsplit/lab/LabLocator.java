package io.netsplit.lab;

import java.nio.file.Path;

/**
 * Finds the lab a command talks to: {@code --lab DIR}, else {@code $NETSPLIT_LAB}, else
 * {@code ~/.netsplit/lab}.
 */
public final class LabLocator {

    public static final String ENV = "NETSPLIT_LAB";

    private LabLocator() {
    }

    public static Path defaultDir() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".netsplit", "lab");
    }

    /** The directory named by the option if given, else the default. */
    public static Path resolve(Path option) {
        return option != null ? option : defaultDir();
    }
}
