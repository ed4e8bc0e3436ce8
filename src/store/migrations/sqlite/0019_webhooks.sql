-- 0019_webhooks.sql: events recorded by the database itself, subscriptions
-- to them (webhooks) and a durable outbox of messages to deliver.
--
-- events: one row per thing an outside system may want to hear about,
-- written by the triggers below in the same transaction as the write that
-- causes it, so no store method can forget one and a rolled-back write leaves
-- none. The kinds (docs/webhooks.md):
--   mark.amended               a mark_audit row with an old mark (the first
--                              mark of a session is not an amendment);
--   absence.no_reason          the first session of a pupil's day recorded
--                              as N (no reason yet, stored as 30);
--   penalty.threshold_crossed  a penalty case opened by the national
--                              threshold or the local code (not exclusion);
--   cme.case_opened            a children-missing-education case opened;
--   pupil.admitted             an admission register entry created, or a
--                              new enrolment added to an existing entry;
--   pupil.deleted              an enrolment gaining its last day (the same
--                              moment a Common Transfer File becomes owed).
-- Saving a pupil replaces their enrolment rows, so admissions and deletions
-- are read from admission_changes and transfers_owed, which record only
-- real changes: an edit of a pupil's details fires nothing.
-- fanned_out turns 1 once the event's outbox rows are written.
--
-- webhooks: subscriptions. The secret signs each delivery, so it is kept as
-- given (it cannot be hashed). kinds is a comma-separated list of event
-- kinds. A deleted subscription is only deactivated (deleted_at set), so its
-- deliveries stay in the log.
--
-- outbox: one message to deliver, on a channel ('webhook' now; later email
-- and text messages). The idempotency key is unique, so one event is queued
-- at most once per subscription however often fan-out runs. The payload is
-- written once, so each retry sends the same bytes. state: queued, sending
-- (claimed by a worker until next_attempt_at, its lease), delivered, failed.
-- outbox_attempts logs every attempt.

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  upn TEXT NOT NULL,
  on_date TEXT CHECK (on_date IS NULL OR date(on_date, '+0 days') IS on_date),
  session INTEGER CHECK (session IS NULL OR session IN (1, 2)),
  old_code INTEGER,
  new_code INTEGER,
  detail TEXT NOT NULL DEFAULT '',
  source_id INTEGER,
  at INTEGER NOT NULL,
  fanned_out INTEGER NOT NULL DEFAULT 0 CHECK (fanned_out IN (0, 1)),
  -- mark.amended only: the arrival times (minutes after midnight) before
  -- and after, as an amendment may change only the time.
  old_arrival INTEGER CHECK (old_arrival BETWEEN 0 AND 1439),
  new_arrival INTEGER CHECK (new_arrival BETWEEN 0 AND 1439)
);
CREATE INDEX events_pending ON events (id) WHERE fanned_out = 0;
CREATE INDEX events_by_pupil ON events (pupil_id, kind, on_date);

CREATE TRIGGER events_mark_amended AFTER INSERT ON mark_audit
WHEN NEW.old_code IS NOT NULL
BEGIN
  INSERT INTO events (kind, pupil_id, upn, on_date, session, old_code, new_code, detail,
                      source_id, at, old_arrival, new_arrival)
  SELECT 'mark.amended', NEW.pupil_id, p.upn, NEW.date, NEW.session, NEW.old_code,
         NEW.new_code, NEW.reason, NEW.id, NEW.at, NEW.old_arrival_minute,
         NEW.new_arrival_minute
  FROM pupils p WHERE p.id = NEW.pupil_id;
END;

CREATE TRIGGER events_absence_no_reason AFTER INSERT ON mark_audit
WHEN NEW.new_code = 30 AND (NEW.old_code IS NULL OR NEW.old_code != 30)
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.pupil_id = NEW.pupil_id
                  AND e.kind = 'absence.no_reason' AND e.on_date = NEW.date)
