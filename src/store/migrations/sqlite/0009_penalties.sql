-- 0009_penalties.sql: penalty-notice cases under the national framework
-- (core/penalty.h). A case opens when the penalty_threshold alert fires, or
-- the local code of conduct's trigger (core/local_code.h), or by hand for
-- an exclusion notice, and keeps the sessions it cited;
-- everything that happens to it is an event: the head's decision, a notice
-- to improve and its outcome, each notice to a parent, payments,
-- withdrawals, referral for prosecution, closure. Evidence packs keep what
-- was sent to the LA, as generated. All three tables are append-only.

CREATE TABLE penalty_cases (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  kind TEXT NOT NULL CHECK (kind IN ('attendance', 'local', 'exclusion')),
  alert_date TEXT NOT NULL CHECK (date(alert_date, '+0 days') IS alert_date),
  alert_session INTEGER NOT NULL CHECK (alert_session IN (1, 2)),
  evidence TEXT NOT NULL,  -- "2026-11-02 AM G, 2026-11-02 PM G, ..."
  opened_at INTEGER NOT NULL,
  UNIQUE (pupil_id, kind, alert_date, alert_session)
);

CREATE TABLE penalty_events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES penalty_cases (id),
  kind TEXT NOT NULL CHECK (kind IN ('decision', 'nti', 'nti_outcome', 'notice', 'payment',
                                     'withdrawal', 'prosecution', 'closed')),
  notice_id INTEGER REFERENCES penalty_events (id),
  decision TEXT NOT NULL,
  parent TEXT NOT NULL,
  on_date TEXT CHECK (on_date IS NULL OR date(on_date, '+0 days') IS on_date),
  end_date TEXT CHECK (end_date IS NULL OR date(end_date, '+0 days') IS end_date),
  amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
  notice_number INTEGER NOT NULL CHECK (notice_number BETWEEN 0 AND 2),
  text TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  CHECK ((kind IN ('payment', 'withdrawal', 'prosecution')) = (notice_id IS NOT NULL)),
  CHECK (kind != 'notice' OR (parent != '' AND on_date IS NOT NULL AND notice_number >= 1)),
  CHECK (kind != 'nti' OR (on_date IS NOT NULL AND end_date IS NOT NULL))
);
CREATE INDEX penalty_events_by_case ON penalty_events (case_id, id);

CREATE TABLE evidence_packs (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES penalty_cases (id),
  content TEXT NOT NULL CHECK (json_valid(content)),
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6)
);
CREATE INDEX evidence_packs_by_case ON evidence_packs (case_id, id);

CREATE TRIGGER penalty_cases_no_update BEFORE UPDATE ON penalty_cases
BEGIN
  SELECT RAISE(ABORT, 'penalty_cases is append-only');
END;
CREATE TRIGGER penalty_cases_no_delete BEFORE DELETE ON penalty_cases
BEGIN
  SELECT RAISE(ABORT, 'penalty_cases is append-only');
END;
CREATE TRIGGER penalty_events_no_update BEFORE UPDATE ON penalty_events
BEGIN
  SELECT RAISE(ABORT, 'penalty_events is append-only');
END;
CREATE TRIGGER penalty_events_no_delete BEFORE DELETE ON penalty_events
BEGIN
  SELECT RAISE(ABORT, 'penalty_events is append-only');
END;
CREATE TRIGGER evidence_packs_no_update BEFORE UPDATE ON evidence_packs
BEGIN
  SELECT RAISE(ABORT, 'evidence_packs is append-only');
END;
CREATE TRIGGER evidence_packs_no_delete BEFORE DELETE ON evidence_packs
BEGIN
  SELECT RAISE(ABORT, 'evidence_packs is append-only');
END;
