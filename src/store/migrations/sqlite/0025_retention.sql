-- 0025_retention.sql: how long records are kept and the purge that removes
-- them once that time has passed (docs/retention.md). The twin of
-- migrations/postgres/0025_retention.sql.
--
-- purge_permits: the one row a purge writes at the start of its transaction
--   and removes before it commits, so no committed database ever holds one.
--   The append-only tables below refuse a DELETE unless that row is there:
--   only the purge, inside its own transaction, can remove their rows.
-- purge_log: one row per kind of record a purge removed: how many rows, the
--   day up to which (records made before it went), when and by whom (a
--   user's name, or "scheduled"). Never the content. Append-only.
-- retention_periods: the head's changes to how long a kind of record is
--   kept; the newest row of a kind is in force, and a kind with none keeps
--   the default in core/retention.h. months is at least 72 for the
--   register's kinds (the six years the regulations require), checked by
--   the service. basis: 'made' (counted from when the record was made) or
--   'left' (and the pupil has left at least that long ago).
-- retention_settings: versioned like settings; auto_purge 1 lets the
--   server's nightly job purge without anyone pressing the button.

CREATE TABLE purge_permits (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  started_at INTEGER NOT NULL
);

CREATE TABLE purge_log (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind != ''),
  row_count INTEGER NOT NULL CHECK (row_count >= 0),
  up_to TEXT NOT NULL CHECK (date(up_to, '+0 days') IS up_to),
  held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
  at INTEGER NOT NULL,
  by_name TEXT NOT NULL CHECK (by_name != '')
);
CREATE INDEX purge_log_by_time ON purge_log (at DESC, id DESC);

CREATE TRIGGER purge_log_no_update BEFORE UPDATE ON purge_log
BEGIN
  SELECT RAISE(ABORT, 'purge_log is append-only');
END;
CREATE TRIGGER purge_log_no_delete BEFORE DELETE ON purge_log
BEGIN
  SELECT RAISE(ABORT, 'purge_log is append-only');
END;

CREATE TABLE retention_periods (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind != ''),
  months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 1200),
  basis TEXT NOT NULL CHECK (basis IN ('made', 'left')),
  reason TEXT NOT NULL CHECK (reason != ''),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);
CREATE INDEX retention_periods_by_kind ON retention_periods (kind, id);

CREATE TRIGGER retention_periods_no_update BEFORE UPDATE ON retention_periods
BEGIN
  SELECT RAISE(ABORT, 'retention_periods is append-only');
END;
CREATE TRIGGER retention_periods_no_delete BEFORE DELETE ON retention_periods
BEGIN
  SELECT RAISE(ABORT, 'retention_periods is append-only');
END;

CREATE TABLE retention_settings (
  version INTEGER PRIMARY KEY,
  auto_purge INTEGER NOT NULL CHECK (auto_purge IN (0, 1)),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);

-- The append-only tables a purge removes rows from: a DELETE now passes
-- only while the purge's permit row is there. UPDATE stays refused.
DROP TRIGGER mark_audit_no_delete;
CREATE TRIGGER mark_audit_no_delete BEFORE DELETE ON mark_audit
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'mark_audit is append-only');
END;

DROP TRIGGER admission_changes_no_delete;
CREATE TRIGGER admission_changes_no_delete BEFORE DELETE ON admission_changes
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'admission_changes is append-only');
END;

DROP TRIGGER contact_log_no_delete;
CREATE TRIGGER contact_log_no_delete BEFORE DELETE ON contact_log
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'contact_log is append-only');
END;

DROP TRIGGER letters_no_delete;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'letters is append-only');
END;

DROP TRIGGER letter_postings_no_delete;
CREATE TRIGGER letter_postings_no_delete BEFORE DELETE ON letter_postings
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'letter_postings is append-only');
END;

DROP TRIGGER outbox_attempts_no_delete;
CREATE TRIGGER outbox_attempts_no_delete BEFORE DELETE ON outbox_attempts
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'outbox_attempts is append-only');
END;

DROP TRIGGER medical_evidence_no_delete;
CREATE TRIGGER medical_evidence_no_delete BEFORE DELETE ON medical_evidence
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'medical_evidence is append-only');
END;

DROP TRIGGER events_no_delete;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM purge_permits)
BEGIN
  SELECT RAISE(ABORT, 'events are never deleted');
END;