BEGIN
  INSERT INTO events (kind, pupil_id, upn, on_date, session, old_code, new_code, source_id, at)
  SELECT 'absence.no_reason', NEW.pupil_id, p.upn, NEW.date, NEW.session, NEW.old_code,
         NEW.new_code, NEW.id, NEW.at
  FROM pupils p WHERE p.id = NEW.pupil_id;
END;

CREATE TRIGGER events_penalty_threshold AFTER INSERT ON penalty_cases
WHEN NEW.kind IN ('attendance', 'local')
BEGIN
  INSERT INTO events (kind, pupil_id, upn, on_date, session, detail, source_id, at)
  SELECT 'penalty.threshold_crossed', NEW.pupil_id, p.upn, NEW.alert_date, NEW.alert_session,
         NEW.kind, NEW.id, NEW.opened_at
  FROM pupils p WHERE p.id = NEW.pupil_id;
END;

CREATE TRIGGER events_cme_case_opened AFTER INSERT ON cme_cases
BEGIN
  INSERT INTO events (kind, pupil_id, upn, on_date, source_id, at)
  SELECT 'cme.case_opened', NEW.pupil_id, p.upn, NEW.first_day, NEW.id, NEW.opened_at
  FROM pupils p WHERE p.id = NEW.pupil_id;
END;

-- A new entry ('admitted'), or a new enrolment on an existing one: its
-- start had no value before. The field is 'enrolment N start' with N all
-- digits (GLOB alone would let other characters follow the first digit).
CREATE TRIGGER events_pupil_admitted AFTER INSERT ON admission_changes
WHEN NEW.field = 'admitted'
  OR (NEW.field GLOB 'enrolment [0-9]* start'
      AND substr(NEW.field, 11, length(NEW.field) - 16) NOT GLOB '*[^0-9]*'
      AND NEW.old_value = '' AND NEW.new_value != '')
BEGIN
  INSERT INTO events (kind, pupil_id, upn, on_date, source_id, at)
  SELECT 'pupil.admitted', NEW.pupil_id, p.upn,
         CASE WHEN NEW.field = 'admitted'
              THEN (SELECT max(start_date) FROM enrolments WHERE pupil_id = NEW.pupil_id)
              ELSE NEW.new_value END,
         NEW.id, NEW.at
  FROM pupils p WHERE p.id = NEW.pupil_id;
END;

CREATE TRIGGER events_pupil_deleted AFTER INSERT ON transfers_owed
BEGIN
  INSERT INTO events (kind, pupil_id, upn, on_date, detail, source_id, at)
  SELECT 'pupil.deleted', NEW.pupil_id, p.upn, NEW.last_day, NEW.destination, NEW.id,
         NEW.recorded_at
  FROM pupils p WHERE p.id = NEW.pupil_id;
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are never deleted');
END;

CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL CHECK (url != ''),
  secret TEXT NOT NULL CHECK (secret != ''),
  kinds TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_by INTEGER NOT NULL,
  created_by_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel != ''),
  idempotency_key TEXT NOT NULL UNIQUE,
  subscription_id INTEGER,
  event_kind TEXT NOT NULL,
  destination TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  last_status INTEGER,
  last_answer TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX outbox_due ON outbox (channel, next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_by_state ON outbox (state, id);

CREATE TABLE outbox_attempts (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox (id),
  at INTEGER NOT NULL,
  status INTEGER,
  answer TEXT NOT NULL,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0)
);
CREATE INDEX outbox_attempts_by_outbox ON outbox_attempts (outbox_id, id);

CREATE TRIGGER outbox_attempts_no_update BEFORE UPDATE ON outbox_attempts
BEGIN
  SELECT RAISE(ABORT, 'outbox_attempts is append-only');
END;
CREATE TRIGGER outbox_attempts_no_delete BEFORE DELETE ON outbox_attempts
BEGIN
  SELECT RAISE(ABORT, 'outbox_attempts is append-only');
END;
