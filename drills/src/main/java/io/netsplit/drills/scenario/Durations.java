package io.netsplit.drills.scenario;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as manifests and flags write them: {@code 500ms}, {@code 30s}, {@code 2m}. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private Durations() {
    }

    /** The duration, or empty if the text is not one. */
    public static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        });
    }

    /** The duration, or an {@link IllegalArgumentException} naming what was wrong. */
    public static Duration require(String what, String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                what + ": '" + text + "' is not a duration like 500ms, 30s or 2m"));
    }
}
