package io.netsplit.audit.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain versioned SQL migrations: {@code migration/V<n>__<name>.sql} on the classpath (or a
 * {@code V<n>__<name>.<dialect>.sql} variant where the dialects differ), applied in order, each in its
 * own transaction, and recorded in {@code audit_schema_version}. A store newer than this code is
 * refused rather than guessed at.
 */
public final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__audit_schema", "V2__decision_conflict_state");

    private Migrations() {
    }

    /** The schema version this code writes. */
    public static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** Brings the store to {@link #latestVersion()}; returns the number of migrations applied. */
    static int migrate(Connection c, StoreDialect dialect) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS audit_schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                        + "description TEXT NOT NULL, applied_at_millis BIGINT NOT NULL)");
            }
            c.commit();
            int current = currentVersion(c);
            if (current > latestVersion()) {
                throw new SQLException("the audit store is at schema version " + current
                        + ", newer than this sink knows (" + latestVersion() + "); upgrade the sink");
            }
            int applied = 0;
            for (int v = current + 1; v <= latestVersion(); v++) {
                String name = MIGRATIONS.get(v - 1);
                try {
                    for (String statement : statements(load(name, dialect))) {
                        try (Statement s = c.createStatement()) {
                            s.execute(statement);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO audit_schema_version (version, description, applied_at_millis) VALUES (?, ?, ?)")) {
                        ps.setInt(1, v);
                        ps.setString(2, name);
                        ps.setLong(3, System.currentTimeMillis());
                        ps.executeUpdate();
                    }
                    c.commit();
                    applied++;
                    log.info("audit store migrated to schema version {} ({})", v, name);
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException("audit store migration " + name + " failed: " + e.getMessage(), e);
                }
            }
            return applied;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM audit_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String load(String name, StoreDialect dialect) {
        String base = "migration/" + name;
        for (String resource : List.of(base + "." + dialect.migrationSuffix() + ".sql", base + ".sql")) {
            try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read migration " + resource, e);
            }
        }
        throw new IllegalStateException("migration " + name + " is missing from the classpath");
    }

    /** Splits a script into statements at semicolons that end a line; drops {@code --} comment lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
