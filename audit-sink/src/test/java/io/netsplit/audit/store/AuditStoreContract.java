package io.netsplit.audit.store;

import io.netsplit.audit.AuditFixtures;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.DecisionConflictState;
import io.netsplit.schemas.Dot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static io.netsplit.audit.AuditFixtures.conflict;
import static io.netsplit.audit.AuditFixtures.pendingManual;
import static io.netsplit.audit.AuditFixtures.resolution;
import static io.netsplit.audit.AuditFixtures.stale;
import static io.netsplit.audit.AuditFixtures.stored;
import static io.netsplit.audit.AuditFixtures.storedRange;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every audit store must have, whatever the database: run against SQLite
 * ({@code SqliteAuditStoreTest}) and a real PostgreSQL ({@code PostgresAuditStoreIT}).
 */
public abstract class AuditStoreContract {

    protected AuditStore store;

    /** A fresh, empty store. */
    protected abstract AuditStore openEmptyStore() throws Exception;

    /** The same store opened again (a restart). */
    protected abstract AuditStore reopen() throws Exception;

    /** The JDBC URL of another, empty database (no tables), for a store written by an older sink. */
    protected abstract String emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmptyStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void shouldKeepEveryFieldOfADecision() {
        StoredDecision d = stored(conflict("us-east", 1, "user42"), 17);
        store.store(List.of(d));

        StoredDecision back = store.get("us-east", 1).orElseThrow();
        assertThat(back.sameContentAs(d)).as("round trip of %s -> %s", d, back).isTrue();
        assertThat(back.source()).isEqualTo(new SourcePosition("audit", 0, 17));
        assertThat(back.candidates()).extracting(c -> c.dot().toString()).containsExactly("us-east:11", "eu-west:4");
        assertThat(back.candidates().get(0).versionVector()).containsEntry("eu-west", 3L).containsEntry("us-east", 11L);
        assertThat(back.winner()).isEqualTo(new DotRef("us-east", 11));
        assertThat(back.reason()).isEqualTo("highest version wins: us-east v7 over eu-west v6");
    }

    @Test
    void shouldInsertNothingTwiceWhenRecordsAreStoredAgain() {
        List<StoredDecision> batch = storedRange("us-east", 1, 20);
        AuditStore.StoreResult first = store.store(batch);
        AuditStore.StoreResult second = store.store(batch);
        AuditStore.StoreResult third = store.store(batch.subList(5, 12));

        assertThat(first.inserted()).isEqualTo(20);
        assertThat(second.inserted()).isZero();
        assertThat(second.alreadyStored()).isEqualTo(20);
        assertThat(third.inserted()).isZero();
        assertThat(store.count(null)).isEqualTo(20);
        assertThat(store.find(DecisionFilter.all())).hasSize(20);
        assertThat(store.anomalies()).isEmpty();
    }

    @Test
    void shouldKeepTheSameDecisionIdAtTwoSequences() {
        // a site may decide the same conflict (same id) again, e.g. after a restart replays its input
        StoredDecision a = stored(conflict("us-east", 1, "k"), 1);
        StoredDecision b = stored(conflict("us-east", 1, "k"), 1);
        StoredDecision again = new StoredDecision("us-east", 2, b.decisionId(), b.key(), b.kind(), b.policy(),
                b.candidates(), b.winner(), b.resultingVector(), b.reason(), b.decidedAtMillis() + 5, b.conflictState(),
                new SourcePosition("audit", 0, 2), false);
        store.store(List.of(a, again));

        assertThat(store.findByDecisionId(a.decisionId())).extracting(StoredDecision::sequence).containsExactly(1L, 2L);
    }

    @Test
    void shouldRecordASequenceCollisionInsteadOfOverwriting() {
        store.store(List.of(stored(conflict("us-east", 3, "k1"), 3)));
        AuditStore.StoreResult r = store.store(List.of(stored(conflict("us-east", 3, "other-key"), 9)));

        assertThat(r.collisions()).hasSize(1);
        assertThat(store.get("us-east", 3).orElseThrow().key()).isEqualTo("k1");
        assertThat(store.anomalies()).extracting(AuditAnomaly::kind).containsExactly(AuditAnomaly.SEQUENCE_COLLISION);
    }

