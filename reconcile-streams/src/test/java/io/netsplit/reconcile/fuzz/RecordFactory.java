package io.netsplit.reconcile.fuzz;

import io.netsplit.reconcile.fuzz.RecordRecipe.Kind;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.Dot;
import io.netsplit.schemas.Hlc;
import io.netsplit.schemas.Limits;
import io.netsplit.schemas.Operation;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the recipes of one case into records. Dots are fresh for the whole run (a counter per site), and a
 * well-formed event's vector names only what the case already delivered for its key, so that it is never stale:
 * merging it must put its dot into the key's converged vector.
 */
final class RecordFactory {

    /** The writing sites; the reconciler under test is the first one's. */
    static final List<String> SITES = List.of("us-east", "eu-west", "ap-south");
    /** Every input topic of the first site: its own changes and the mirrored ones. */
    static final List<String> TOPICS = List.of("changes", "eu-west.changes", "ap-south.changes");

    /** One record to pipe and what must become of it. */
    record Input(String topic, byte[] key, byte[] value, Kind kind, String entityKey, String site, long counter) {
        @Override
        public String toString() {
            return kind + " on " + topic + " key=" + (key == null ? "null" : "'" + new String(key, StandardCharsets.UTF_8) + "'")
                    + (site == null ? "" : " dot=" + site + ":" + counter)
                    + " value=" + (value == null ? "null" : value.length + " bytes");
        }
    }

    private final Serializer<ChangeEvent> serializer;
    private final Map<String, Long> counters = new HashMap<>();
    private long run;

    RecordFactory(Serializer<ChangeEvent> serializer) {
        this.serializer = serializer;
    }

    /** The records of one case, on keys no earlier case used (as UTF-8 holds them: a lone surrogate becomes '?'). */
    List<Input> inputs(RecordRecipe.Case c) {
        run++;
        List<String> keys = c.keys().stream()
                .map(k -> new String(("f" + run + "-" + k).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).toList();
        Map<String, Map<String, Long>> delivered = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        List<Input> out = new ArrayList<>();
        for (RecordRecipe r : c.records()) {
            String key = keys.get(r.keyPick());
            if (r.kind() == Kind.REDELIVERY) {
                Input earlier = out.stream().filter(i -> i.kind().wellFormed() && i.kind() != Kind.REDELIVERY)
                        .reduce((a, b) -> b).orElse(null);
                if (earlier != null) {
                    out.add(new Input(TOPICS.get(r.topic()), earlier.key(), earlier.value(), Kind.REDELIVERY,
                            earlier.entityKey(), earlier.site(), earlier.counter()));
                    continue;
                }
                r = new RecordRecipe(Kind.UPSERT, r.origin(), r.topic(), r.keyPick(), r.fields(), r.wide(), r.cut(), r.noise());
            }
            out.add(input(r, key, delivered.computeIfAbsent(key, k -> new TreeMap<>()), versions));
        }
        return out;
    }

    private Input input(RecordRecipe r, String key, Map<String, Long> seen, Map<String, Long> versions) {
        String site = SITES.get(r.origin());
        long counter = counters.merge(site, 1L, Long::sum);
        String topic = TOPICS.get(r.topic());
        ChangeEvent e = event(r, key, site, counter, seen, versions.getOrDefault(key, 0L) + 1);
        byte[] value = serializer.serialize(topic, e);
        byte[] recordKey = e.getKey().getBytes(StandardCharsets.UTF_8);
        switch (r.kind()) {
            case UPSERT, PATCH, DELETE -> {
                seen.put(site, counter);
                versions.put(key, e.getVersion());
            }
            case TRUNCATED -> value = Arrays.copyOf(value, r.cut() % value.length);
            case GARBAGE -> value = garbage(r.noise());
            case WRONG_MAGIC -> value[0] = (byte) (1 + r.cut() % 255);
            case UNKNOWN_SCHEMA -> ByteBuffer.wrap(value).putInt(1, 900_000 + r.cut());
            case TOMBSTONE -> value = null;
            case NULL_KEY -> recordKey = null;
            case NON_UTF8_KEY -> recordKey = new byte[] {(byte) 0xc3, (byte) 0x28, (byte) (0x80 | r.cut() % 64)};
            case EMPTY_KEY, KEY_MISMATCH -> recordKey = key.getBytes(StandardCharsets.UTF_8);
            case OVERSIZED -> value = Arrays.copyOf(value, Limits.EVENT_BYTES + 1 + r.cut());
            default -> {
                // the event itself breaks an invariant: see event()
            }
        }
        return new Input(topic, recordKey, value, r.kind(), key, site, counter);
    }

    private static byte[] garbage(byte[] noise) {
        byte[] b = noise.length == 0 ? new byte[] {1} : noise.clone();
        if (b[0] == 0) {
            b[0] = 1; // a zero would be the wire format's magic byte
        }
        return b;
    }

    private static ChangeEvent event(RecordRecipe r, String key, String site, long counter, Map<String, Long> seen, long version) {
        Operation op = switch (r.kind()) {
            case PATCH -> Operation.PATCH;
            case DELETE, DELETE_WITH_FIELDS -> Operation.DELETE;
            default -> Operation.UPSERT;
        };
        Map<String, Long> vector = new TreeMap<>(seen);
        for (int i = 0; i < r.wide(); i++) {
            vector.put("made-up-" + i, 1L + i);
        }
        vector.put(site, counter);
        Map<String, Object> fields = op == Operation.DELETE && r.kind() != Kind.DELETE_WITH_FIELDS
                ? Map.of() : new LinkedHashMap<>(r.fields());
        if (r.kind() == Kind.DELETE_WITH_FIELDS && fields.isEmpty()) {
            fields.put("left", "over");
        }
        String eventKey = key;
        String origin = site;
        long dotCounter = counter;
        switch (r.kind()) {
            case EMPTY_KEY -> eventKey = "";
            case KEY_MISMATCH -> eventKey = key + "#";
            case LONG_KEY -> eventKey = key + "k".repeat(Limits.KEY_BYTES + r.cut() % 64);
            case NO_OWN_DOT -> vector.remove(site);
            case ZERO_COUNTER -> {
                dotCounter = 0;
                vector.put(site, 0L);
            }
            case NEGATIVE_ENTRY -> vector.put("made-up-negative", -1L - r.cut());
            case ZERO_VERSION -> version = 0;
            case ORIGIN_NOT_DOT -> origin = SITES.get((r.origin() + 1) % SITES.size());
            case TOO_MANY_SITES -> {
                for (int i = vector.size(); i <= Limits.VECTOR_SITES; i++) {
                    vector.put("crowd-" + i, 1L);
                }
            }
            default -> {
            }
        }
        return new ChangeEvent(eventKey, origin, new Dot(site, dotCounter), vector, version,
                new Hlc(1_700_000_000_000L + counter, r.cut() % 3), op, fields, new ArrayList<>(fields.keySet()), null,
                1_700_000_000_000L + counter);
    }
}
