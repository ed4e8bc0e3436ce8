-- 0004_cme_cases.sql: children-missing-education cases and what was done at
-- each step of the protocol (core/cme.h).
--
-- A case is opened by rollcall when a pupil's run of unexplained absence
-- reaches a whole school day, and closed once: when the pupil is back or the
-- absence explained, or by staff with the outcome of the enquiries. Its due
-- dates are not stored: they are computed from first_day and the calendar,
-- so a closure added later moves them. Step records are append-only.

CREATE TABLE cme_cases (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  first_day TEXT NOT NULL CHECK (date(first_day, '+0 days') IS first_day),
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,
  outcome TEXT NOT NULL DEFAULT '',
  closed_by_name TEXT NOT NULL DEFAULT ''
);
-- At most one open case per pupil.
CREATE UNIQUE INDEX cme_cases_one_open ON cme_cases (pupil_id) WHERE closed_at IS NULL;

CREATE TRIGGER cme_cases_close_once BEFORE UPDATE ON cme_cases
WHEN OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL OR NEW.pupil_id IS NOT OLD.pupil_id
  OR NEW.first_day IS NOT OLD.first_day OR NEW.opened_at IS NOT OLD.opened_at
BEGIN
  SELECT RAISE(ABORT, 'a CME case is only ever closed, once');
END;

CREATE TRIGGER cme_cases_no_delete BEFORE DELETE ON cme_cases
BEGIN
  SELECT RAISE(ABORT, 'cme_cases is append-only');
END;

CREATE TABLE cme_steps (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cme_cases (id),
  step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 7),
  done_at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  note TEXT NOT NULL
);
CREATE INDEX cme_steps_by_case ON cme_steps (case_id, id);

CREATE TRIGGER cme_steps_no_update BEFORE UPDATE ON cme_steps
BEGIN
  SELECT RAISE(ABORT, 'cme_steps is append-only');
END;

CREATE TRIGGER cme_steps_no_delete BEFORE DELETE ON cme_steps
BEGIN
  SELECT RAISE(ABORT, 'cme_steps is append-only');
END;
