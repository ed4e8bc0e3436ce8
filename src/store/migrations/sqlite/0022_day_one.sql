-- 0022_day_one.sql: day-one absence messages (docs/day-one.md), the
-- school's own words for its messages, and each contact's preferences and
-- consent for messages.
--
-- contacts gain:
--   preferred_channel    '' (a text when they have a mobile, else email),
--                        'sms' or 'email';
--   optional_opt_out     1: no messages the law does not require;
--   messages_without_pr  1: a contact without parental responsibility who
--                        gets the absence messages anyway;
--   consent_at/by/note   when consent to messages was recorded, by whom,
--                        and how it was given.
--
-- message_templates: the head's words for a kind of message, append-only:
-- the newest version of a kind is in force; is_default 1 marks a return to
-- the default words (the row's words are then empty and unused).
--
-- day_one_runs: one row per school day the day-one messages were queued,
-- written with the messages in one transaction; the date is unique, so a
-- day is run once however many processes try.

ALTER TABLE contacts ADD COLUMN preferred_channel TEXT NOT NULL DEFAULT ''
  CHECK (preferred_channel IN ('', 'sms', 'email'));
ALTER TABLE contacts ADD COLUMN optional_opt_out INTEGER NOT NULL DEFAULT 0
  CHECK (optional_opt_out IN (0, 1));
ALTER TABLE contacts ADD COLUMN messages_without_pr INTEGER NOT NULL DEFAULT 0
  CHECK (messages_without_pr IN (0, 1));
ALTER TABLE contacts ADD COLUMN consent_at INTEGER;
ALTER TABLE contacts ADD COLUMN consent_by TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN consent_note TEXT NOT NULL DEFAULT '';

CREATE TABLE message_templates (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  version INTEGER NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  email_body TEXT NOT NULL DEFAULT '',
  sms_body TEXT NOT NULL DEFAULT '',
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL,
  UNIQUE (kind, version)
);

CREATE TABLE day_one_runs (
  id INTEGER PRIMARY KEY,
  run_date TEXT NOT NULL UNIQUE,
  run_at INTEGER NOT NULL,
  pupils INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  -- The pupils absent with no reason whom no contact could be sent to:
  -- their ids, comma-separated.
  unreachable TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER message_templates_no_update BEFORE UPDATE ON message_templates
BEGIN
  SELECT RAISE(ABORT, 'message_templates is append-only');
END;
CREATE TRIGGER message_templates_no_delete BEFORE DELETE ON message_templates
BEGIN
  SELECT RAISE(ABORT, 'message_templates is append-only');
END;
CREATE TRIGGER day_one_runs_no_update BEFORE UPDATE ON day_one_runs
BEGIN
  SELECT RAISE(ABORT, 'day_one_runs is append-only');
END;
CREATE TRIGGER day_one_runs_no_delete BEFORE DELETE ON day_one_runs
BEGIN
  SELECT RAISE(ABORT, 'day_one_runs is append-only');
END;

-- The Today page reads the day's messages of one kind.
CREATE INDEX outbox_by_kind ON outbox (event_kind, created_at);
