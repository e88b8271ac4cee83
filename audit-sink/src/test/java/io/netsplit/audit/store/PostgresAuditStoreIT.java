package io.netsplit.audit.store;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

/** The audit store contract on a real PostgreSQL (a throwaway server per test JVM, a database per test). */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(PostgresExtension.class)
class PostgresAuditStoreIT extends AuditStoreContract {

    private static PostgresServer postgres;
    private String url;

    @BeforeAll
    static void server(PostgresServer server) {
        postgres = server;
    }

    @Override
    protected AuditStore openEmptyStore() throws Exception {
        url = postgres.createDatabase("store");
        return AuditStore.open(url, null, null);
    }

    @Override
    protected AuditStore reopen() {
        return AuditStore.open(url, null, null);
    }

    @Override
    protected String emptyDatabase() throws Exception {
        return postgres.createDatabase("older");
    }
}
