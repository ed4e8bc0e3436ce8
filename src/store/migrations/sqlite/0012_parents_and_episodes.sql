-- 0012_parents_and_episodes.sql: who may be sent a notice or a letter, where
-- it goes, and one penalty case per episode of absence.
--
-- A contact now says whether they have parental responsibility for the child
-- or have care of them (only they are given penalty notices, notices to
-- improve and letters), how a letter greets them ("Dear Mrs Ali"; empty:
-- from the name) and their postal address and postcode. Existing contacts
-- have it when their relationship plainly names a parent or carer.
--
-- A letter keeps the address it was sent to, as it keeps everything else.
--
-- A penalty case stays open for the whole episode: a later window in which
-- the threshold is met again adds its sessions to the open case (one row
-- here) instead of opening another. Append-only, like the cases.

ALTER TABLE contacts ADD COLUMN parental_responsibility INTEGER NOT NULL DEFAULT 0
  CHECK (parental_responsibility IN (0, 1));
ALTER TABLE contacts ADD COLUMN salutation TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
UPDATE contacts SET parental_responsibility = 1
  WHERE lower(trim(relationship)) IN ('mother', 'father', 'parent', 'step-parent', 'stepparent',
                                      'step-mother', 'stepmother', 'step-father', 'stepfather',
                                      'guardian', 'carer', 'foster carer');

ALTER TABLE letters ADD COLUMN address TEXT NOT NULL DEFAULT '';

CREATE TABLE penalty_windows (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES penalty_cases (id),
  alert_date TEXT NOT NULL CHECK (date(alert_date, '+0 days') IS alert_date),
  alert_session INTEGER NOT NULL CHECK (alert_session IN (1, 2)),
  evidence TEXT NOT NULL,  -- "2026-11-16 AM G, 2026-11-16 PM G, ..."
  added_at INTEGER NOT NULL,
  UNIQUE (case_id, alert_date, alert_session)
);

CREATE TRIGGER penalty_windows_no_update BEFORE UPDATE ON penalty_windows
BEGIN
  SELECT RAISE(ABORT, 'penalty_windows is append-only');
END;
CREATE TRIGGER penalty_windows_no_delete BEFORE DELETE ON penalty_windows
BEGIN
  SELECT RAISE(ABORT, 'penalty_windows is append-only');
END;
