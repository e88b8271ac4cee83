package io.netsplit.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinceTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void shouldCountDurationsBackFromNow() {
        assertThat(Since.parse("30s", NOW)).isEqualTo("2026-11-22T11:59:30Z");
        assertThat(Since.parse("15m", NOW)).isEqualTo("2026-11-22T11:45:00Z");
        assertThat(Since.parse("2h", NOW)).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(Since.parse("1d", NOW)).isEqualTo("2026-11-21T12:00:00Z");
        assertThat(Since.parse("1h30m", NOW)).isEqualTo("2026-11-22T10:30:00Z");
        assertThat(Since.parse("PT15M", NOW)).isEqualTo("2026-11-22T11:45:00Z");
    }

    @Test
    void shouldReadTimes() {
        assertThat(Since.parse("2026-11-22T10:00:00Z", NOW)).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(Since.parse("2026-11-22T10:00:00+01:00", NOW)).isEqualTo("2026-11-22T09:00:00Z");
        assertThat(Since.parse("2026-11-22T10:00:00", NOW)).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(Since.parse("2026-11-22", NOW)).isEqualTo("2026-11-22T00:00:00Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "15x", "-5m", "2026-13-01", "PT-5M", "12:00", " "})
    void shouldRejectMalformedInputNamingIt(String text) {
        assertThatThrownBy(() -> Since.parse(text, NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--since").hasMessageContaining("use a duration");
    }
}
