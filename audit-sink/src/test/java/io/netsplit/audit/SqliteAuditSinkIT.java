package io.netsplit.audit;

import io.netsplit.lab.LabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The sink scenarios with the default store: a SQLite file. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class SqliteAuditSinkIT extends AuditSinkScenarios {

    @Override
    protected String newStoreUrl() throws Exception {
        Path dir = Path.of("target", "stores");
        Files.createDirectories(dir);
        return "jdbc:sqlite:" + Files.createTempDirectory(dir.toAbsolutePath(), "sqlite-").resolve("audit.db");
    }
}
