package io.netsplit.audit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsplit.audit.AuditSinkConfig;
import io.netsplit.audit.Cli;
import io.netsplit.audit.DecisionFormats;
import io.netsplit.audit.KafkaFixtures;
import io.netsplit.audit.internal.AuditDecoder;
import io.netsplit.audit.internal.AuditHttpApi;
import io.netsplit.audit.internal.AuditRepairer;
import io.netsplit.audit.internal.SinkMetrics;
import io.netsplit.audit.store.AuditStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.netsplit.audit.AuditFixtures.conflict;
import static io.netsplit.audit.AuditFixtures.pendingManual;
import static io.netsplit.audit.AuditFixtures.stale;
import static io.netsplit.audit.AuditFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands as an operator runs them, against a real sink HTTP API and SQLite store (no broker:
 * nothing here reads Kafka). Failures must be one line and a non-zero exit.
 */
class CommandsTest {

    @TempDir
    Path dir;

    private AuditStore store;
    private AuditHttpApi api;
    private Path labDir;

    @BeforeEach
    void sink() throws Exception {
        AuditSinkConfig config = new AuditSinkConfig(Map.of(AuditSinkConfig.SITE, "us-east",
                AuditSinkConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", AuditSinkConfig.SCHEMA_REGISTRY_URL, "mock://commands",
                AuditSinkConfig.HTTP_PORT, "0"));
        store = AuditStore.open("jdbc:sqlite:" + dir.resolve("audit.db"), null, null);
        SinkMetrics metrics = new SinkMetrics("us-east");
        AuditDecoder decoder = new AuditDecoder("mock://commands");
        api = new AuditHttpApi(config, store, new AuditRepairer(config, store, decoder, metrics), metrics, () -> true);
        api.start();
        labDir = KafkaFixtures.describe(Files.createDirectories(dir.resolve("lab")), "mock://commands", "us-east",
                "127.0.0.1:1", "http://127.0.0.1:" + api.port());
        store.store(List.of(stored(conflict("us-east", 2, "user42"), 2), stored(conflict("us-east", 1, "user7"), 1),
                stored(pendingManual("us-east", 3, "user9"), 3), stored(stale("us-east", 4, "user42"), 4)));
    }

    @AfterEach
    void stop() {
        api.close();
        store.close();
    }

