-- 0007_part_time.sql: part-time timetables (core/part_time.h). Each
-- agreement between the head and a resident parent: its dates, the sessions
-- the pupil attends (a bit per weekday session, Monday AM = 1), its first
-- review; then each review, which continues, extends or ends it. Both
-- tables are append-only: the latest review's end date is in force.

CREATE TABLE part_time_timetables (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  agreed_on TEXT NOT NULL CHECK (date(agreed_on, '+0 days') IS agreed_on),
  agreed_with TEXT NOT NULL CHECK (agreed_with != ''),
  start TEXT NOT NULL CHECK (date(start, '+0 days') IS start),
  end TEXT NOT NULL CHECK (date(end, '+0 days') IS end),
  attends INTEGER NOT NULL CHECK (attends BETWEEN 1 AND 1022),
  review_date TEXT NOT NULL CHECK (date(review_date, '+0 days') IS review_date),
  reason TEXT NOT NULL CHECK (reason != ''),
  plan TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  CHECK (start <= end AND agreed_on <= start AND review_date BETWEEN start AND end)
);
CREATE INDEX part_time_timetables_by_pupil ON part_time_timetables (pupil_id, id);

CREATE TABLE part_time_reviews (
  id INTEGER PRIMARY KEY,
  timetable_id INTEGER NOT NULL REFERENCES part_time_timetables (id),
  held_on TEXT NOT NULL CHECK (date(held_on, '+0 days') IS held_on),
  outcome TEXT NOT NULL CHECK (outcome IN ('continue', 'extend', 'end')),
  end TEXT NOT NULL CHECK (date(end, '+0 days') IS end),
  next_review TEXT CHECK (next_review IS NULL OR date(next_review, '+0 days') IS next_review),
  notes TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  CHECK ((outcome = 'end') = (next_review IS NULL))
);
CREATE INDEX part_time_reviews_by_timetable ON part_time_reviews (timetable_id, id);

CREATE TRIGGER part_time_timetables_no_update BEFORE UPDATE ON part_time_timetables
BEGIN
  SELECT RAISE(ABORT, 'part_time_timetables is append-only');
END;
CREATE TRIGGER part_time_timetables_no_delete BEFORE DELETE ON part_time_timetables
BEGIN
  SELECT RAISE(ABORT, 'part_time_timetables is append-only');
END;
CREATE TRIGGER part_time_reviews_no_update BEFORE UPDATE ON part_time_reviews
BEGIN
  SELECT RAISE(ABORT, 'part_time_reviews is append-only');
END;
CREATE TRIGGER part_time_reviews_no_delete BEFORE DELETE ON part_time_reviews
BEGIN
  SELECT RAISE(ABORT, 'part_time_reviews is append-only');
END;
