-- 0014_admission_register.sql: the admission register's statutory entries
-- that were missing, every change to an entry kept, and the Common Transfer
-- Files owed for leavers.
--
-- A pupil now says whether they board and which school they came from. A
-- contact says whether the pupil lives with them, whether they are an
-- emergency contact, a second phone number and the day the family last
-- confirmed the details.
--
-- admission_changes holds one row per field of an entry that changed: the
-- old and new value as text, when, by whom and why. Like the marks' audit
-- it is append-only: the triggers below refuse to change or delete a row.
--
-- transfers_owed records that a leaver's Common Transfer File must be sent
-- (to the destination school, or the LA when it is unknown). Producing the
-- file is later work: produced_at stays empty until then, and a row is
-- never deleted.

ALTER TABLE pupils ADD COLUMN boarder INTEGER NOT NULL DEFAULT 0 CHECK (boarder IN (0, 1));
ALTER TABLE pupils ADD COLUMN previous_school TEXT NOT NULL DEFAULT '';

ALTER TABLE contacts ADD COLUMN lives_with INTEGER NOT NULL DEFAULT 0 CHECK (lives_with IN (0, 1));
ALTER TABLE contacts ADD COLUMN emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1));
ALTER TABLE contacts ADD COLUMN other_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN confirmed_on TEXT
  CHECK (confirmed_on IS NULL OR date(confirmed_on, '+0 days') IS confirmed_on);

CREATE TABLE admission_changes (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  at INTEGER NOT NULL,
  actor_name TEXT NOT NULL,
  actor_role INTEGER NOT NULL CHECK (actor_role BETWEEN 1 AND 9),
  reason TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field != ''),
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL
);
CREATE INDEX admission_changes_by_pupil ON admission_changes (pupil_id, id);

CREATE TRIGGER admission_changes_no_update BEFORE UPDATE ON admission_changes
BEGIN
  SELECT RAISE(ABORT, 'admission_changes is append-only');
END;
CREATE TRIGGER admission_changes_no_delete BEFORE DELETE ON admission_changes
BEGIN
  SELECT RAISE(ABORT, 'admission_changes is append-only');
END;

CREATE TABLE transfers_owed (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  last_day TEXT NOT NULL CHECK (date(last_day, '+0 days') IS last_day),
  destination TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  produced_at INTEGER
);
CREATE INDEX transfers_owed_by_pupil ON transfers_owed (pupil_id, id);

CREATE TRIGGER transfers_owed_no_delete BEFORE DELETE ON transfers_owed
BEGIN
  SELECT RAISE(ABORT, 'transfers_owed rows are never deleted');
END;
