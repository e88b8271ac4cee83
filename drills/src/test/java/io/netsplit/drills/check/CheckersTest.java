package io.netsplit.drills.check;

import io.netsplit.drills.scenario.Expectations;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each checker passes on a healthy run and fails, with evidence, on a deliberately broken one. */
class CheckersTest {

    // us-east wrote user42 five times (replicated), then v6 and v7 during a cut; eu-west wrote v6 concurrently.
    static final AckedWrite E5 = write("us-east", "us-east", 5, 5, Map.of("us-east", 5L));
    static final AckedWrite E6 = write("us-east", "us-east", 6, 6, Map.of("us-east", 6L));
    static final AckedWrite E7 = write("us-east", "us-east", 7, 7, Map.of("us-east", 7L));
    static final AckedWrite W1 = write("eu-west", "eu-west", 1, 6, Map.of("us-east", 5L, "eu-west", 1L));
    static final Map<String, Long> JOINED = Map.of("us-east", 7L, "eu-west", 1L);

    static AckedWrite write(String site, String dotSite, long counter, long version, Map<String, Long> vv) {
        return new AckedWrite(site, "user42", "UPSERT", dotSite, counter, version, vv, 0);
    }

    static SiteSnapshot site(String name, String digest, SiteSnapshot.Record record, Set<String> auditCandidates,
                             List<Long> sequences) {
        return new SiteSnapshot(name, digest, JOINED, 1, 1, 0, Map.of("user42", record), auditCandidates,
                sequences.size(), Checkers.missingRanges(sequences), List.of("d-1"));
    }

    static SiteSnapshot.Record online() {
        return new SiteSnapshot.Record("user42", Map.of("status", "online"), false, JOINED, 7, "us-east:7", "RESOLVED");
    }

    static final Set<String> NAMED = Set.of("us-east:7", "eu-west:1");

    @Test
    void convergenceFailsOnATamperedRecordNamingTheKey() {
        SiteSnapshot east = site("us-east", "abc", online(), NAMED, List.of(1L));
        assertThat(Checkers.convergence(List.of(east, site("eu-west", "abc", online(), NAMED, List.of(1L)))).passed()).isTrue();

        SiteSnapshot.Record tampered = new SiteSnapshot.Record("user42", Map.of("status", "offline"), false, JOINED, 7,
                "us-east:7", "RESOLVED");
        Verdict v = Checkers.convergence(List.of(east, site("eu-west", "abc", tampered, NAMED, List.of(1L))));
        assertThat(v.passed()).isFalse();
        assertThat(v.evidence()).anyMatch(e -> e.contains("user42 at eu-west") && e.contains("offline"));
    }

    @Test
    void convergenceFailsOnDifferentDigestsAlone() {
        Verdict v = Checkers.convergence(List.of(site("us-east", "abc", online(), NAMED, List.of()),
                site("eu-west", "abd", online(), NAMED, List.of())));
        assertThat(v.passed()).isFalse();
        assertThat(v.summary()).contains("digests or frontiers differ");
    }

    @Test
    void noLostWritesAcceptsWinnersAncestorsAndNamedLosers() {
        Verdict v = Checkers.noLostWrites(List.of(E5, E6, E7, W1),
                List.of(site("us-east", "x", online(), NAMED, List.of())));
        assertThat(v.passed()).as(v.evidence().toString()).isTrue();
    }

    @Test
    void noLostWritesFailsWhenAMirroredRecordWasDropped() {
        // eu-west never received us-east:7: its vector stops at 6
        SiteSnapshot.Record behind = new SiteSnapshot.Record("user42", Map.of("status", "online"), false,
                Map.of("us-east", 6L, "eu-west", 1L), 6, "us-east:6", "RESOLVED");
        Verdict v = Checkers.noLostWrites(List.of(E6, E7, W1), List.of(site("eu-west", "x", behind, Set.of("us-east:6", "eu-west:1"), List.of())));
        assertThat(v.passed()).isFalse();
        assertThat(v.evidence()).anyMatch(e -> e.contains("us-east:7") && e.contains("never received"));
    }

    @Test
    void noLostWritesFailsWhenAConcurrentLoserIsInNoAuditDecision() {
        Verdict v = Checkers.noLostWrites(List.of(E7, W1), List.of(site("us-east", "x", online(), Set.of("us-east:7"), List.of())));
        assertThat(v.passed()).isFalse();
        assertThat(v.evidence()).anyMatch(e -> e.contains("eu-west:1") && e.contains("audit"));
    }

    @Test
    void goldenRecordsAndStatusCountsFailOnMismatch() {
        var expected = Map.of("user42", new Expectations.RecordExpectation(Optional.of(Map.of("status", "online")),
                Optional.of(7L), Optional.of(false), Optional.empty()));
        SiteSnapshot east = site("us-east", "x", online(), NAMED, List.of());
        assertThat(Checkers.goldenRecords(expected, List.of(east)).passed()).isTrue();
        var wrongVersion = Map.of("user42", new Expectations.RecordExpectation(Optional.empty(), Optional.of(6L),
                Optional.empty(), Optional.empty()));
        Verdict v = Checkers.goldenRecords(wrongVersion, List.of(east));
        assertThat(v.passed()).isFalse();
        assertThat(v.evidence()).anyMatch(e -> e.contains("version 7, expected 6"));
        var missing = Map.of("nobody", new Expectations.RecordExpectation(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()));
        assertThat(Checkers.goldenRecords(missing, List.of(east)).evidence()).anyMatch(e -> e.contains("missing"));

        assertThat(Checkers.statusCounts(Map.of("us-east", new Expectations.StatusCounts(1, 1, 0)), List.of(east), Map.of()).passed()).isTrue();
        // on a lab with a history, the drill's own counts are the difference
        assertThat(Checkers.statusCounts(Map.of("us-east", new Expectations.StatusCounts(0, 0, 0)), List.of(east),
                Map.of("us-east", new Expectations.StatusCounts(1, 1, 0))).passed()).isTrue();
        Verdict s = Checkers.statusCounts(Map.of("us-east", new Expectations.StatusCounts(14, 14, 0)), List.of(east), Map.of());
        assertThat(s.passed()).isFalse();
        assertThat(s.evidence()).containsExactly("us-east: conflicts=1 merged=1 pending=0, expected conflicts=14 merged=14 pending=0");
    }

    @Test
    void replayIdenticalFailsOnADifferentDecisionId() {
        SiteSnapshot east = site("us-east", "abc", online(), NAMED, List.of());
        assertThat(Checkers.replayIdentical(east, "abc", List.of("d-1")).passed()).isTrue();
        Verdict v = Checkers.replayIdentical(east, "abc", List.of("d-2"));
        assertThat(v.passed()).isFalse();
        assertThat(v.evidence()).contains("only live: d-1", "only replay: d-2");
        assertThat(Checkers.replayIdentical(east, "abz", List.of("d-1")).passed()).isFalse();
    }

    @Test
    void auditCompleteNamesTheMissingRanges() {
        assertThat(Checkers.auditComplete(List.of(site("us-east", "x", online(), NAMED, List.of(1L, 2L, 3L)))).passed()).isTrue();
        Verdict v = Checkers.auditComplete(List.of(site("us-east", "x", online(), NAMED, List.of(1L, 2L, 6L, 8L))));
        assertThat(v.passed()).isFalse();
        assertThat(v.evidence()).containsExactly("us-east: 4 audit records, missing [3-5, 7]");
        assertThat(Checkers.missingRanges(List.of(2L))).containsExactly("1");
    }
}
