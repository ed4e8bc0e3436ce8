-- 0010_leave.sql: leave-of-absence requests (core/leave.h) and what became
-- of them. A request names the pupil, the first and last sessions, the code
-- the leave would be recorded with (C1, M, J1, S or C), the reason, any
-- evidence and the day the school received it. Each request is decided
-- once, by the head: granted or refused with the reason; a parent may
-- withdraw it before then. Both tables are append-only.

CREATE TABLE leave_requests (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  from_date TEXT NOT NULL CHECK (date(from_date, '+0 days') IS from_date),
  from_session INTEGER NOT NULL CHECK (from_session IN (1, 2)),
  to_date TEXT NOT NULL CHECK (date(to_date, '+0 days') IS to_date),
  to_session INTEGER NOT NULL CHECK (to_session IN (1, 2)),
  code TEXT NOT NULL CHECK (code IN ('C1', 'M', 'J1', 'S', 'C')),
  reason TEXT NOT NULL CHECK (reason != ''),
  evidence TEXT NOT NULL,
  received_on TEXT NOT NULL CHECK (date(received_on, '+0 days') IS received_on),
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  CHECK (from_date < to_date OR (from_date = to_date AND from_session <= to_session))
);
CREATE INDEX leave_requests_by_pupil ON leave_requests (pupil_id, id);

CREATE TABLE leave_decisions (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL UNIQUE REFERENCES leave_requests (id),
  decision TEXT NOT NULL CHECK (decision IN ('granted', 'refused', 'withdrawn')),
  reason TEXT NOT NULL,
  letter_id INTEGER REFERENCES letters (id),
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6)
);

CREATE TRIGGER leave_requests_no_update BEFORE UPDATE ON leave_requests
BEGIN
  SELECT RAISE(ABORT, 'leave_requests is append-only');
END;
CREATE TRIGGER leave_requests_no_delete BEFORE DELETE ON leave_requests
BEGIN
  SELECT RAISE(ABORT, 'leave_requests is append-only');
END;
CREATE TRIGGER leave_decisions_no_update BEFORE UPDATE ON leave_decisions
BEGIN
  SELECT RAISE(ABORT, 'leave_decisions is append-only');
END;
CREATE TRIGGER leave_decisions_no_delete BEFORE DELETE ON leave_decisions
BEGIN
  SELECT RAISE(ABORT, 'leave_decisions is append-only');
END;
