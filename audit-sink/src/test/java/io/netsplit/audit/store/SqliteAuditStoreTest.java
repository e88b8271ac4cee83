package io.netsplit.audit.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static io.netsplit.audit.AuditFixtures.storedRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit store contract on SQLite, plus what only SQLite has: a file created on first use. */
class SqliteAuditStoreTest extends AuditStoreContract {

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("nested/dir/audit.db");
    }

    @Override
    protected AuditStore openEmptyStore() {
        return AuditStore.open(url(), null, null);
    }

    @Override
    protected AuditStore reopen() {
        return AuditStore.open(url(), null, null);
    }

    @Override
    protected String emptyDatabase() {
        return "jdbc:sqlite:" + dir.resolve("older-" + System.nanoTime() + ".db");
    }

    @Test
    void shouldDetectRowsDeletedBehindTheStoresBackByAnotherConnection() throws Exception {
        store.store(storedRange("us-east", 1, 10));
        // an operator (or a drill) deleting rows with plain SQL, without cascading to candidates
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.executeUpdate("DELETE FROM audit_decision WHERE deciding_site = 'us-east' AND sequence BETWEEN 3 AND 4");
        }
        assertThat(store.audit("us-east").get(0).missing()).containsExactly(new SequenceRange(3, 4));

        store.store(storedRange("us-east", 3, 4));
        assertThat(store.audit("us-east").get(0).complete()).isTrue();
        assertThat(store.get("us-east", 3).orElseThrow().candidates()).hasSize(2);
    }

    @Test
    void shouldRefuseAStoreNewerThanThisCode() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO audit_schema_version VALUES (99, 'from the future', 0)");
        }
        assertThatThrownBy(this::reopen).isInstanceOf(AuditStoreException.class).hasMessageContaining("newer");
        store = null;
    }

    @Test
    void shouldRejectAnUnsupportedUrl() {
        assertThatThrownBy(() -> AuditStore.open("jdbc:mysql://x/y", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:sqlite:FILE");
    }

    @Test
    void shouldSplitMigrationScriptsIntoStatements() {
        assertThat(Migrations.statements("-- comment\nCREATE TABLE a (x INT);\n\nCREATE INDEX i ON a (x);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)");
        assertThat(List.of(AuditStore.redact("jdbc:postgresql://h/db?user=u&password=secret&ssl=true")))
                .containsExactly("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
    }
}
