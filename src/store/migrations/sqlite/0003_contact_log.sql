-- 0003_contact_log.sql: every contact with a pupil's family, or about a
-- pupil: calls, texts, emails, letters, home visits, meetings, and messages
-- to parents (which parents see). Append-only, like mark_audit: a mistaken
-- entry is put right by a later one, never edited away.
--
-- method and outcome are the names of store::ContactMethod and
-- store::ContactOutcome; by_name and by_role keep who recorded it as they
-- were at the time.

CREATE TABLE contact_log (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  at INTEGER NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('call', 'text', 'email', 'letter', 'home_visit',
                                         'meeting', 'message')),
  contact_name TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('spoke', 'no_answer', 'left_message', 'sent', 'seen',
                                           'not_seen', 'attended', 'did_not_attend')),
  note TEXT NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6)
);
CREATE INDEX contact_log_by_pupil ON contact_log (pupil_id, at DESC, id DESC);
CREATE INDEX contact_log_by_time ON contact_log (at DESC, id DESC);

CREATE TRIGGER contact_log_no_update BEFORE UPDATE ON contact_log
BEGIN
  SELECT RAISE(ABORT, 'contact_log is append-only');
END;

CREATE TRIGGER contact_log_no_delete BEFORE DELETE ON contact_log
BEGIN
  SELECT RAISE(ABORT, 'contact_log is append-only');
END;
