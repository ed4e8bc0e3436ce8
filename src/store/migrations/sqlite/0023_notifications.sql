-- 0023_notifications.sql: staff email addresses, pupils' social workers,
-- letters marked posted, and the notifications rollcall sends staff
-- (docs/notifications.md).
--
-- users.email: where a member of staff's notifications go; '' for none.
-- pupils.social_worker_name, social_worker_email: the pupil's social
--   worker, when they have one ('' for none).
--
-- letter_postings: the day a printed letter went in the post, recorded
--   once per letter (letters themselves are append-only, so the posting is
--   a row of its own keyed on the letter) with who recorded it and when.
--
-- notification_settings: versioned like settings; the newest row is in
--   force. The minutes are UK time after midnight; dsl_list_minute NULL
--   means the day-one message time (message_settings.day_one_minute);
--   attendance_lead_user_id NULL means no digest.
--
-- notification_runs: one row per job done (kind, school day, session 1 AM,
--   2 PM or 0 for a daily job), written in the transaction that queues its
--   messages, so a job runs once a day however often the scheduler asks.

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE pupils ADD COLUMN social_worker_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pupils ADD COLUMN social_worker_email TEXT NOT NULL DEFAULT '';

CREATE TABLE letter_postings (
  letter_id INTEGER PRIMARY KEY REFERENCES letters (id),
  posted_on TEXT NOT NULL CHECK (posted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL
);

CREATE TRIGGER letter_postings_no_update BEFORE UPDATE ON letter_postings
BEGIN
  SELECT RAISE(ABORT, 'letter_postings is append-only');
END;
CREATE TRIGGER letter_postings_no_delete BEFORE DELETE ON letter_postings
BEGIN
  SELECT RAISE(ABORT, 'letter_postings is append-only');
END;

CREATE TABLE notification_settings (
  version INTEGER PRIMARY KEY,
  register_reminders INTEGER NOT NULL DEFAULT 0 CHECK (register_reminders IN (0, 1)),
  dsl_list INTEGER NOT NULL DEFAULT 0 CHECK (dsl_list IN (0, 1)),
  dsl_list_minute INTEGER CHECK (dsl_list_minute BETWEEN 0 AND 1439),
  social_worker_emails INTEGER NOT NULL DEFAULT 0 CHECK (social_worker_emails IN (0, 1)),
  attendance_lead_user_id INTEGER REFERENCES users (id),
  digest_minute INTEGER NOT NULL DEFAULT 960 CHECK (digest_minute BETWEEN 0 AND 1439),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);

CREATE TABLE notification_runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  session INTEGER NOT NULL CHECK (session BETWEEN 0 AND 2),
  at INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  UNIQUE (kind, date, session)
);
