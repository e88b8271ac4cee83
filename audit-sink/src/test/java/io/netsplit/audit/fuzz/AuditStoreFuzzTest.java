package io.netsplit.audit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.audit.AuditRecords;
import io.netsplit.audit.store.AuditStore;
import io.netsplit.audit.store.AuditStoreException;
import io.netsplit.audit.store.DecisionFilter;
import io.netsplit.audit.store.SourcePosition;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.Candidate;
import io.netsplit.schemas.DecisionConflictState;
import io.netsplit.schemas.DecisionKind;
import io.netsplit.schemas.Dot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Fuzz of the audit store's inputs on its embedded database (SQLite): generated audit events — odd sites, keys,
 * policies and reasons (quotes, SQL, any Unicode, long text), extreme numbers, 0–4 candidates, with and without a
 * winner, every kind and conflict state — mapped as the sink maps them ({@link AuditRecords}), stored in batches with
 * redeliveries, then every one read back equal, and generated query filters (site, key, since, kinds, limit) answered
 * exactly as a model of what was stored says; or refused with one clear {@link AuditStoreException} or
 * {@link IllegalArgumentException}, and the store goes on working. One store serves every try. The seed is
 * {@link FuzzSeed#SEED}.
 */
class AuditStoreFuzzTest {

    private static final List<String> SITES = List.of("us-east", "eu-west", "ap-south");
    private static final List<String> ODD = List.of("", " ", "'", "''; DROP TABLE audit_decision; --", "%", "_", "\\",
            "\"", "\u0000", "\u00e9t\u00e9", "\u4e16\u754c", "\ud83d\ude00", "a\nb", "null", "NULL", "x".repeat(2000));

    private Path dir;
    private AuditStore store;
    private final Map<String, StoredDecision> model = new HashMap<>();
    private long nextSequence = 1;

    /** A generated batch: events to store (some delivered twice) and filters to query afterwards. */
    record Batch(List<AuditEvent> events, List<Boolean> redeliver, List<Query> queries) {
    }

    /** A generated query; indexes pick a site and a key from what was stored. */
    record Query(int site, int key, Long since, Set<DecisionKind> kinds, int limit) {
    }

    @Provide
    Arbitrary<Batch> batches() {
        return batchArbitrary();
    }

    static Arbitrary<Batch> batchArbitrary() {
        // as the sink decodes them from UTF-8: a lone surrogate (which no audit record can carry) becomes '?'
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.of(ODD), Arbitraries.strings().all().ofMaxLength(20),
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10))
                .map(t -> new String(t.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        Arbitrary<String> site = Arbitraries.oneOf(Arbitraries.of(SITES), text);
        Arbitrary<Map<String, Long>> vector = Arbitraries.maps(site, Arbitraries.longs().between(0, Long.MAX_VALUE)).ofMaxSize(4);
        Arbitrary<Dot> dot = Combinators.combine(site, Arbitraries.longs()).as(Dot::new);
        Arbitrary<Candidate> candidate = Combinators.combine(dot, site, Arbitraries.longs(), vector, text)
                .as((d, s, v, vv, digest) -> Candidate.newBuilder().setDot(d).setSite(s).setVersion(v).setVersionVector(vv)
                        .setFieldsDigest(digest).build());
        Arbitrary<AuditEvent> events = Combinators.combine(
                        Combinators.combine(text, site, text, Arbitraries.of(DecisionKind.class), text).as(List::<Object>of),
                        candidate.list().ofMaxSize(4), dot.injectNull(0.3), vector, text,
                        Arbitraries.longs().between(-1, 4_102_444_800_000L),
                        Arbitraries.of(DecisionConflictState.class).injectNull(0.2))
                .as((h, candidates, winner, resulting, reason, at, state) -> AuditEvent.newBuilder()
                        .setDecisionId((String) h.get(0)).setDecidingSite((String) h.get(1)).setSequence(0)
                        .setKey((String) h.get(2)).setKind((DecisionKind) h.get(3)).setPolicy((String) h.get(4))
                        .setCandidates(candidates).setWinner(winner).setResultingVector(resulting).setReason(reason)
                        .setDecidedAtMillis(at).setConflictState(state).build());
        Arbitrary<Query> queries = Combinators.combine(Arbitraries.integers().between(-1, 5), Arbitraries.integers().between(-1, 20),
                Arbitraries.longs().between(-1, 4_102_444_800_000L).injectNull(0.5),
                Arbitraries.subsetOf(DecisionKind.values()), Arbitraries.integers().between(0, 5)).as(Query::new);
        return Combinators.combine(events.list().ofMinSize(1).ofMaxSize(6), Arbitraries.of(true, false).list().ofSize(6),
                queries.list().ofMaxSize(3)).as(Batch::new);
    }

    /**
     * The property's check, for the real store and for a planted defect.
     *
     * @param plant what stands between the batch and the store: the identity, or a defect
     * @return what was wrong, if anything
     */
    Optional<String> violation(Batch b, UnaryOperator<List<StoredDecision>> plant) {
        List<StoredDecision> decisions = new ArrayList<>();
        for (int i = 0; i < b.events().size(); i++) {
            AuditEvent e = b.events().get(i);
            e.setSequence(nextSequence++);
            StoredDecision d = AuditRecords.toStored(e, new SourcePosition("audit", 0, e.getSequence()));
            decisions.add(d);
            if (b.redeliver().get(i)) {
                decisions.add(d);
            }
        }
        try {
            store.store(plant.apply(decisions));
            decisions.forEach(d -> model.put(id(d), d));
        } catch (AuditStoreException | IllegalArgumentException refused) {
            String m = refused.getMessage();
            if (m == null || m.isBlank() || m.contains("\n")) {
                return Optional.of("a refusal without a one-line reason: " + m);
            }
            decisions.forEach(d -> model.remove(id(d)));
        } catch (RuntimeException e) {
            return Optional.of("store threw " + e);
        }
        try {
            for (StoredDecision d : decisions) {
                boolean expected = model.containsKey(id(d));
                Optional<StoredDecision> back = store.get(d.decidingSite(), d.sequence());
                if (expected && (back.isEmpty() || !back.get().sameContentAs(d)
                        || !d.conflictState().equals(back.get().conflictState()))) {
                    return Optional.of("stored (" + d.decidingSite().replace("\u0000", "\\0") + ", " + d.sequence()
                            + ") but read back " + back.map(r -> "a decision differing in " + differences(d, r)).orElse("nothing"));
                }
                if (!expected && back.isPresent()) {
                    return Optional.of("a refused batch left " + back.get());
                }
            }
            for (Query q : b.queries()) {
                Optional<String> wrong = query(q, decisions);
                if (wrong.isPresent()) {
                    return wrong;
                }
            }
        } catch (RuntimeException e) {
            return Optional.of("reading back threw " + e);
        }
        return store.healthy() ? Optional.empty() : Optional.of("the store is no longer healthy");
    }

    private Optional<String> query(Query q, List<StoredDecision> batch) {
        String site = q.site() < 0 || batch.isEmpty() ? null : batch.get(q.site() % batch.size()).decidingSite();
        String key = q.key() < 0 || batch.isEmpty() ? null : batch.get(q.key() % batch.size()).key();
        Set<String> kinds = q.kinds().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet());
        DecisionFilter f = new DecisionFilter(site, key, q.since(), false, kinds, q.limit());
        List<StoredDecision> expected = model.values().stream()
                .filter(d -> site == null || d.decidingSite().equals(site))
                .filter(d -> key == null || d.key().equals(key))
                .filter(d -> q.since() == null || d.decidedAtMillis() >= q.since())
                .filter(d -> kinds.isEmpty() || kinds.contains(d.kind()))
                .sorted(Comparator.comparingLong(StoredDecision::decidedAtMillis)).toList();
        List<StoredDecision> got = store.find(f);
        int size = q.limit() == 0 ? expected.size() : Math.min(q.limit(), expected.size());
        Map<String, StoredDecision> byId = new LinkedHashMap<>();
        expected.forEach(d -> byId.put(id(d), d));
        boolean sameMembers = got.size() == size && got.stream().allMatch(d -> byId.containsKey(id(d))
                && byId.get(id(d)).sameContentAs(d));
        boolean ordered = java.util.stream.IntStream.range(1, got.size())
                .allMatch(i -> got.get(i - 1).decidedAtMillis() <= got.get(i).decidedAtMillis());
        boolean earliest = got.isEmpty() || size == expected.size()
                || got.get(got.size() - 1).decidedAtMillis() <= expected.get(size).decidedAtMillis();
        return sameMembers && ordered && earliest ? Optional.empty()
                : Optional.of(f + " answered " + got.size() + " decisions, the model " + size + " of " + expected.size());
    }

    /** The components of two decisions that differ, by name (values may be long or unprintable). */
    private static List<String> differences(StoredDecision a, StoredDecision b) {
        List<String> out = new ArrayList<>();
        for (var c : StoredDecision.class.getRecordComponents()) {
            try {
                Object x = c.getAccessor().invoke(a);
                Object y = c.getAccessor().invoke(b);
                if (!c.getName().equals("pending") && !java.util.Objects.equals(x, y)) {
                    out.add(c.getName() + ": " + printable(x) + " -> " + printable(y));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static String printable(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(120).forEach(cp -> b.append(cp < 0x20 || cp == 0x7f ? String.format("\\u%04x", cp) : Character.toString(cp)));
        return b + (s.length() > 120 ? "…" : "");
    }

    private static String id(StoredDecision d) {
        return d.decidingSite() + "\u0001" + d.sequence();
    }

    @Property(tries = 1000, seed = FuzzSeed.SEED)
    void everyDecisionIsStoredAndFoundOrRefusedClearly(@ForAll("batches") Batch b) {
        open();
        assertThat(violation(b, UnaryOperator.identity())).isEmpty();
    }

    /** A store that silently drops the rows of long reasons must fail the check; the real one passes the same cases. */
    @Example
    void theCheckFindsAStoreThatDropsARow() {
        open();
        UnaryOperator<List<StoredDecision>> dropLongReasons = ds -> ds.stream().filter(d -> d.reason().length() <= 15).toList();
        RandomGenerator<Batch> generator = batchArbitrary().generator(1000);
        Random random = new Random(Long.parseLong(FuzzSeed.SEED));
        Optional<String> found = Optional.empty();
        for (int i = 0; i < 300 && found.isEmpty(); i++) {
            Batch b = generator.next(random).value();
            assertThat(violation(b, UnaryOperator.identity())).isEmpty();
            found = violation(generator.next(random).value(), dropLongReasons);
        }
        assertThat(found).hasValueSatisfying(v -> assertThat(v).contains("stored").contains("read back nothing"));
    }

    private void open() {
        if (store == null) {
            try {
                dir = Files.createTempDirectory("audit-fuzz");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store = AuditStore.open("jdbc:sqlite:" + dir.resolve("audit.db"), null, null);
        }
    }

    @AfterProperty
    void close() throws IOException {
        if (store != null) {
            store.close();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
