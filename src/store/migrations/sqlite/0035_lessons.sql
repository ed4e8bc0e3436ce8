-- 0035_lessons.sql: a secondary school's timetable and lesson registers
-- (docs/lessons.md). The twin of migrations/postgres/0035_lessons.sql.
--
-- timetable_settings: each change of the cycle (one or two weeks), the
-- Monday that starts week 1, and which register gives the statutory AM and
-- PM marks (1 the registration period, 2 the first lesson of each session);
-- the newest row counts, none means no timetable yet.
--
-- periods and teaching_groups keep their ids across imports that keep their
-- names and codes; one the new timetable leaves out is deleted when no
-- lesson mark names it and retired (retired = 1) otherwise, so old lesson
-- marks still say where the pupil was. group_teachers and group_members are
-- who teaches and who is in each group; lessons are the timetable's slots: a
-- group meeting in a period on a day of the cycle (1..5 in week 1, 6..10 in
-- week 2).
--
-- lesson_marks: one mark per pupil per period per day, with the group it was
-- taken in. lesson_mark_audit: every recording and change of a lesson mark,
-- append-only like mark_audit.

CREATE TABLE timetable_settings (
  id INTEGER PRIMARY KEY,
  cycle_weeks INTEGER NOT NULL CHECK (cycle_weeks IN (1, 2)),
  week1_monday TEXT NOT NULL CHECK (date(week1_monday, '+0 days') IS week1_monday),
  source INTEGER NOT NULL CHECK (source IN (1, 2)),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);

CREATE TABLE periods (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  session INTEGER NOT NULL CHECK (session IN (1, 2)),
  registration INTEGER NOT NULL CHECK (registration IN (0, 1)),
  retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
  CHECK (end_minute > start_minute)
);

CREATE TABLE teaching_groups (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
  subject TEXT NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);

CREATE TABLE group_teachers (
  group_id INTEGER NOT NULL REFERENCES teaching_groups (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_teachers_by_user ON group_teachers (user_id);

CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES teaching_groups (id),
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  PRIMARY KEY (group_id, pupil_id)
) WITHOUT ROWID;
CREATE INDEX group_members_by_pupil ON group_members (pupil_id);

CREATE TABLE lessons (
  group_id INTEGER NOT NULL REFERENCES teaching_groups (id),
  cycle_day INTEGER NOT NULL CHECK (cycle_day BETWEEN 1 AND 10),
  period_id INTEGER NOT NULL REFERENCES periods (id),
  room TEXT NOT NULL,
  PRIMARY KEY (group_id, cycle_day, period_id)
) WITHOUT ROWID;
CREATE INDEX lessons_by_period ON lessons (period_id);

CREATE TABLE lesson_marks (
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
  period_id INTEGER NOT NULL REFERENCES periods (id),
  group_id INTEGER NOT NULL REFERENCES teaching_groups (id),
  code INTEGER NOT NULL,
  arrival_minute INTEGER CHECK (arrival_minute BETWEEN 0 AND 1439),
  recorded_at INTEGER NOT NULL,
  recorded_by INTEGER NOT NULL,
  PRIMARY KEY (pupil_id, date, period_id)
) WITHOUT ROWID;
CREATE INDEX lesson_marks_by_date ON lesson_marks (date, period_id, pupil_id);
CREATE INDEX lesson_marks_by_period ON lesson_marks (period_id);
CREATE INDEX lesson_marks_by_group ON lesson_marks (group_id);

CREATE TABLE lesson_mark_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
  period_id INTEGER NOT NULL REFERENCES periods (id),
  group_id INTEGER NOT NULL REFERENCES teaching_groups (id),
  old_code INTEGER,
  old_arrival_minute INTEGER,
  new_code INTEGER NOT NULL,
  new_arrival_minute INTEGER,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 9)
);
CREATE INDEX lesson_mark_audit_by_pupil ON lesson_mark_audit (pupil_id, id);
CREATE TRIGGER lesson_mark_audit_no_update BEFORE UPDATE ON lesson_mark_audit
BEGIN
  SELECT RAISE(ABORT, 'lesson_mark_audit is append-only');
END;
CREATE TRIGGER lesson_mark_audit_no_delete BEFORE DELETE ON lesson_mark_audit
BEGIN
  SELECT RAISE(ABORT, 'lesson_mark_audit is append-only');
END;
