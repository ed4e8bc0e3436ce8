-- 0016_previous_attendance.sql: a pupil's attendance at the schools they
-- attended before this one, as their Common Transfer File gives it: per
-- academic year (its first calendar year: 2024 is 2024/25) and school (LA
-- and establishment numbers), the possible sessions, those attended and the
-- absences authorised and unauthorised, and, when the file has them, the
-- marks themselves (two characters a day from marks_start, docs/ctf.md).
--
-- These are the other school's figures: they are shown on the pupil's page
-- and never enter this school's statistics. A new file for the same year
-- and school replaces its row. The twin of
-- migrations/postgres/0016_previous_attendance.sql.

CREATE TABLE previous_attendance (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  academic_year INTEGER NOT NULL CHECK (academic_year BETWEEN 1990 AND 2200),
  lea TEXT NOT NULL,
  estab TEXT NOT NULL,
  school_name TEXT NOT NULL,
  possible INTEGER NOT NULL CHECK (possible >= 0),
  authorised INTEGER NOT NULL CHECK (authorised >= 0),
  attended INTEGER NOT NULL CHECK (attended >= 0),
  unauthorised INTEGER NOT NULL CHECK (unauthorised >= 0),
  marks_start TEXT CHECK (marks_start IS NULL OR date(marks_start, '+0 days') IS marks_start),
  marks TEXT NOT NULL,
  UNIQUE (pupil_id, academic_year, lea, estab)
);
