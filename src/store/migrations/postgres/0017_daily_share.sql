-- 0017_daily_share.sql: the daily attendance share's two settings, its log
-- and the marks as last shared. The twin of
-- migrations/sqlite/0017_daily_share.sql (which says more); tenancy as in
-- 0001_initial.sql. A share's id is its version within its school.

ALTER TABLE settings
  ADD COLUMN share_destination text NOT NULL DEFAULT '',
  ADD COLUMN share_minute integer NOT NULL DEFAULT 1080,
  ADD CHECK (share_minute BETWEEN 0 AND 1439);

CREATE TABLE shares (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint NOT NULL CHECK (id >= 1),
  at bigint NOT NULL,
  destination_kind text NOT NULL CHECK (destination_kind IN ('folder', 'https')),
  destination text NOT NULL,
  row_count bigint NOT NULL CHECK (row_count >= 0),
  status text NOT NULL CHECK (status IN ('ok', 'failed')),
  detail text NOT NULL,
  by_name text NOT NULL,
  one_off integer NOT NULL DEFAULT 0 CHECK (one_off IN (0, 1)),
  PRIMARY KEY (school_id, id)
);

CREATE TABLE shared_marks (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  pupil_id bigint NOT NULL,
  date text NOT NULL CHECK (rollcall_is_date(date)),
  session integer NOT NULL CHECK (session IN (1, 2)),
  code integer NOT NULL,
  arrival_minute integer CHECK (arrival_minute BETWEEN 0 AND 1439),
  share_id bigint NOT NULL,
  PRIMARY KEY (school_id, pupil_id, date, session),
  FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id),
  FOREIGN KEY (school_id, share_id) REFERENCES shares (school_id, id)
);
