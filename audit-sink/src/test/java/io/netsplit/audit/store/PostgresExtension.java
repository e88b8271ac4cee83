package io.netsplit.audit.store;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Gives tests a {@link PostgresServer} parameter: one throwaway server per test JVM, started on first
 * use and stopped when the JVM's tests are done. Without PostgreSQL binaries the tests are skipped
 * with the reason, except in CI ({@code CI=true}), where that is a failure: CI installs PostgreSQL
 * with {@code audit-sink/install-postgres.sh}.
 */
public final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Optional<Path> bin = PostgresServer.findBinaries();
        if (bin.isEmpty()) {
            String reason = "no PostgreSQL binaries (initdb, pg_ctl) on the PATH or in /usr/lib/postgresql/*/bin; "
                    + "install them with audit-sink/install-postgres.sh";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but " + reason);
            }
            Assumptions.abort("PostgreSQL tests skipped: " + reason);
        }
        return ec.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> {
            try {
                return new Holder(PostgresServer.start(bin.get(), Path.of("target", "postgres")));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start PostgreSQL from " + bin.get() + ": " + e.getMessage(), e);
            }
        }, Holder.class).server;
    }

    private record Holder(PostgresServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
