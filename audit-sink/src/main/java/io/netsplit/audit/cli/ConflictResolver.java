package io.netsplit.audit.cli;

import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Sibling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans the write that ends a pending conflict: the fields of the sibling kept ({@code --keep SITE})
 * or the fields an operator supplied, written at one site through its ordinary write API. The
 * writer mints a vector that dominates everything the site has seen, and the site has seen every
 * sibling (its converged state lists them as PENDING), so the resolution dominates them all; it
 * replicates like any write and ends the conflict at every site.
 */
public final class ConflictResolver {

    /**
     * A planned resolution.
     *
     * @param site     where it is written
     * @param key      entity key
     * @param delete   true to write a delete (the kept sibling proposed deleting the entity)
     * @param fields   the fields to PUT (empty for a delete)
     * @param siblings the pending siblings it supersedes, as {@code site:counter}
     */
    public record Plan(String site, String key, boolean delete, Map<String, Object> fields, List<String> siblings) {
    }

    private final ConvergedLookup lookup;

    public ConflictResolver(ConvergedLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * The resolution of {@code key} written at {@code site}: keep the sibling from {@code keepSite},
     * or write {@code fields}; exactly one of them is non-null.
     */
    public Plan plan(String key, String site, String keepSite, Map<String, Object> fields) {
        if ((keepSite == null) == (fields == null)) {
            throw new IllegalArgumentException("give exactly one of --keep SITE and --fields-file FILE");
        }
        ConvergedRecord record = lookup.latest(site, key).orElseThrow(() -> new IllegalStateException(
                "key '" + key + "' has no converged state at " + site));
        List<String> siblings = record.getSiblings().stream()
                .map(s -> s.getDot().getSite() + ":" + s.getDot().getCounter()).toList();
        if (record.getConflictState() != ConflictState.PENDING) {
            throw new IllegalStateException("key '" + key + "' has no pending conflict at " + site
                    + " (conflict state " + record.getConflictState() + ")");
        }
        if (fields != null) {
            return new Plan(site, key, false, new LinkedHashMap<>(fields), siblings);
        }
        Sibling kept = record.getSiblings().stream()
                .filter(s -> Objects.equals(s.getOriginSite(), keepSite))
                .max((a, b) -> Long.compare(a.getDot().getCounter(), b.getDot().getCounter()))
                .orElseThrow(() -> new IllegalArgumentException("no pending sibling of key '" + key + "' comes from "
                        + keepSite + "; the siblings at " + site + " are " + siblings));
        if (kept.getOp() == Operation.DELETE) {
            return new Plan(site, key, true, Map.of(), siblings);
        }
        Map<String, Object> keptFields = new LinkedHashMap<>();
        kept.getFields().forEach((k, v) -> keptFields.put(k.toString(), v instanceof CharSequence cs ? cs.toString() : v));
        return new Plan(site, key, false, keptFields, siblings);
    }
}