    @Test
    void shouldNameTheExactMissingRangesInsideAndAtBothEnds() {
        store.store(storedRange("us-east", 1, 30));
        store.store(storedRange("eu-west", 5, 8));
        assertThat(store.audit(null)).allMatch(SiteAudit::complete);

        assertThat(store.deleteRange("us-east", 1, 2)).isEqualTo(2);
        store.deleteRange("us-east", 10, 14);
        store.deleteRange("us-east", 20, 20);
        store.deleteRange("us-east", 29, 30);

        SiteAudit us = store.audit("us-east").get(0);
        assertThat(us.first()).isEqualTo(1);
        assertThat(us.last()).isEqualTo(30);
        assertThat(us.stored()).isEqualTo(20);
        assertThat(us.missing()).containsExactly(new SequenceRange(1, 2), new SequenceRange(10, 14),
                new SequenceRange(20, 20), new SequenceRange(29, 30));
        assertThat(store.audit("eu-west").get(0).complete()).isTrue();
        assertThat(store.audit(null)).extracting(SiteAudit::decidingSite).containsExactly("eu-west", "us-east");
    }

    @Test
    void shouldReportEverythingMissingWhenEveryRowOfASiteIsGone() {
        store.store(storedRange("us-east", 3, 6));
        store.deleteRange("us-east", 0, 100);

        assertThat(store.audit("us-east")).singleElement()
                .satisfies(a -> assertThat(a.missing()).containsExactly(new SequenceRange(3, 6)));
    }

    @Test
    void shouldRestoreCompletenessWhenMissingRecordsAreStoredAgain() {
        List<StoredDecision> all = storedRange("us-east", 1, 10);
        store.store(all);
        store.deleteRange("us-east", 4, 6);
        store.store(all.subList(3, 6));

        assertThat(store.audit("us-east").get(0).complete()).isTrue();
        assertThat(store.get("us-east", 5).orElseThrow().candidates()).hasSize(2);
    }

    @Test
    void shouldLocateTheTopicWindowAroundAMissingRange() {
        store.store(storedRange("us-east", 1, 10));
        store.deleteRange("us-east", 4, 6);

        assertThat(store.lastOffsetBefore("us-east", 4, "audit", 0)).hasValue(3);
        assertThat(store.firstOffsetAfter("us-east", 6, "audit", 0)).hasValue(7);
        assertThat(store.lastOffsetBefore("us-east", 1, "audit", 0)).isEmpty();
        assertThat(store.firstOffsetAfter("us-east", 10, "audit", 0)).isEmpty();
        assertThat(store.lastOffsetBefore("us-east", 4, "audit", 1)).isEmpty();
    }

    @Test
    void shouldListAManualConflictAsPendingUntilItsResolution() {
        store.store(List.of(stored(pendingManual("us-east", 1, "user42"), 1),
                stored(conflict("us-east", 2, "user7"), 2)));
        DecisionFilter pending = new DecisionFilter(null, null, null, true, Set.of(), 0);

        assertThat(store.find(pending)).extracting(StoredDecision::key).containsExactly("user42");

        store.store(List.of(stored(stale("us-east", 3, "user42"), 3)));
        assertThat(store.find(pending)).extracting(StoredDecision::key).containsExactly("user42");

        store.store(List.of(stored(resolution("us-east", 4, "user42"), 4)));
        assertThat(store.find(pending)).isEmpty();
        assertThat(store.find(DecisionFilter.all())).extracting(StoredDecision::pending).containsOnly(false);
    }

    @Test
    void shouldReadPendingFromTheDecisionsConflictStateNotFromThePolicyName() {
        // Given a manual-mode policy with another name, and a "manual" decision its reconciler says is resolved
        AuditEvent review = pendingManual("us-east", 1, "review-1");
        review.setPolicy("operator-review");
        review.setWinner(new Dot("us-east", 11L));
        AuditEvent settled = conflict("us-east", 2, "settled-1");
        settled.setPolicy("manual");
        settled.setConflictState(DecisionConflictState.RESOLVED);

        store.store(List.of(stored(review, 1), stored(settled, 2)));

        // Then the column decides, and reads back as stored
        assertThat(store.find(new DecisionFilter(null, null, null, true, Set.of(), 0)))
                .extracting(StoredDecision::key).containsExactly("review-1");
        assertThat(store.get("us-east", 1).orElseThrow().conflictState()).isEqualTo("PENDING");
        assertThat(store.get("us-east", 2).orElseThrow().conflictState()).isEqualTo("RESOLVED");
    }

