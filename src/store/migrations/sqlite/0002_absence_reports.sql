-- 0002_absence_reports.sql: parents' (or the office's) reports that a pupil
-- is, or will be, absent, and how the office resolved them.
--
-- Dates are ISO text with the CHECKs of 0001_initial.sql. reported_by and
-- resolved_by are not foreign keys, like marks.recorded_by: reported_by_name
-- keeps who made the report as they were named at the time.
-- resolved_at is NULL while the report is open; once set, it is never
-- changed (the store refuses a second resolution).

CREATE TABLE absence_reports (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  date_from TEXT NOT NULL CHECK (date(date_from, '+0 days') IS date_from),
  date_to TEXT NOT NULL CHECK (date(date_to, '+0 days') IS date_to),
  reason TEXT NOT NULL,
  reported_at INTEGER NOT NULL,
  reported_by INTEGER NOT NULL,
  reported_by_name TEXT NOT NULL,
  resolved_at INTEGER,
  resolved_by INTEGER NOT NULL DEFAULT 0,
  resolution TEXT NOT NULL DEFAULT '',
  CHECK (date_from <= date_to)
);
-- Both lists are newest first; the partial index serves the office's queue of
-- open reports.
CREATE INDEX absence_reports_by_time ON absence_reports (reported_at DESC, id DESC);
CREATE INDEX absence_reports_open ON absence_reports (reported_at DESC, id DESC)
  WHERE resolved_at IS NULL;
CREATE INDEX absence_reports_by_pupil ON absence_reports (pupil_id);
