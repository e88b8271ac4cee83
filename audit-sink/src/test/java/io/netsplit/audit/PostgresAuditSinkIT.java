package io.netsplit.audit;

import io.netsplit.audit.store.PostgresExtension;
import io.netsplit.audit.store.PostgresServer;
import io.netsplit.lab.LabExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

/** The sink scenarios on a real PostgreSQL (a throwaway server per test JVM, a database per test). */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith({LabExtension.class, PostgresExtension.class})
class PostgresAuditSinkIT extends AuditSinkScenarios {

    private static PostgresServer postgres;

    @BeforeAll
    static void server(PostgresServer server) {
        postgres = server;
    }

    @Override
    protected String newStoreUrl() throws Exception {
        return postgres.createDatabase("sink");
    }
}
