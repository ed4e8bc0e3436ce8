-- 0005_support.sql: the graduated approach (core/graduated.h). Each pupil's
-- stage as staff confirmed it over time, and the support around it: panel
-- meetings, action plans with a review date, and half-termly reviews that
-- quote the attendance before and since the plan. Both tables are
-- append-only: the history is the record.

CREATE TABLE support_stages (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  stage INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 6),
  at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6)
);
CREATE INDEX support_stages_by_pupil ON support_stages (pupil_id, id);

CREATE TABLE support_events (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  kind TEXT NOT NULL CHECK (kind IN ('panel_meeting', 'action_plan', 'review')),
  held_on TEXT NOT NULL CHECK (date(held_on, '+0 days') IS held_on),
  attendees TEXT NOT NULL,
  notes TEXT NOT NULL,
  targets TEXT NOT NULL,
  support_offered TEXT NOT NULL,
  review_date TEXT CHECK (review_date IS NULL OR date(review_date, '+0 days') IS review_date),
  plan_id INTEGER REFERENCES support_events (id),
  outcome TEXT NOT NULL CHECK (outcome IN ('', 'improved', 'not_improved')),
  attendance_before TEXT NOT NULL,
  attendance_after TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  CHECK (kind != 'action_plan' OR review_date IS NOT NULL),
  CHECK (kind != 'review' OR (plan_id IS NOT NULL AND outcome != ''))
);
CREATE INDEX support_events_by_pupil ON support_events (pupil_id, id);

CREATE TRIGGER support_stages_no_update BEFORE UPDATE ON support_stages
BEGIN
  SELECT RAISE(ABORT, 'support_stages is append-only');
END;
CREATE TRIGGER support_stages_no_delete BEFORE DELETE ON support_stages
BEGIN
  SELECT RAISE(ABORT, 'support_stages is append-only');
END;
CREATE TRIGGER support_events_no_update BEFORE UPDATE ON support_events
BEGIN
  SELECT RAISE(ABORT, 'support_events is append-only');
END;
CREATE TRIGGER support_events_no_delete BEFORE DELETE ON support_events
BEGIN
  SELECT RAISE(ABORT, 'support_events is append-only');
END;