    private Cli.Result run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--lab";
        all[args.length + 1] = labDir.toString();
        return Cli.run(all);
    }

    @Test
    void listPrintsOneLinePerConflictInAStableOrder() {
        Cli.Result r = run("conflicts", "list");

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out().lines().toList()).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(0)).contains("us-east#1 d-user7-1 CONCURRENT_UPDATE key=user7 policy=highest-version "
                    + "winner=us-east:11 candidates=us-east:11,eu-west:4");
            assertThat(lines.get(1)).contains("us-east#2 ").contains("key=user42");
            assertThat(lines.get(2)).contains("us-east#3 ").contains("winner=-").endsWith(" PENDING");
        });
        assertThat(run("conflicts", "list").out()).isEqualTo(r.out());
    }

    @Test
    void listFiltersByKeyPendingSinceAndKind() {
        assertThat(run("conflicts", "list", "--key", "user42").out().lines()).hasSize(1);
        assertThat(run("conflicts", "list", "--key", "user42", "--all").out().lines()).hasSize(2);
        assertThat(run("conflicts", "list", "--pending").out().lines()).singleElement().asString().contains("user9");
        assertThat(run("conflicts", "list", "--since", "2026-09-21T14:13:22Z").out().lines()).hasSize(2);
        assertThat(run("conflicts", "list", "--since", "1h").out()).isEmpty();
        assertThat(run("conflicts", "list", "--site", "us-east", "--limit", "1").out().lines()).hasSize(1);
    }

    @Test
    void aMalformedTimeIsOneLineAndAUsageError() {
        Cli.Result r = run("conflicts", "list", "--since", "yesterdayish");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("netsplit conflicts list: malformed --since 'yesterdayish'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void showPrintsCandidatesWinnerAndReason() {
        Cli.Result r = run("conflicts", "show", "d-user42-2");

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("decision d-user42-2 (us-east #2)", "key        user42",
                "kind       CONCURRENT_UPDATE (policy highest-version)", "state      resolved",
                "reason     highest version wins: us-east v7 over eu-west v6",
                "* us-east:12 site=us-east version=7", "(winner)", "  eu-west:5 site=eu-west version=6");
    }

    @Test
    void anUnknownDecisionIdIsOneLineAndAFailure() {
        Cli.Result r = run("conflicts", "show", "no-such-decision");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).singleElement().asString()
                .isEqualTo("netsplit conflicts show: no decision 'no-such-decision' in the audit stores of us-east");
    }

    @Test
    void exportWritesJsonAndCsv() throws Exception {
        Path json = dir.resolve("out.json");
        Path csv = dir.resolve("out.csv");

        assertThat(run("conflicts", "export", "--all", "--output", json.toString()).exit()).isZero();
        assertThat(run("conflicts", "export", "--format", "csv", "-o", csv.toString()).exit()).isZero();

        JsonNode array = DecisionFormats.JSON.readTree(json.toFile());
        assertThat(array).hasSize(4);
        assertThat(array.get(0).get("decisionId").asText()).isEqualTo("d-user7-1");
        assertThat(array.get(0).get("winner").asText()).isEqualTo("us-east:11");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo(String.join(",", DecisionFormats.CSV_COLUMNS));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith("us-east,1,d-user7-1,user7,CONCURRENT_UPDATE,highest-version,false,us-east:11,");
        assertThat(run("conflicts", "export").out()).startsWith("[");
    }

    @Test
    void anUnwritableExportPathIsOneLineAndAFailure() {
        Cli.Result missingDir = run("conflicts", "export", "--output", dir.resolve("no/such/dir/x.json").toString());
        Cli.Result directory = run("conflicts", "export", "--output", dir.toString());
        Cli.Result badFormat = run("conflicts", "export", "--format", "xml");

        assertThat(missingDir.exit()).isEqualTo(1);
        assertThat(missingDir.err().lines()).singleElement().asString().contains("cannot write the export to")
                .contains("does not exist");
        assertThat(directory.exit()).isEqualTo(1);
        assertThat(directory.err().lines()).singleElement().asString().contains("it is a directory");
        assertThat(badFormat.exit()).isEqualTo(2);
        assertThat(badFormat.err().lines()).singleElement().asString().contains("unknown --format 'xml'");
    }

    @Test
    void verifyReportsGapsWithExitOneAndRepairWithNothingMissingIsClean() {
        store.deleteRange("us-east", 2, 3);

        Cli.Result verify = run("audit", "verify");
        assertThat(verify.exit()).isEqualTo(1);
        assertThat(verify.out()).contains("us-east: deciding site us-east sequences 1..4: 2 stored, missing 2..3 (2 records)");

        store.store(List.of(stored(conflict("us-east", 2, "user42"), 2), stored(pendingManual("us-east", 3, "user9"), 3)));
        assertThat(run("audit", "verify").out()).contains("4 stored, complete");
        Cli.Result repair = run("audit", "repair");
        assertThat(repair.exit()).as("%s", repair).isZero();
        assertThat(repair.out()).contains("us-east: nothing missing");
    }

    @Test
    void resolveNeedsExactlyOneChoiceAndAReadableFieldsFile() {
        Cli.Result none = run("conflicts", "resolve", "user9");
        Cli.Result both = run("conflicts", "resolve", "user9", "--keep", "eu-west", "--fields-file", "x.json");
        Cli.Result missingFile = run("conflicts", "resolve", "user9", "--fields-file", dir.resolve("nope.json").toString());

        assertThat(none.exit()).isEqualTo(2);
        assertThat(both.exit()).isEqualTo(2);
        assertThat(missingFile.exit()).isEqualTo(2);
        assertThat(missingFile.err().lines()).singleElement().asString().contains("cannot read --fields-file");
    }

    @Test
    void aMissingLabIsOneLine() {
        Cli.Result r = Cli.run("conflicts", "list", "--lab", dir.resolve("nowhere").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).singleElement().asString().contains("no lab at");
    }

    @Test
    void aSiteWithoutASinkIsOneLine() {
        Cli.Result r = run("conflicts", "list", "--site", "mars");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).singleElement().asString().contains("no site 'mars'");
    }
}
