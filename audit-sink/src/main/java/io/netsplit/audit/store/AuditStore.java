package io.netsplit.audit.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.kit.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The SQL audit store: SQLite (a file, the embedded default) or PostgreSQL, chosen by the JDBC URL.
 * Rows are keyed by (deciding site, sequence), so storing a record twice (a redelivery, a replay of
 * the audit topic, a repair) inserts nothing the second time. A ledger per deciding site keeps the
 * lowest and highest sequence ever received, so {@link #audit(String)} finds every missing range,
 * also at the ends. Each {@link #store(List)} is one transaction: the caller commits its Kafka
 * offsets only after it returns.
 *
 * <p>Thread-safe: one connection, used by one caller at a time.
 */
public final class AuditStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditStore.class);
    private static final ObjectMapper JSON = Json.mapper();
    private static final TypeReference<TreeMap<String, Long>> VECTOR = new TypeReference<>() {
    };

    /**
     * A conflict still awaiting an operator: a decision that left its conflict pending (its reconciler says so in the
     * AuditEvent's conflictState), with no later conflict or resolution for its key.
     */
    private static final String PENDING_EXPRESSION = """
            CASE WHEN d.conflict_state = 'PENDING'
                      AND NOT EXISTS (SELECT 1 FROM audit_decision l
                                      WHERE l.deciding_site = d.deciding_site AND l.entity_key = d.entity_key
                                        AND l.sequence > d.sequence
                                        AND l.kind IN ('CONCURRENT_UPDATE', 'DELETE_VS_UPDATE', 'MANUAL_RESOLUTION'))
                 THEN 1 ELSE 0 END""";

    private final String url;
    private final Properties properties;
    private final StoreDialect dialect;
    private Connection connection;

    /** What one {@link #store(List)} did. */
    public record StoreResult(int inserted, int alreadyStored, List<AuditAnomaly> collisions) {
    }

    private AuditStore(String url, Properties properties, StoreDialect dialect) {
        this.url = url;
        this.properties = properties;
        this.dialect = dialect;
    }

    /**
     * Opens (and creates, for SQLite) the store at {@code jdbcUrl} and migrates its schema.
     *
     * @param user     database user, or null (SQLite, or a user in the URL)
     * @param password database password, or null
     */
    public static AuditStore open(String jdbcUrl, String user, String password) {
        StoreDialect dialect = StoreDialect.of(jdbcUrl);
        Properties p = new Properties();
        if (user != null && !user.isBlank()) {
            p.setProperty("user", user);
        }
        if (password != null && !password.isBlank()) {
            p.setProperty("password", password);
        }
        AuditStore store = new AuditStore(jdbcUrl, p, dialect);
        try {
            if (dialect == StoreDialect.SQLITE) {
                sqliteFile(jdbcUrl).ifPresent(AuditStore::createParent);
            }
            synchronized (store) {
                Migrations.migrate(store.connection(), dialect);
            }
            return store;
        } catch (SQLException e) {
            store.close();
            throw new AuditStoreException("cannot open the audit store " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    public StoreDialect dialect() {
        return dialect;
    }

    /** The JDBC URL with any password parameter masked, for messages. */
    public String describe() {
        return redact(url);
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * Stores decisions in one transaction. Records already stored under the same (deciding site,
     * sequence) are left as they are; if such a record holds a different decision, that is a
     * sequence collision, kept as an anomaly and returned.
     */
    public synchronized StoreResult store(List<StoredDecision> decisions) {
        return store(decisions, List.of());
    }

    /** Stores decisions and anomalies (unreadable records) in one transaction. */
    public synchronized StoreResult store(List<StoredDecision> decisions, List<AuditAnomaly> anomalies) {
        if (decisions.isEmpty() && anomalies.isEmpty()) {
            return new StoreResult(0, 0, List.of());
        }
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            try {
                int inserted = 0;
                int already = 0;
                List<AuditAnomaly> collisions = new ArrayList<>();
                long now = System.currentTimeMillis();
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO audit_decision (deciding_site, sequence, decision_id, entity_key, kind, policy,
                            winner_site, winner_counter, resulting_vector, reason, decided_at_millis,
                            source_topic, source_partition, source_offset, stored_at_millis, conflict_state)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (deciding_site, sequence) DO NOTHING""");
                     PreparedStatement clearCandidates = c.prepareStatement(
                             "DELETE FROM audit_candidate WHERE deciding_site = ? AND sequence = ?");
                     PreparedStatement insertCandidate = c.prepareStatement("""
                             INSERT INTO audit_candidate (deciding_site, sequence, ordinal, dot_site, dot_counter, site,
                                 version, version_vector, fields_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    for (StoredDecision d : decisions) {
                        int i = 1;
                        insert.setString(i++, d.decidingSite());
                        insert.setLong(i++, d.sequence());
                        insert.setString(i++, d.decisionId());
                        insert.setString(i++, d.key());
                        insert.setString(i++, d.kind());
                        insert.setString(i++, d.policy());
                        if (d.winner() == null) {
                            insert.setNull(i++, Types.VARCHAR);
                            insert.setNull(i++, Types.BIGINT);
                        } else {
                            insert.setString(i++, d.winner().site());
                            insert.setLong(i++, d.winner().counter());
                        }
                        insert.setString(i++, json(d.resultingVector()));
                        insert.setString(i++, d.reason());
                        insert.setLong(i++, d.decidedAtMillis());
                        insert.setString(i++, d.source().topic());
                        insert.setInt(i++, d.source().partition());
                        insert.setLong(i++, d.source().offset());
                        insert.setLong(i++, now);
                        insert.setString(i, d.conflictState());
                        if (insert.executeUpdate() == 0) {
                            already++;
                            checkSameDecision(c, d).ifPresent(collisions::add);
                            continue;
                        }
                        inserted++;
                        // rows deleted behind the store's back (without cascading) may have left candidates
                        clearCandidates.setString(1, d.decidingSite());
                        clearCandidates.setLong(2, d.sequence());
                        clearCandidates.executeUpdate();
                        int ordinal = 0;
                        for (StoredCandidate cand : d.candidates()) {
                            int j = 1;
                            insertCandidate.setString(j++, d.decidingSite());
                            insertCandidate.setLong(j++, d.sequence());
                            insertCandidate.setInt(j++, ordinal++);
                            insertCandidate.setString(j++, cand.dot().site());
                            insertCandidate.setLong(j++, cand.dot().counter());
                            insertCandidate.setString(j++, cand.site());
                            insertCandidate.setLong(j++, cand.version());
                            insertCandidate.setString(j++, json(cand.versionVector()));
                            insertCandidate.setString(j, cand.fieldsDigest());
                            insertCandidate.addBatch();
                        }
                        insertCandidate.executeBatch();
                    }
                }
                updateLedger(c, decisions, now);
                List<AuditAnomaly> allAnomalies = new ArrayList<>(anomalies);
                allAnomalies.addAll(collisions);
                insertAnomalies(c, allAnomalies);
                c.commit();
                return new StoreResult(inserted, already, collisions);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("storing " + decisions.size() + " audit records", e);
        }
    }

    private Optional<AuditAnomaly> checkSameDecision(Connection c, StoredDecision d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT decision_id, entity_key FROM audit_decision WHERE deciding_site = ? AND sequence = ?")) {
            ps.setString(1, d.decidingSite());
            ps.setLong(2, d.sequence());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && !(rs.getString(1).equals(d.decisionId()) && rs.getString(2).equals(d.key()))) {
                    return Optional.of(new AuditAnomaly(AuditAnomaly.SEQUENCE_COLLISION, d.decidingSite(), d.sequence(),
                            "sequence already stored with decision " + rs.getString(1) + " for key " + rs.getString(2)
                                    + "; this record has decision " + d.decisionId() + " for key " + d.key(),
                            d.source(), System.currentTimeMillis()));
                }
            }
        }
        return Optional.empty();
    }

    private void updateLedger(Connection c, List<StoredDecision> decisions, long now) throws SQLException {
        Map<String, long[]> bounds = new TreeMap<>();
        for (StoredDecision d : decisions) {
            bounds.merge(d.decidingSite(), new long[] {d.sequence(), d.sequence()},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        String sql = "INSERT INTO audit_site (deciding_site, first_sequence, last_sequence, updated_at_millis) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (deciding_site) DO UPDATE SET "
                + "first_sequence = " + dialect.least() + "(audit_site.first_sequence, excluded.first_sequence), "
                + "last_sequence = " + dialect.greatest() + "(audit_site.last_sequence, excluded.last_sequence), "
                + "updated_at_millis = excluded.updated_at_millis";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<String, long[]> e : bounds.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setLong(2, e.getValue()[0]);
                ps.setLong(3, e.getValue()[1]);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
        }
    }

    private static void insertAnomalies(Connection c, List<AuditAnomaly> anomalies) throws SQLException {
        if (anomalies.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO audit_anomaly (source_topic, source_partition, source_offset, kind, deciding_site, sequence,
                    detail, seen_at_millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source_topic, source_partition, source_offset, kind) DO NOTHING""")) {
            for (AuditAnomaly a : anomalies) {
                ps.setString(1, a.source().topic());
                ps.setInt(2, a.source().partition());
                ps.setLong(3, a.source().offset());
                ps.setString(4, a.kind());
                ps.setString(5, a.decidingSite());
                if (a.sequence() == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, a.sequence());
                }
                ps.setString(7, a.detail());
                ps.setLong(8, a.seenAtMillis());
                ps.executeUpdate();
            }
        }
    }

    /**
     * Deletes the decisions of {@code decidingSite} with sequence numbers in [from, to], leaving the
     * ledger as it is: the way lost audit records look to {@link #audit(String)}. For drills
     * ({@code lose-audit}) and tests. Returns the number of decisions deleted.
     */
    public synchronized int deleteRange(String decidingSite, long from, long to) {
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM audit_candidate WHERE deciding_site = ? AND sequence BETWEEN ? AND ?")) {
                    ps.setString(1, decidingSite);
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    ps.executeUpdate();
                }
                int deleted;
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM audit_decision WHERE deciding_site = ? AND sequence BETWEEN ? AND ?")) {
                    ps.setString(1, decidingSite);
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    deleted = ps.executeUpdate();
                }
                c.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("deleting audit records", e);
        }
    }

    // ---- reading ---------------------------------------------------------------------------

    /** Decisions matching {@code filter}, ordered by (decided at, deciding site, sequence). */
    public synchronized List<StoredDecision> find(DecisionFilter filter) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (filter.decidingSite() != null) {
            where.append(" AND deciding_site = ?");
            params.add(filter.decidingSite());
        }
        if (filter.key() != null) {
            where.append(" AND entity_key = ?");
            params.add(filter.key());
        }
        if (filter.sinceMillis() != null) {
            where.append(" AND decided_at_millis >= ?");
            params.add(filter.sinceMillis());
        }
        if (filter.pendingOnly()) {
            where.append(" AND pending = 1");
        }
        if (!filter.kinds().isEmpty()) {
            where.append(" AND kind IN (")
                    .append(filter.kinds().stream().map(k -> "?").collect(Collectors.joining(", "))).append(')');
            params.addAll(new TreeSet<>(filter.kinds()));
        }
        String limit = filter.limit() > 0 ? " LIMIT " + filter.limit() : "";
        return query(where.toString(), limit, params);
    }

    /** Every stored record of one decision id (at several sequences if the site decided it more than once). */
    public synchronized List<StoredDecision> findByDecisionId(String decisionId) {
        return query(" WHERE decision_id = ?", "", List.of(decisionId));
    }

    /** One record by its identity. */
    public synchronized Optional<StoredDecision> get(String decidingSite, long sequence) {
        return query(" WHERE deciding_site = ? AND sequence = ?", "", List.of(decidingSite, sequence)).stream().findFirst();
    }

    private List<StoredDecision> query(String where, String limit, List<Object> params) {
        String sql = "WITH q AS (SELECT d.*, " + PENDING_EXPRESSION + " AS pending FROM audit_decision d) "
                + "SELECT s.deciding_site, s.sequence, s.decision_id, s.entity_key, s.kind, s.policy, s.winner_site, "
                + "s.winner_counter, s.resulting_vector, s.reason, s.decided_at_millis, s.source_topic, "
                + "s.source_partition, s.source_offset, s.conflict_state, s.pending, c.dot_site, c.dot_counter, c.site, "
                + "c.version, c.version_vector, c.fields_digest "
                + "FROM (SELECT * FROM q" + where + " ORDER BY decided_at_millis, deciding_site, sequence" + limit + ") s "
                + "LEFT JOIN audit_candidate c ON c.deciding_site = s.deciding_site AND c.sequence = s.sequence "
                + "ORDER BY s.decided_at_millis, s.deciding_site, s.sequence, c.ordinal";
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            bind(ps, params);
            List<StoredDecision> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                StoredDecision current = null;
                List<StoredCandidate> candidates = new ArrayList<>();
                while (rs.next()) {
                    String site = rs.getString("deciding_site");
                    long sequence = rs.getLong("sequence");
                    if (current == null || !current.decidingSite().equals(site) || current.sequence() != sequence) {
                        if (current != null) {
                            out.add(withCandidates(current, candidates));
                        }
                        current = decisionRow(rs);
                        candidates = new ArrayList<>();
                    }
                    String dotSite = rs.getString("dot_site");
                    if (dotSite != null) {
                        candidates.add(new StoredCandidate(new DotRef(dotSite, rs.getLong("dot_counter")),
                                rs.getString("site"), rs.getLong("version"), vector(rs.getString("version_vector")),
                                rs.getString("fields_digest")));
                    }
                }
                if (current != null) {
                    out.add(withCandidates(current, candidates));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("querying audit decisions", e);
        }
    }

    private static StoredDecision decisionRow(ResultSet rs) throws SQLException {
        String winnerSite = rs.getString("winner_site");
        DotRef winner = winnerSite == null ? null : new DotRef(winnerSite, rs.getLong("winner_counter"));
        return new StoredDecision(rs.getString("deciding_site"), rs.getLong("sequence"), rs.getString("decision_id"),
                rs.getString("entity_key"), rs.getString("kind"), rs.getString("policy"), List.of(), winner,
                vector(rs.getString("resulting_vector")), rs.getString("reason"), rs.getLong("decided_at_millis"),
                rs.getString("conflict_state"),
                new SourcePosition(rs.getString("source_topic"), rs.getInt("source_partition"), rs.getLong("source_offset")),
                rs.getInt("pending") == 1);
    }

    private static StoredDecision withCandidates(StoredDecision d, List<StoredCandidate> candidates) {
        return new StoredDecision(d.decidingSite(), d.sequence(), d.decisionId(), d.key(), d.kind(), d.policy(),
                candidates, d.winner(), d.resultingVector(), d.reason(), d.decidedAtMillis(), d.conflictState(), d.source(),
                d.pending());
    }

    /** Number of stored decisions, optionally of one deciding site. */
    public synchronized long count(String decidingSite) {
        String sql = "SELECT COUNT(*) FROM audit_decision" + (decidingSite == null ? "" : " WHERE deciding_site = ?");
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            if (decidingSite != null) {
                ps.setString(1, decidingSite);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("counting audit decisions", e);
        }
    }

    /** Anomalies kept so far, oldest first. */
    public synchronized List<AuditAnomaly> anomalies() {
        try (Statement s = connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, deciding_site, sequence, detail, source_topic, source_partition, "
                     + "source_offset, seen_at_millis FROM audit_anomaly ORDER BY seen_at_millis, source_topic, "
                     + "source_partition, source_offset")) {
            List<AuditAnomaly> out = new ArrayList<>();
            while (rs.next()) {
                long seq = rs.getLong(3);
                Long sequence = rs.wasNull() ? null : seq;
                out.add(new AuditAnomaly(rs.getString(1), rs.getString(2), sequence, rs.getString(4),
                        new SourcePosition(rs.getString(5), rs.getInt(6), rs.getLong(7)), rs.getLong(8)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading audit anomalies", e);
        }
    }

    // ---- gaps ------------------------------------------------------------------------------

    /**
     * The sequence audit of every deciding site (or only {@code decidingSite}): the range ever
     * received, how much of it is stored, and the missing ranges. Sites in name order.
     */
    public synchronized List<SiteAudit> audit(String decidingSite) {
        try {
            Connection c = connection();
            Map<String, long[]> ledger = new TreeMap<>();
            String siteFilter = decidingSite == null ? "" : " WHERE deciding_site = ?";
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT deciding_site, first_sequence, last_sequence FROM audit_site" + siteFilter)) {
                if (decidingSite != null) {
                    ps.setString(1, decidingSite);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ledger.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
            // min, max, count of what is stored
            Map<String, long[]> stored = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT deciding_site, MIN(sequence), MAX(sequence), COUNT(*) "
                    + "FROM audit_decision" + siteFilter + " GROUP BY deciding_site")) {
                if (decidingSite != null) {
                    ps.setString(1, decidingSite);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                    }
                }
            }
            Map<String, List<SequenceRange>> inner = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT deciding_site, sequence, next_sequence FROM ("
                    + "SELECT deciding_site, sequence, LEAD(sequence) OVER (PARTITION BY deciding_site ORDER BY sequence) "
                    + "AS next_sequence FROM audit_decision" + siteFilter + ") g "
                    + "WHERE next_sequence > sequence + 1 ORDER BY deciding_site, sequence")) {
                if (decidingSite != null) {
                    ps.setString(1, decidingSite);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inner.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new SequenceRange(rs.getLong(2) + 1, rs.getLong(3) - 1));
                    }
                }
            }
            Set<String> sites = new TreeSet<>(ledger.keySet());
            sites.addAll(stored.keySet());
            List<SiteAudit> out = new ArrayList<>();
            for (String site : sites) {
                long[] l = ledger.get(site);
                long[] s = stored.get(site);
                long first = l != null ? l[0] : s[0];
                long last = l != null ? l[1] : s[1];
                if (s != null) {
                    first = Math.min(first, s[0]);
                    last = Math.max(last, s[1]);
                }
                List<SequenceRange> missing = new ArrayList<>();
                if (s == null) {
                    missing.add(new SequenceRange(first, last));
                } else {
                    if (s[0] > first) {
                        missing.add(new SequenceRange(first, s[0] - 1));
                    }
                    missing.addAll(inner.getOrDefault(site, List.of()));
                    if (s[1] < last) {
                        missing.add(new SequenceRange(s[1] + 1, last));
                    }
                }
                out.add(new SiteAudit(site, first, last, s == null ? 0 : s[2], missing));
            }
            return out;
        } catch (SQLException e) {
            throw failure("checking audit sequences", e);
        }
    }

    /**
     * Highest offset, in one partition of {@code topic}, of a stored record of {@code decidingSite}
     * with a sequence below {@code sequence}: a missing range starting at {@code sequence} lies after it.
     */
    public synchronized OptionalLong lastOffsetBefore(String decidingSite, long sequence, String topic, int partition) {
        return offsetBound("MAX", "<", decidingSite, sequence, topic, partition);
    }

    /**
     * Lowest offset, in one partition of {@code topic}, of a stored record of {@code decidingSite}
     * with a sequence above {@code sequence}: a missing range ending at {@code sequence} lies before it.
     */
    public synchronized OptionalLong firstOffsetAfter(String decidingSite, long sequence, String topic, int partition) {
        return offsetBound("MIN", ">", decidingSite, sequence, topic, partition);
    }

    private OptionalLong offsetBound(String aggregate, String comparison, String decidingSite, long sequence,
                                     String topic, int partition) {
        try (PreparedStatement ps = connection().prepareStatement("SELECT " + aggregate + "(source_offset) "
                + "FROM audit_decision WHERE source_topic = ? AND source_partition = ? AND deciding_site = ? "
                + "AND sequence " + comparison + " ?")) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            ps.setString(3, decidingSite);
            ps.setLong(4, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        } catch (SQLException e) {
            throw failure("locating audit records", e);
        }
    }

    /** Schema version of the store. */
    public synchronized int schemaVersion() {
        try {
            return Migrations.currentVersion(connection());
        } catch (SQLException e) {
            throw failure("reading the schema version", e);
        }
    }

    /** True if the store answers a trivial query. */
    public synchronized boolean healthy() {
        try (Statement s = connection().createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException | AuditStoreException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the audit store connection failed: {}", e.toString());
            }
            connection = null;
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Connection connection() throws SQLException {
        if (connection != null && !connection.isClosed() && connection.isValid(5)) {
            return connection;
        }
        if (connection != null) {
            log.warn("audit store connection to {} lost; reconnecting", redact(url));
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is broken already
            }
        }
        connection = DriverManager.getConnection(url, properties);
        if (dialect == StoreDialect.SQLITE) {
            try (Statement s = connection.createStatement()) {
                // WAL lets readers (HTTP queries, an operator's sqlite3) work while the sink writes
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
            }
        }
        return connection;
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (p instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    private static String json(Map<String, Long> vector) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(vector));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> vector(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, VECTOR);
        } catch (IOException e) {
            throw new AuditStoreException("corrupt version vector in the audit store: " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.toString());
        }
    }

    private AuditStoreException failure(String what, SQLException e) {
        return new AuditStoreException(what + " in " + redact(url) + " failed: " + e.getMessage(), e);
    }

    static Optional<Path> sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith("file::memory:")) {
            return Optional.empty();
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        return Optional.of(Path.of(rest));
    }

    private static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new AuditStoreException("cannot create the directory of the audit store " + file + ": " + e, e);
            }
        }
    }

    static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
