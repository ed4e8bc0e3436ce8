-- 0001_initial.sql: the first schema of the SQLite store.
--
-- Dates are ISO text 'YYYY-MM-DD': the CHECKs reject any text that date()
-- with a modifier would rewrite, so also days that do not exist (2025-02-29).
-- Times are Unix seconds; times of day are minutes after midnight.
-- Enum columns hold the frozen numbers of core/codes.h, core/session.h and
-- store/store.h. A merged migration is never edited: a fix is a new number.

CREATE TABLE school (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  urn TEXT NOT NULL,
  la_code TEXT NOT NULL,
  phase TEXT NOT NULL
);

-- Every change of settings is a new version; none is ever updated.
CREATE TABLE settings (
  version INTEGER PRIMARY KEY CHECK (version >= 1),
  am_start_minute INTEGER NOT NULL CHECK (am_start_minute BETWEEN 0 AND 1439),
  pm_start_minute INTEGER NOT NULL CHECK (pm_start_minute BETWEEN 0 AND 1439),
  register_close_minutes INTEGER NOT NULL CHECK (register_close_minutes BETWEEN 0 AND 30),
  policy_json TEXT NOT NULL,
  target_attendance_pct TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);

CREATE TABLE terms (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  start_date TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
  end_date TEXT NOT NULL CHECK (date(end_date, '+0 days') IS end_date),
  CHECK (start_date <= end_date)
);
CREATE INDEX terms_by_start ON terms (start_date, id);

CREATE TABLE closures (
  date TEXT PRIMARY KEY CHECK (date(date, '+0 days') IS date),
  sessions INTEGER NOT NULL CHECK (sessions IN (1, 2, 3)),
  reason TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 6),
  password_hash TEXT NOT NULL,
  la_code TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1))
);

CREATE TABLE classes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  year_group INTEGER NOT NULL
);
CREATE INDEX classes_by_name ON classes (name, id);

-- Teachers who take a class's register: Class.teacher_ids and User.class_ids.
CREATE TABLE class_teachers (
  class_id INTEGER NOT NULL REFERENCES classes (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (class_id, user_id)
) WITHOUT ROWID;
CREATE INDEX class_teachers_by_user ON class_teachers (user_id, class_id);

CREATE TABLE pupils (
  id INTEGER PRIMARY KEY,
  upn TEXT NOT NULL UNIQUE,
  legal_given_name TEXT NOT NULL,
  legal_family_name TEXT NOT NULL,
  preferred_given_name TEXT NOT NULL,
  preferred_family_name TEXT NOT NULL,
  date_of_birth TEXT NOT NULL CHECK (date(date_of_birth, '+0 days') IS date_of_birth),
  sex TEXT NOT NULL,
  year_group INTEGER NOT NULL,
  class_id INTEGER REFERENCES classes (id)
);
CREATE INDEX pupils_by_class ON pupils (class_id);

CREATE TABLE pupil_flags (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  flag TEXT NOT NULL,
  from_date TEXT NOT NULL CHECK (date(from_date, '+0 days') IS from_date),
  to_date TEXT CHECK (to_date IS NULL OR date(to_date, '+0 days') IS to_date)
);
CREATE INDEX pupil_flags_by_pupil ON pupil_flags (pupil_id);

CREATE TABLE enrolments (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  start_date TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
  end_date TEXT CHECK (end_date IS NULL OR date(end_date, '+0 days') IS end_date),
  deletion_ground TEXT NOT NULL,
  destination TEXT NOT NULL
);
CREATE INDEX enrolments_by_pupil ON enrolments (pupil_id);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  priority INTEGER NOT NULL,
  name TEXT NOT NULL,
  relationship TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT NOT NULL,
  user_id INTEGER REFERENCES users (id)
);
CREATE INDEX contacts_by_pupil ON contacts (pupil_id);
CREATE INDEX contacts_by_user ON contacts (user_id);

-- Parents' accounts and their children: User.pupil_ids.
CREATE TABLE parent_links (
  user_id INTEGER NOT NULL REFERENCES users (id),
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  PRIMARY KEY (user_id, pupil_id)
) WITHOUT ROWID;
CREATE INDEX parent_links_by_pupil ON parent_links (pupil_id, user_id);

-- recorded_by is not a foreign key: imports and the system record marks too,
-- and the audit row keeps the name and role anyway.
CREATE TABLE marks (
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
  session INTEGER NOT NULL CHECK (session IN (1, 2)),
  code INTEGER NOT NULL,
  arrival_minute INTEGER CHECK (arrival_minute BETWEEN 0 AND 1439),
  recorded_at INTEGER NOT NULL,
  recorded_by INTEGER NOT NULL,
  PRIMARY KEY (pupil_id, date, session)
) WITHOUT ROWID;
CREATE INDEX marks_by_slot ON marks (date, session, pupil_id);

-- Append-only: the triggers below reject every UPDATE and DELETE.
CREATE TABLE mark_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
  session INTEGER NOT NULL CHECK (session IN (1, 2)),
  old_code INTEGER,
  old_arrival_minute INTEGER,
  new_code INTEGER NOT NULL,
  new_arrival_minute INTEGER,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6)
);
CREATE INDEX mark_audit_by_pupil ON mark_audit (pupil_id, id);

CREATE TRIGGER mark_audit_no_update BEFORE UPDATE ON mark_audit
BEGIN
  SELECT RAISE(ABORT, 'mark_audit is append-only');
END;

CREATE TRIGGER mark_audit_no_delete BEFORE DELETE ON mark_audit
BEGIN
  SELECT RAISE(ABORT, 'mark_audit is append-only');
END;

CREATE TABLE auth_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_at);
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id);
