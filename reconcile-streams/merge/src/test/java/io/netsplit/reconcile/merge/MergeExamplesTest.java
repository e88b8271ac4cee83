package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The named examples of issue 3 and docs/architecture.md §4, each under the policies it is about. */
class MergeExamplesTest {

    static final SiteOrder ORDER = SiteOrder.of("us-east", "eu-west");

    static MergeTable table(MergePolicy policy) {
        return new MergeTable(MergeConfig.of(ORDER, policy));
    }

    static FieldValue text(String s) {
        return FieldValue.of(s);
    }

    /** Applies the events in every order; asserts all orders give one view, and returns it. */
    static ConvergedView convergedInEveryOrder(MergePolicy policy, Change... events) {
        ConvergedView first = null;
        for (List<Change> order : permutations(List.of(events))) {
            MergeTable t = table(policy);
            t.applyAll(order);
            ConvergedView v = t.view(events[0].key());
            if (first == null) {
                first = v;
            }
            assertThat(v).as("order %s", MergeLaws.dots(order)).isEqualTo(first);
        }
        return first;
    }

    static List<List<Change>> permutations(List<Change> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<Change>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<Change> rest = new ArrayList<>(items);
            Change head = rest.remove(i);
            for (List<Change> p : permutations(rest)) {
                List<Change> l = new ArrayList<>();
                l.add(head);
                l.addAll(p);
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The seed's example. Before the partition both sites had us-east's writes up to us-east:5 (v5);
     * us-east had also written us-east:6 (v6) just before the cut. During it, us-east writes v7
     * {@code online} and eu-west, having seen v5, writes v6 {@code offline}.
     */
    @Nested
    class User42 {
        final Change base = Change.builder("user42", new Dot("us-east", 5)).version(5)
                .saw(VersionVector.of("us-east", 4)).field("status", "online").build();
        final Change online = Change.builder("user42", new Dot("us-east", 7)).saw(VersionVector.of("us-east", 6)).version(7)
                .hlc(new Hlc(1_000, 0)).field("status", "online").build();
        final Change offline = Change.builder("user42", new Dot("eu-west", 1)).saw(base.vector()).version(6)
                .hlc(new Hlc(2_000, 0)).field("status", "offline").build();

        @Test
        void shouldPickHighestVersionAndAuditOneDecisionNamingBoth() {
            // Given each site received the common history, then its own write, then the other's
            MergeTable usEast = table(MergePolicy.highestVersion());
            usEast.applyAll(List.of(base, online, offline));
            MergeTable euWest = table(MergePolicy.highestVersion());
            euWest.applyAll(List.of(base, offline, online));

            // Then both converge on online, v7, with one resolved conflict each
            for (MergeTable site : List.of(usEast, euWest)) {
                ConvergedView v = site.view("user42");
                assertThat(v.fields()).isEqualTo(Map.of("status", text("online")));
                assertThat(v.winner()).isEqualTo(online.dot());
                assertThat(v.winnerVersion()).isEqualTo(7);
                assertThat(v.conflict()).isEqualTo(ConflictState.RESOLVED);
                assertThat(site.log().statusLine()).isEqualTo("conflicts=1 merged=1 pending=0");
                List<Decision> conflicts = site.log().decisions().stream().filter(d -> d.kind().isConflict()).toList();
                assertThat(conflicts).hasSize(1);
                Decision d = conflicts.get(0);
                assertThat(d.kind()).isEqualTo(DecisionKind.CONCURRENT_UPDATE);
                assertThat(d.candidates()).extracting(Candidate::dot).containsExactly(offline.dot(), online.dot());
                assertThat(d.winner()).isEqualTo(online.dot());
                assertThat(d.losers()).containsExactly(offline.dot());
                assertThat(d.resultingVector()).isEqualTo(VersionVector.of("us-east", 7, "eu-west", 1));
                assertThat(d.reason()).contains("us-east:7 (v7)", "eu-west:1 (v6)", "highest version");
                assertThat(d.candidates().get(0).fieldsDigest()).isEqualTo(Digests.fields(offline.fields())).hasSize(64);
            }
            // And both sites name the conflict the same way and hold the same table
            assertThat(usEast.log().decisions()).singleElement().extracting(Decision::id)
                    .isEqualTo(euWest.log().decisions().get(0).id());
            assertThat(usEast.digest()).isEqualTo(euWest.digest());
        }

        @Test
        void shouldLetTheAuthoritativeSiteWinOnTheSameData() {
            // highest-version and authoritative-site (eu-west ranked first) on identical input:
            // the documented, different outcomes
            MergePolicy authoritative = MergePolicy.authoritativeSite(SiteOrder.of("eu-west", "us-east"));
            ConvergedView byVersion = convergedInEveryOrder(MergePolicy.highestVersion(), base, online, offline);
            ConvergedView bySite = convergedInEveryOrder(authoritative, base, online, offline);

            assertThat(byVersion.fields()).containsEntry("status", text("online"));
            assertThat(bySite.fields()).containsEntry("status", text("offline"));
            assertThat(bySite.winner()).isEqualTo(offline.dot());
            assertThat(byVersion.vector()).isEqualTo(bySite.vector());
            assertThat(byVersion.conflictId()).isNotEqualTo(bySite.conflictId()); // the policy is part of the id
        }

        @Test
        void shouldUseHybridClockNotVersionUnderLww() {
            ConvergedView v = convergedInEveryOrder(MergePolicy.lww(), base, online, offline);
            assertThat(v.fields()).containsEntry("status", text("offline")); // hlc 2000 > 1000
        }

        @Test
        void shouldBreakAVersionTieBySiteOrder() {
            Change tied = Change.builder("user42", new Dot("eu-west", 1)).saw(base.vector()).version(7)
                    .field("status", "away").build();
            ConvergedView v = convergedInEveryOrder(MergePolicy.highestVersion(), base, online, tied);
            assertThat(v.winner()).isEqualTo(online.dot()); // us-east is first in the site order
            MergeTable euFirst = new MergeTable(MergeConfig.of(SiteOrder.of("eu-west", "us-east"), MergePolicy.highestVersion()));
            euFirst.applyAll(List.of(base, online, tied));
            ConvergedView reversed = euFirst.view("user42");
            assertThat(reversed.winner()).isEqualTo(tied.dot());
        }
    }

    /** docs/architecture.md §4's careful case: e0 (us-east) sets z; e2 (us-east, after e0) sets y; e1 (eu-west) sets x. */
    @Nested
    class FieldMerge {
        final Change e0 = Change.builder("order7", new Dot("us-east", 1)).op(Op.PATCH).field("z", "zed").build();
        final Change e2 = Change.builder("order7", new Dot("us-east", 2)).saw(e0.vector()).version(2).op(Op.PATCH)
                .field("z", "zed").field("y", "why").changed("y").build();
        final Change e1 = Change.builder("order7", new Dot("eu-west", 1)).op(Op.PATCH).field("x", "ex").build();

        @Test
        void shouldKeepOrthogonalFieldChanges() {
            ConvergedView v = convergedInEveryOrder(MergePolicy.fieldMerge(), e0, e1, e2);
            assertThat(v.fields()).isEqualTo(Map.of("x", text("ex"), "y", text("why"), "z", text("zed")));
            assertThat(v.frontier()).containsExactly(e1.dot(), e2.dot());
            assertThat(v.conflict()).isEqualTo(ConflictState.RESOLVED);
        }

        @Test
        void shouldKeepZFromE0ThroughE2EvenWhenE0ArrivesLast() {
            MergeTable t = table(MergePolicy.fieldMerge());
            t.applyAll(List.of(e1, e2));
            assertThat(t.view("order7").fields()).containsEntry("z", text("zed"));
            List<Decision> late = t.apply(e0);
            assertThat(late).extracting(Decision::kind).containsExactly(DecisionKind.STALE);
            assertThat(t.view("order7").fields()).isEqualTo(Map.of("x", text("ex"), "y", text("why"), "z", text("zed")));
        }

        @Test
        void shouldLoseTheOtherSidesFieldsUnderAWholeEntityPolicy() {
            // the same data under highest-version: e2 (v2) wins whole, eu-west's x is lost (and audited)
            ConvergedView v = convergedInEveryOrder(MergePolicy.highestVersion(), e0, e1, e2);
            assertThat(v.fields()).isEqualTo(Map.of("y", text("why"), "z", text("zed")));
        }

        @Test
        void shouldDecideTheSameFieldChangedConcurrentlyByHighestVersionAndAuditIt() {
            Change a = Change.builder("order7", new Dot("us-east", 1)).version(3).op(Op.PATCH).field("status", "paid").build();
            Change b = Change.builder("order7", new Dot("eu-west", 1)).version(4).op(Op.PATCH).field("status", "cancelled")
                    .field("note", "late").build();
            MergeTable t = table(MergePolicy.fieldMerge());
            t.applyAll(List.of(a, b));
            assertThat(t.view("order7").fields()).isEqualTo(Map.of("status", text("cancelled"), "note", text("late")));
            Decision d = t.log().decisions().get(0);
            assertThat(d.contestedFields()).containsExactly("status");
            assertThat(d.reason()).contains("contested [status] by highest version");
        }
    }

    @Test
    void shouldAuditALateFieldWriterThatRevealsAConcurrentChange() {
        // us-east sets f=false; concurrently eu-west sets f=null, then (after that) changes only g.
        // If eu-west:1 arrives last, until then nothing shows f was changed concurrently.
        Change us1 = Change.builder("k", new Dot("us-east", 1)).op(Op.PATCH).field("f", FieldValue.of(false)).build();
        Change eu1 = Change.builder("k", new Dot("eu-west", 1)).op(Op.PATCH).field("f", FieldValue.NULL).build();
        Change eu2 = Change.builder("k", new Dot("eu-west", 2)).saw(eu1.vector()).version(2).op(Op.PATCH)
                .field("f", FieldValue.NULL).field("g", FieldValue.of(1L)).changed("g").build();
        MergeTable t = new MergeTable(MergeConfig.of(SiteOrder.of("eu-west", "us-east"), MergePolicy.fieldMerge()));
        t.applyAll(List.of(us1, eu2));
        assertThat(t.view("k").fields()).containsEntry("f", FieldValue.of(false));

        List<Decision> ds = t.apply(eu1);

        // same version on both writers of f: eu-west is first in this site order
        assertThat(t.view("k").fields()).containsEntry("f", FieldValue.NULL).containsEntry("g", FieldValue.of(1L));
        assertThat(ds).extracting(Decision::kind).containsExactly(DecisionKind.CONCURRENT_UPDATE);
        assertThat(ds.get(0).contestedFields()).containsExactly("f");
        assertThat(ds.get(0).reason()).contains("late write eu-west:1");
        assertThat(ds.get(0).candidates()).extracting(Candidate::dot).containsExactly(eu1.dot(), eu2.dot(), us1.dot());
        // and the result is the one every order gives
        MergeTable inOrder = new MergeTable(MergeConfig.of(SiteOrder.of("eu-west", "us-east"), MergePolicy.fieldMerge()));
        inOrder.applyAll(List.of(eu1, eu2, us1));
        assertThat(inOrder.view("k")).isEqualTo(t.view("k"));
    }

    /** A delete against a concurrent update, under each policy. */
    @Nested
    class DeleteVsUpdate {
        final Change created = Change.builder("acct9", new Dot("us-east", 1)).field("status", "active").field("name", "ann").build();
        // eu-west deletes, us-east concurrently suspends; same version, eu-west has the later HLC
        final Change delete = Change.builder("acct9", new Dot("eu-west", 1)).saw(created.vector()).version(2)
                .hlc(new Hlc(200, 0)).op(Op.DELETE).changed("status", "name").build();
        final Change suspend = Change.builder("acct9", new Dot("us-east", 2)).saw(created.vector()).version(2)
                .hlc(new Hlc(100, 0)).op(Op.PATCH).field("status", "suspended").field("name", "ann").changed("status").build();

        Decision conflictUnder(MergePolicy policy) {
            MergeTable t = table(policy);
            t.applyAll(List.of(created, delete, suspend));
            List<Decision> ds = t.log().decisions();
            assertThat(ds).hasSize(1);
            assertThat(ds.get(0).kind()).isEqualTo(DecisionKind.DELETE_VS_UPDATE);
            assertThat(ds.get(0).losers()).hasSize(1);
            return ds.get(0);
        }

        @Test
        void highestVersionTieGoesToTheFirstSiteInOrder() {
            ConvergedView v = convergedInEveryOrder(MergePolicy.highestVersion(), created, delete, suspend);
            assertThat(v.deleted()).isFalse();
            assertThat(v.fields()).isEqualTo(Map.of("status", text("suspended"), "name", text("ann")));
            assertThat(conflictUnder(MergePolicy.highestVersion()).reason()).startsWith("update wins over delete");
        }

        @Test
        void authoritativeSiteLetsTheRankedSitesDeleteWin() {
            MergePolicy p = MergePolicy.authoritativeSite(SiteOrder.of("eu-west", "us-east"));
            ConvergedView v = convergedInEveryOrder(p, created, delete, suspend);
            assertThat(v.deleted()).isTrue();
            assertThat(v.fields()).isEmpty();
            assertThat(v.vector()).isEqualTo(VersionVector.of("us-east", 2, "eu-west", 1));
            assertThat(conflictUnder(p).reason()).startsWith("delete wins");
        }

        @Test
        void lwwLetsTheLaterHybridClockWin() {
            ConvergedView v = convergedInEveryOrder(MergePolicy.lww(), created, delete, suspend);
            assertThat(v.deleted()).isTrue();
            assertThat(conflictUnder(MergePolicy.lww()).winner()).isEqualTo(delete.dot());
        }

        @Test
        void fieldMergeKeepsOnlyTheFieldsTheUpdateChanged() {
            // entity level by highest-version (tie -> us-east): not deleted; the delete removed what it
            // observed (name), the concurrent update re-set status
            ConvergedView v = convergedInEveryOrder(MergePolicy.fieldMerge(), created, delete, suspend);
            assertThat(v.deleted()).isFalse();
            assertThat(v.fields()).isEqualTo(Map.of("status", text("suspended")));
            assertThat(conflictUnder(MergePolicy.fieldMerge()).reason()).startsWith("update wins over delete");
        }

        @Test
        void manualLeavesItPendingWithTheDeleteAsSibling() {
            ConvergedView v = convergedInEveryOrder(MergePolicy.manual(), created, delete, suspend);
            assertThat(v.conflict()).isEqualTo(ConflictState.PENDING);
            assertThat(v.winner()).isEqualTo(suspend.dot());
            assertThat(v.siblings()).containsExactly(delete.dot());
            assertThat(conflictUnder(MergePolicy.manual()).pending()).isTrue();
        }

        @Test
        void shouldNeverResurrectADeletedEntityWithACausallyOlderWrite() {
            Change deleteAfter = Change.builder("acct9", new Dot("eu-west", 1)).saw(created.vector()).version(2)
                    .op(Op.DELETE).build();
            for (MergePolicy p : List.of(MergePolicy.highestVersion(), MergePolicy.lww(), MergePolicy.fieldMerge(),
                    MergePolicy.manual(), MergePolicy.authoritativeSite(SiteOrder.of("us-east")))) {
                MergeTable t = table(p);
                t.apply(deleteAfter);
                List<Decision> ds = t.apply(created); // older write arrives after the delete
                assertThat(ds).extracting(Decision::kind).as(p.id()).containsExactly(DecisionKind.STALE);
                assertThat(t.view("acct9").deleted()).as(p.id()).isTrue();
                assertThat(t.view("acct9").fields()).as(p.id()).isEmpty();
            }
        }

        @Test
        void aWriteAfterTheDeleteRecreatesTheEntity() {
            Change recreate = Change.builder("acct9", new Dot("us-east", 3)).saw(VersionVector.of("us-east", 2, "eu-west", 1))
                    .version(3).field("status", "new").build();
            ConvergedView v = convergedInEveryOrder(MergePolicy.highestVersion(), created, delete, recreate);
            assertThat(v.deleted()).isFalse();
            assertThat(v.fields()).isEqualTo(Map.of("status", text("new")));
            assertThat(v.conflict()).isEqualTo(ConflictState.NONE);
        }
    }

    @Nested
    class Manual {
        final Change a = Change.builder("cfg:limits", new Dot("us-east", 1)).version(1).field("max", FieldValue.of(10L)).build();
        final Change b = Change.builder("cfg:limits", new Dot("eu-west", 1)).version(1).field("max", FieldValue.of(20L)).build();
        final MergeConfig config = MergeConfig.of(ORDER, MergePolicy.highestVersion()).withPrefix("cfg:", MergePolicy.manual());

        @Test
        void shouldStayPendingUntilAWriteDominatesEverySibling() {
            MergeTable site = new MergeTable(config);
            site.applyAll(List.of(a, b));

            // pending: provisional winner by highest version (tie -> us-east), the sibling listed
            ConvergedView pending = site.view("cfg:limits");
            assertThat(pending.conflict()).isEqualTo(ConflictState.PENDING);
            assertThat(pending.policy()).isEqualTo("manual");
            assertThat(pending.winner()).isEqualTo(a.dot());
            assertThat(pending.fields()).containsEntry("max", FieldValue.of(10L));
            assertThat(pending.siblings()).containsExactly(b.dot());
            assertThat(site.log().statusLine()).isEqualTo("conflicts=1 merged=0 pending=1");

            // a write that saw only one sibling does not end it
            Change partial = Change.builder("cfg:limits", new Dot("us-east", 2)).saw(a.vector()).version(2)
                    .field("max", FieldValue.of(15L)).build();
            site.apply(partial);
            assertThat(site.view("cfg:limits").conflict()).isEqualTo(ConflictState.PENDING);
            assertThat(site.log().pending()).isEqualTo(1);

            // the operator's resolution: a normal write that dominates every sibling
            Change resolution = Change.builder("cfg:limits", new Dot("eu-west", 2))
                    .saw(VersionVector.of("us-east", 2, "eu-west", 1)).version(3).field("max", FieldValue.of(12L)).build();
            List<Decision> ds = site.apply(resolution);

            assertThat(ds).extracting(Decision::kind).containsExactly(DecisionKind.MANUAL_RESOLUTION);
            assertThat(ds.get(0).losers()).containsExactly(b.dot(), partial.dot());
            ConvergedView resolved = site.view("cfg:limits");
            assertThat(resolved.conflict()).isEqualTo(ConflictState.NONE);
            assertThat(resolved.siblings()).isEmpty();
            assertThat(resolved.fields()).containsEntry("max", FieldValue.of(12L));
            assertThat(site.log().pending()).isZero();
            assertThat(site.log().manualResolutions()).isEqualTo(1);
        }

        @Test
        void shouldApplyThePolicyOfTheLongestKeyPrefix() {
            MergeConfig c = config.withPrefix("cfg:limits", MergePolicy.lww()).withPrefix("c", MergePolicy.fieldMerge());
            assertThat(c.policyFor("cfg:limits").id()).isEqualTo("lww");
            assertThat(c.policyFor("cfg:other").id()).isEqualTo("manual");
            assertThat(c.policyFor("cart").id()).isEqualTo("field-merge");
            assertThat(c.policyFor("user42").id()).isEqualTo("highest-version");
        }
    }

    @Nested
    class Bookkeeping {
        final Change a = Change.builder("k", new Dot("us-east", 1)).field("v", "1").build();
        final Change b = Change.builder("k", new Dot("us-east", 2)).saw(a.vector()).version(2).field("v", "2").build();

        @Test
        void shouldReportADuplicateAndChangeNothing() {
            Merge merge = new Merge(MergeConfig.of(ORDER, MergePolicy.highestVersion()));
            MergeState s = merge.apply(MergeState.empty("k"), a).state();
            Merge.Applied again = merge.apply(s, a);
            assertThat(again.state()).isSameAs(s);
            assertThat(again.decisions()).extracting(Decision::kind).containsExactly(DecisionKind.DUPLICATE);
            assertThat(again.decisions().get(0).candidates()).extracting(Candidate::dot).containsExactly(a.dot());
            assertThat(again.decisions().get(0).losers()).isEmpty();
        }

        @Test
        void shouldReportAStaleEventAndKeepTheNewerValue() {
            MergeTable t = table(MergePolicy.highestVersion());
            t.apply(b);
            List<Decision> ds = t.apply(a);
            assertThat(ds).extracting(Decision::kind).containsExactly(DecisionKind.STALE);
            assertThat(ds.get(0).winner()).isEqualTo(b.dot());
            assertThat(t.view("k").fields()).containsEntry("v", text("2"));
            assertThat(t.log().statusLine()).isEqualTo("conflicts=0 merged=0 pending=0");
        }

        @Test
        void shouldRejectADotMintedTwiceWithOtherContent() {
            Change reused = Change.builder("k", new Dot("us-east", 2)).saw(a.vector()).version(2).field("v", "other").build();
            MergeTable t = table(MergePolicy.highestVersion());
            t.applyAll(List.of(a, b));
            assertThat(t.apply(reused)).extracting(Decision::kind).containsExactly(DecisionKind.REJECTED);
            Change reusedOlder = Change.builder("k", new Dot("us-east", 1)).version(5).field("v", "x").build();
            Change c = Change.builder("k", new Dot("eu-west", 1)).saw(b.vector()).version(3).build();
            t.apply(c);
            assertThat(t.apply(reusedOlder)).extracting(Decision::kind).containsExactly(DecisionKind.STALE);
            assertThat(t.view("k").winner()).isEqualTo(c.dot());
        }

        @Test
        void shouldRefuseAnEventForAnotherKey() {
            Merge merge = new Merge(MergeConfig.of(ORDER, MergePolicy.highestVersion()));
            assertThatThrownBy(() -> merge.apply(MergeState.empty("other"), a))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k'").hasMessageContaining("'other'");
        }

        @Test
        void shouldRefuseAnEventWhoseVectorDoesNotHoldItsDot() {
            assertThatThrownBy(() -> new Change("k", new Dot("us-east", 3), VersionVector.of("us-east", 2), 1, Hlc.zero(),
                    Op.UPSERT, new java.util.TreeMap<>(), new java.util.TreeSet<>(), null, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("us-east:3");
        }
    }
}
