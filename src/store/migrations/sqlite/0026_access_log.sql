-- 0026_access_log.sql: who looked at a pupil's records (docs/access-log.md).
-- The twin of migrations/postgres/0026_access_log.sql.
--
-- access_log: one row per read of a pupil's records by a member of staff (or
--   an API token acting as the office): when (Unix seconds), the reader's
--   user id, name and role (a frozen Role number, as contact_log.by_role),
--   what kind of record ('pupil_page', 'casework', 'evidence',
--   'subject_access'), the pupil, and a short detail (the page's path, the
--   file's name, the request's format). Never changed: a wrong row stays.
--   Rows go only when the school's retention period for the log has passed.

CREATE TABLE access_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 9),
  kind TEXT NOT NULL CHECK (kind IN ('pupil_page', 'casework', 'evidence', 'subject_access')),
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_by_pupil ON access_log (pupil_id, id);
CREATE INDEX access_log_by_user ON access_log (user_id, id);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
  SELECT RAISE(ABORT, 'access_log rows are never changed');
END;
