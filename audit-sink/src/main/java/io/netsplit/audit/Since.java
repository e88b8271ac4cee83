package io.netsplit.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code --since} of the conflict queries: a duration back from now ({@code 30s},
 * {@code 15m}, {@code 2h}, {@code 1d}, {@code 1h30m}, ISO {@code PT15M}) or a point in time
 * ({@code 2026-11-22T10:00:00Z}, with an offset, a local date-time taken as UTC, or a date meaning
 * its UTC midnight).
 */
public final class Since {

    private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    static final String HELP = "use a duration (30s, 15m, 2h, 1d, 1h30m, PT15M) or a time "
            + "(2026-11-22T10:00:00Z, 2026-11-22T10:00:00+01:00, 2026-11-22)";

    private Since() {
    }

    /** The instant {@code text} names, durations counted back from {@code now}. */
    public static Instant parse(String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty --since: " + HELP);
        }
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        Matcher m = SHORT_DURATION.matcher(lower);
        if (m.matches() && !lower.isEmpty()) {
            try {
                Duration d = Duration.ofDays(number(m.group(1))).plusHours(number(m.group(2)))
                        .plusMinutes(number(m.group(3))).plusSeconds(number(m.group(4)));
                return now.minus(d);
            } catch (ArithmeticException | NumberFormatException e) {
                throw malformed(t);
            }
        }
        if (lower.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw malformed(t);
                }
                return now.minus(d);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw malformed(t);
            }
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            throw malformed(t);
        }
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("malformed --since '" + text + "': " + HELP);
    }
}
