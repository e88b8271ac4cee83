package io.netsplit.reconcile.merge;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How a conflict — a causal frontier with more than one event — is resolved. A policy must be a
 * pure function of the frontier it is given (a list of pairwise-concurrent events sorted by dot) and
 * the site order: anything else breaks convergence, and the merge laws' property tests will find it.
 *
 * <p>The built-in policies and their ids: {@code highest-version}, {@code authoritative-site},
 * {@code lww}, {@code field-merge}, {@code manual}. The module README states each one's rule, its
 * guarantee and what it can lose.
 */
public interface MergePolicy {

    /** How the converged value is formed from the frontier. */
    enum Mode {
        /** The winner's whole entity is the converged value; the conflict is resolved. */
        WHOLE_ENTITY,
        /** Fields are merged one by one from per-field causal information; the conflict is resolved. */
        FIELD_MERGE,
        /** The winner is provisional and the conflict stays pending until a dominating write. */
        MANUAL
    }

    /** Stable id, part of every decision id; the same on every site. */
    String id();

    Mode mode();

    /** The winning event among a non-empty frontier of pairwise-concurrent events sorted by dot. */
    Change winner(List<Change> frontier, SiteOrder siteOrder);

    /** One-line rule used in audit reasons, e.g. "highest version wins". */
    String rule();

    static MergePolicy highestVersion() {
        return HighestVersion.INSTANCE;
    }

    static MergePolicy authoritativeSite(SiteOrder ranking) {
        return new AuthoritativeSite(ranking);
    }

    static MergePolicy lww() {
        return LastWriterWins.INSTANCE;
    }

    static MergePolicy fieldMerge() {
        return FieldMerge.INSTANCE;
    }

    static MergePolicy manual() {
        return Manual.INSTANCE;
    }

    /**
     * The ids of the built-in policies, in the order the docs list them: the one list that
     * configuration, scenario manifests and the merge laws' property tests draw from.
     */
    static List<String> ids() {
        return List.of(HighestVersion.ID, AuthoritativeSite.ID, LastWriterWins.ID, FieldMerge.ID, Manual.ID);
    }

    /**
     * A built-in policy by id. {@code ranking} is used by {@code authoritative-site} only.
     *
     * @throws IllegalArgumentException naming the unknown id and the known ones
     */
    static MergePolicy byId(String id, SiteOrder ranking) {
        return switch (Objects.requireNonNull(id, "policy id")) {
            case HighestVersion.ID -> highestVersion();
            case AuthoritativeSite.ID -> authoritativeSite(ranking);
            case LastWriterWins.ID -> lww();
            case FieldMerge.ID -> fieldMerge();
            case Manual.ID -> manual();
            default -> throw new IllegalArgumentException("unknown merge policy '" + id
                    + "'; known: " + String.join(", ", ids()));
        };
    }

    /**
     * The seed rule, as a comparator where greater wins: higher Lamport version, then the preferred
     * site in the configured order, then the greater dot. Also used by field-merge per field and by
     * manual for the provisional winner.
     */
    static Comparator<Change> highestVersionOrder(SiteOrder order) {
        return Comparator.comparingLong(Change::version)
                .thenComparing((a, b) -> order.prefer(a.site(), b.site()))
                .thenComparing(Change::dot);
    }

    /** {@code highest-version}: highest Lamport version, then site order, then dot. */
    record HighestVersion() implements MergePolicy {
        static final String ID = "highest-version";
        static final HighestVersion INSTANCE = new HighestVersion();

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Mode mode() {
            return Mode.WHOLE_ENTITY;
        }

        @Override
        public Change winner(List<Change> frontier, SiteOrder siteOrder) {
            return frontier.stream().max(highestVersionOrder(siteOrder)).orElseThrow();
        }

        @Override
        public String rule() {
            return "highest version wins, ties by site order then dot";
        }
    }

    /** {@code authoritative-site}: the best-ranked site wins; within a site, version, then dot. */
    record AuthoritativeSite(SiteOrder ranking) implements MergePolicy {
        static final String ID = "authoritative-site";

        public AuthoritativeSite {
            Objects.requireNonNull(ranking, "ranking");
        }

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Mode mode() {
            return Mode.WHOLE_ENTITY;
        }

        @Override
        public Change winner(List<Change> frontier, SiteOrder siteOrder) {
            Comparator<Change> bySite = (a, b) -> ranking.prefer(a.site(), b.site());
            Comparator<Change> order = bySite
                    .thenComparingLong(Change::version)
                    .thenComparing(Change::dot);
            return frontier.stream().max(order).orElseThrow();
        }

        @Override
        public String rule() {
            return "authoritative site wins (" + ranking + "), then version";
        }
    }

    /** {@code lww}: highest hybrid logical clock, then site order, then dot. Never wall time. */
    record LastWriterWins() implements MergePolicy {
        static final String ID = "lww";
        static final LastWriterWins INSTANCE = new LastWriterWins();

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Mode mode() {
            return Mode.WHOLE_ENTITY;
        }

        @Override
        public Change winner(List<Change> frontier, SiteOrder siteOrder) {
            Comparator<Change> order = Comparator.comparing(Change::hlc)
                    .thenComparing((a, b) -> siteOrder.prefer(a.site(), b.site()))
                    .thenComparing(Change::dot);
            return frontier.stream().max(order).orElseThrow();
        }

        @Override
        public String rule() {
            return "highest hybrid logical clock wins, ties by site order then dot";
        }
    }

    /** {@code field-merge}: per field; the entity-level winner (deleted flag, winner) by highest-version. */
    record FieldMerge() implements MergePolicy {
        static final String ID = "field-merge";
        static final FieldMerge INSTANCE = new FieldMerge();

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Mode mode() {
            return Mode.FIELD_MERGE;
        }

        @Override
        public Change winner(List<Change> frontier, SiteOrder siteOrder) {
            return HighestVersion.INSTANCE.winner(frontier, siteOrder);
        }

        @Override
        public String rule() {
            return "orthogonal field changes kept, same field by highest version";
        }
    }

    /** {@code manual}: provisional winner by highest-version; the conflict stays pending. */
    record Manual() implements MergePolicy {
        static final String ID = "manual";
        static final Manual INSTANCE = new Manual();

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Mode mode() {
            return Mode.MANUAL;
        }

        @Override
        public Change winner(List<Change> frontier, SiteOrder siteOrder) {
            return HighestVersion.INSTANCE.winner(frontier, siteOrder);
        }

        @Override
        public String rule() {
            return "pending until an operator write dominates every sibling; provisional winner by highest version";
        }
    }
}
