-- 0006_la_notifications.sql: what the school has done with each notification
-- the local authority is owed (new admissions, deletions, sickness and
-- continuous-absence returns, CME referrals, persistent lateness). The
-- notifications themselves are derived from the registers; this table keeps
-- their status as events: sent by the school, acknowledged by the LA.
-- Append-only: the latest event for a key is its status.

CREATE TABLE la_notification_events (
  id INTEGER PRIMARY KEY,
  notification TEXT NOT NULL,  -- "continuous_absence:12:2026-10-12"
  status TEXT NOT NULL CHECK (status IN ('sent', 'acknowledged')),
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  note TEXT NOT NULL
);
CREATE INDEX la_notification_events_by_key ON la_notification_events (notification, id);

CREATE TRIGGER la_notification_events_no_update BEFORE UPDATE ON la_notification_events
BEGIN
  SELECT RAISE(ABORT, 'la_notification_events is append-only');
END;
CREATE TRIGGER la_notification_events_no_delete BEFORE DELETE ON la_notification_events
BEGIN
  SELECT RAISE(ABORT, 'la_notification_events is append-only');
END;
