package io.netsplit.audit.store;

import java.util.Locale;

/** The SQL databases the audit store runs on, told apart by the JDBC URL. */
public enum StoreDialect {
    SQLITE("min", "max"),
    POSTGRESQL("least", "greatest");

    private final String least;
    private final String greatest;

    StoreDialect(String least, String greatest) {
        this.least = least;
        this.greatest = greatest;
    }

    /** The dialect of a JDBC URL; a clear error for anything else. */
    public static StoreDialect of(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported audit store URL '" + jdbcUrl
                + "': use jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
    }

    /** Scalar minimum of two values. */
    String least() {
        return least;
    }

    /** Scalar maximum of two values. */
    String greatest() {
        return greatest;
    }

    /** Suffix of dialect-specific migration files, e.g. {@code V2__x.postgresql.sql}. */
    String migrationSuffix() {
        return name().toLowerCase(Locale.ROOT);
    }
}