    @Test
    void shouldGiveRowsOfAVersion1StoreTheirConflictStateOnceWhenMigrating() throws Exception {
        // Given a store as version 1 of the sink left it: no conflict_state column
        String url = emptyDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE audit_schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                    + "description TEXT NOT NULL, applied_at_millis BIGINT NOT NULL)");
            for (String statement : Migrations.statements(resource("migration/V1__audit_schema.sql"))) {
                s.execute(statement);
            }
            s.executeUpdate("INSERT INTO audit_schema_version VALUES (1, 'V1__audit_schema', 0)");
            s.executeUpdate(version1Row(1, "pending", "CONCURRENT_UPDATE", "manual", "'us-east'"));
            s.executeUpdate(version1Row(2, "no-winner", "DELETE_VS_UPDATE", "highest-version", "NULL"));
            s.executeUpdate(version1Row(3, "merged", "CONCURRENT_UPDATE", "lww", "'us-east'"));
            s.executeUpdate(version1Row(4, "ended", "CONCURRENT_UPDATE", "manual", "'us-east'"));
            s.executeUpdate(version1Row(5, "ended", "MANUAL_RESOLUTION", "manual", "'eu-west'"));
            s.executeUpdate(version1Row(6, "merged", "STALE", "lww", "'us-east'"));
        }

        // When this sink opens it
        try (AuditStore migrated = AuditStore.open(url, null, null)) {

            // Then every row has the state the old rule gave it, and pending is read from it
            assertThat(migrated.schemaVersion()).isEqualTo(Migrations.latestVersion());
            assertThat(migrated.find(DecisionFilter.all()))
                    .extracting(d -> d.sequence() + " " + d.conflictState() + (d.pending() ? " pending" : ""))
                    .containsExactly("1 PENDING pending", "2 PENDING pending", "3 RESOLVED", "4 PENDING",
                            "5 MANUALLY_RESOLVED", "6 NONE");
        }
    }

    private static String version1Row(long sequence, String key, String kind, String policy, String winnerSite) {
        return "INSERT INTO audit_decision (deciding_site, sequence, decision_id, entity_key, kind, policy, winner_site, "
                + "winner_counter, resulting_vector, reason, decided_at_millis, source_topic, source_partition, "
                + "source_offset, stored_at_millis) VALUES ('us-east', " + sequence + ", 'd-" + sequence + "', '" + key
                + "', '" + kind + "', '" + policy + "', " + winnerSite + ", " + ("NULL".equals(winnerSite) ? "NULL" : "7")
                + ", '{}', 'v1 row', " + (AuditFixtures.T0 + sequence) + ", 'audit', 0, " + sequence + ", 0)";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldFilterBySiteKeyTimeAndKindInAStableOrder() {
        store.store(List.of(stored(conflict("eu-west", 2, "a"), 1), stored(conflict("us-east", 2, "a"), 2),
                stored(conflict("us-east", 1, "b"), 3), stored(stale("us-east", 3, "a"), 4)));

        List<StoredDecision> conflicts = store.find(new DecisionFilter(null, null, null, false,
                DecisionFilter.CONFLICT_KINDS, 0));
        // same decided-at time for both sequence-2 records: the deciding site breaks the tie
        assertThat(conflicts).extracting(d -> d.decidingSite() + "#" + d.sequence())
                .containsExactly("us-east#1", "eu-west#2", "us-east#2");
        assertThat(store.find(DecisionFilter.all())).hasSize(4);
        assertThat(store.find(new DecisionFilter("us-east", "a", null, false, Set.of(), 0)))
                .extracting(StoredDecision::sequence).containsExactly(2L, 3L);
        assertThat(store.find(new DecisionFilter(null, null, AuditFixtures.T0 + 2000, false, Set.of(), 0)))
                .extracting(StoredDecision::sequence).containsExactly(2L, 2L, 3L);
        assertThat(store.find(new DecisionFilter(null, null, null, false, Set.of(), 2))).hasSize(2);
        assertThat(store.find(new DecisionFilter(null, "nope", null, false, Set.of(), 0))).isEmpty();
    }

    @Test
    void shouldKeepUnreadableRecordsAsAnomalies() {
        store.store(List.of(), List.of(new AuditAnomaly(AuditAnomaly.UNREADABLE, null, null, "bad magic byte 7",
                new SourcePosition("audit", 0, 12), AuditFixtures.T0)));
        store.store(List.of(), List.of(new AuditAnomaly(AuditAnomaly.UNREADABLE, null, null, "bad magic byte 7",
                new SourcePosition("audit", 0, 12), AuditFixtures.T0)));

        assertThat(store.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detail()).isEqualTo("bad magic byte 7");
            assertThat(a.source().offset()).isEqualTo(12);
        });
    }

    @Test
    void shouldMigrateOnceAndKeepDataAcrossRestarts() throws Exception {
        store.store(storedRange("us-east", 1, 3));
        store.deleteRange("us-east", 2, 2);
        store.close();

        store = reopen();
        assertThat(store.schemaVersion()).isEqualTo(Migrations.latestVersion());
        assertThat(store.count("us-east")).isEqualTo(2);
        assertThat(store.audit("us-east").get(0).missing()).containsExactly(new SequenceRange(2, 2));
    }
}
