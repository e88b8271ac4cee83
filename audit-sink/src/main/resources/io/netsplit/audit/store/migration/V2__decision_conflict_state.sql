-- netsplit audit store, version 2: where each decision leaves its key's conflict, as the AuditEvent's conflictState
-- says (NONE, RESOLVED, PENDING, MANUALLY_RESOLVED), so "pending" is read from a column instead of being inferred
-- from the policy's name. Portable SQL: the same statements run on SQLite (3.35+) and PostgreSQL (12+).

ALTER TABLE audit_decision ADD COLUMN conflict_state TEXT NOT NULL DEFAULT 'NONE';

-- rows stored before: the state from the rule the store applied until version 1 (a conflict decision with no winner,
-- or decided by the manual policy, awaits an operator), once
UPDATE audit_decision SET conflict_state = CASE
    WHEN kind IN ('CONCURRENT_UPDATE', 'DELETE_VS_UPDATE') AND (winner_site IS NULL OR policy = 'manual') THEN 'PENDING'
    WHEN kind IN ('CONCURRENT_UPDATE', 'DELETE_VS_UPDATE') THEN 'RESOLVED'
    WHEN kind = 'MANUAL_RESOLUTION' THEN 'MANUALLY_RESOLVED'
    ELSE 'NONE' END;
