-- netsplit audit store, version 1. Portable SQL: the same statements run on SQLite (3.35+) and PostgreSQL (12+).
-- A row's identity is (deciding_site, sequence): the deciding site numbers every audit record it writes.

CREATE TABLE audit_decision (
    deciding_site     TEXT    NOT NULL,
    sequence          BIGINT  NOT NULL,
    decision_id       TEXT    NOT NULL,
    entity_key        TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    policy            TEXT    NOT NULL,
    winner_site       TEXT,
    winner_counter    BIGINT,
    resulting_vector  TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    decided_at_millis BIGINT  NOT NULL,
    source_topic      TEXT    NOT NULL,
    source_partition  INTEGER NOT NULL,
    source_offset     BIGINT  NOT NULL,
    stored_at_millis  BIGINT  NOT NULL,
    PRIMARY KEY (deciding_site, sequence)
);
CREATE INDEX audit_decision_by_id ON audit_decision (decision_id);
CREATE INDEX audit_decision_by_key ON audit_decision (deciding_site, entity_key, sequence);
CREATE INDEX audit_decision_by_time ON audit_decision (decided_at_millis, deciding_site, sequence);
CREATE INDEX audit_decision_by_source ON audit_decision (source_topic, source_partition, deciding_site, sequence);

CREATE TABLE audit_candidate (
    deciding_site  TEXT    NOT NULL,
    sequence       BIGINT  NOT NULL,
    ordinal        INTEGER NOT NULL,
    dot_site       TEXT    NOT NULL,
    dot_counter    BIGINT  NOT NULL,
    site           TEXT    NOT NULL,
    version        BIGINT  NOT NULL,
    version_vector TEXT    NOT NULL,
    fields_digest  TEXT    NOT NULL,
    PRIMARY KEY (deciding_site, sequence, ordinal),
    FOREIGN KEY (deciding_site, sequence) REFERENCES audit_decision (deciding_site, sequence) ON DELETE CASCADE
);
CREATE INDEX audit_candidate_by_dot ON audit_candidate (dot_site, dot_counter);

-- The lowest and highest sequence ever received per deciding site. Deleting decision rows does not
-- touch it, so lost rows at either end of the sequence are still detected.
CREATE TABLE audit_site (
    deciding_site     TEXT   NOT NULL PRIMARY KEY,
    first_sequence    BIGINT NOT NULL,
    last_sequence     BIGINT NOT NULL,
    updated_at_millis BIGINT NOT NULL
);

-- Records the sink could not store as they are (unreadable payloads, sequence collisions).
CREATE TABLE audit_anomaly (
    source_topic     TEXT    NOT NULL,
    source_partition INTEGER NOT NULL,
    source_offset    BIGINT  NOT NULL,
    kind             TEXT    NOT NULL,
    deciding_site    TEXT,
    sequence         BIGINT,
    detail           TEXT    NOT NULL,
    seen_at_millis   BIGINT  NOT NULL,
    PRIMARY KEY (source_topic, source_partition, source_offset, kind)
);
