-- 0001_initial.sql: the first schema of the PostgreSQL store, the twin of
-- migrations/sqlite/0001_initial.sql, with many schools in one database.
--
-- Tenancy. `schools` registers each school by URN. Every other table has
-- school_id NOT NULL DEFAULT rollcall_school_id(): the connection's setting
-- rollcall.school_id, which the store sets when it opens a school. Row-level
-- security is forced on every such table (so even its owner is subject to
-- it) with the policies of rollcall_secure_tables() below, the one place they
-- are written: the migration runner calls it after every migration, so a
-- table added later is covered the same way. A connection sees and writes
-- only its school's rows; one opened for an LA (rollcall.la_code) reads the
-- rows of that LA's schools and writes nothing. Keys that are unique within
-- a school include school_id, and rows refer to each other by (school_id,
-- id), so a row can only ever point at a row of its own school.
--
-- Types follow SQLite so the store's SQL is shared: dates are ISO text
-- 'YYYY-MM-DD' (rollcall_is_date() rejects days that do not exist), ids and
-- times bigint (Unix seconds), enums and 0/1 booleans integer with the
-- frozen numbers of core/codes.h, core/session.h and store/store.h.
-- A merged migration is never edited: a fix is a new number.

CREATE FUNCTION rollcall_school_id() RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('rollcall.school_id', true), '')::bigint $$;
CREATE FUNCTION rollcall_school_urn() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('rollcall.school_urn', true), '') $$;
CREATE FUNCTION rollcall_la_code() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('rollcall.la_code', true), '') $$;

-- True for ISO text that is a real day; the twin of SQLite's
-- date(value, '+0 days') IS value.
CREATE FUNCTION rollcall_is_date(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND to_char(value::date, 'YYYY-MM-DD') = value;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;

-- The trigger function of every append-only table.
CREATE FUNCTION rollcall_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

CREATE TABLE schools (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  urn text NOT NULL UNIQUE CHECK (urn <> ''),
  la_code text NOT NULL DEFAULT ''
);
CREATE INDEX schools_by_la ON schools (la_code);
ALTER TABLE schools ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY schools_read ON schools FOR SELECT
  USING (id = rollcall_school_id() OR urn = rollcall_school_urn()
         OR la_code = rollcall_la_code());
CREATE POLICY schools_register ON schools FOR INSERT WITH CHECK (urn = rollcall_school_urn());
CREATE POLICY schools_update ON schools FOR UPDATE
  USING (id = rollcall_school_id()) WITH CHECK (id = rollcall_school_id());

-- Row-level security and the four policies on every table with a school_id
-- that has none yet. Returns how many tables it secured.
CREATE FUNCTION rollcall_secure_tables() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  t regclass;
  secured integer := 0;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
    WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY school_read ON %s FOR SELECT USING (school_id = '
                   'rollcall_school_id() OR school_id IN (SELECT id FROM schools '
                   'WHERE la_code = rollcall_la_code()))', t);
    EXECUTE format('CREATE POLICY school_insert ON %s FOR INSERT '
                   'WITH CHECK (school_id = rollcall_school_id())', t);
    EXECUTE format('CREATE POLICY school_update ON %s FOR UPDATE USING (school_id = '
                   'rollcall_school_id()) WITH CHECK (school_id = rollcall_school_id())', t);
    EXECUTE format('CREATE POLICY school_delete ON %s FOR DELETE '
                   'USING (school_id = rollcall_school_id())', t);
    secured := secured + 1;
  END LOOP;
  RETURN secured;
END $$;

CREATE TABLE school (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id integer NOT NULL CHECK (id = 1),
  name text NOT NULL,
  urn text NOT NULL,
  la_code text NOT NULL,
  phase text NOT NULL,
  PRIMARY KEY (school_id, id)
);

-- The school's LA code is what an LA officer's view is filtered by.
CREATE FUNCTION rollcall_register_la_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE schools SET la_code = NEW.la_code WHERE id = NEW.school_id;
  RETURN NEW;
END $$;
CREATE TRIGGER school_registers_la_code AFTER INSERT OR UPDATE ON school
FOR EACH ROW EXECUTE FUNCTION rollcall_register_la_code();

-- Every change of settings is a new version; none is ever updated.
CREATE TABLE settings (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  version bigint NOT NULL CHECK (version >= 1),
  am_start_minute integer NOT NULL CHECK (am_start_minute BETWEEN 0 AND 1439),
  pm_start_minute integer NOT NULL CHECK (pm_start_minute BETWEEN 0 AND 1439),
  register_close_minutes integer NOT NULL CHECK (register_close_minutes BETWEEN 0 AND 30),
  policy_json text NOT NULL,
  target_attendance_pct text NOT NULL,
  set_at bigint NOT NULL,
  set_by text NOT NULL,
  PRIMARY KEY (school_id, version)
);

CREATE TABLE terms (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  start_date text NOT NULL CHECK (rollcall_is_date(start_date)),
  end_date text NOT NULL CHECK (rollcall_is_date(end_date)),
  CHECK (start_date <= end_date)
);
CREATE INDEX terms_by_start ON terms (school_id, start_date, id);

CREATE TABLE closures (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  date text NOT NULL CHECK (rollcall_is_date(date)),
  sessions integer NOT NULL CHECK (sessions IN (1, 2, 3)),
  reason text NOT NULL,
  PRIMARY KEY (school_id, date)
);

CREATE TABLE users (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  role integer NOT NULL CHECK (role BETWEEN 1 AND 6),
  password_hash text NOT NULL,
  la_code text NOT NULL,
  active integer NOT NULL CHECK (active IN (0, 1)),
  UNIQUE (school_id, username),
  UNIQUE (school_id, id)
);

CREATE TABLE classes (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  year_group integer NOT NULL,
  UNIQUE (school_id, id)
);
CREATE INDEX classes_by_name ON classes (school_id, name, id);

-- Teachers who take a class's register: Class.teacher_ids and User.class_ids.
CREATE TABLE class_teachers (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  class_id bigint NOT NULL,
  user_id bigint NOT NULL,
  PRIMARY KEY (school_id, class_id, user_id),
  FOREIGN KEY (school_id, class_id) REFERENCES classes (school_id, id),
  FOREIGN KEY (school_id, user_id) REFERENCES users (school_id, id)
);
CREATE INDEX class_teachers_by_user ON class_teachers (school_id, user_id, class_id);

CREATE TABLE pupils (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  upn text NOT NULL,
  legal_given_name text NOT NULL,
  legal_family_name text NOT NULL,
  preferred_given_name text NOT NULL,
  preferred_family_name text NOT NULL,
  date_of_birth text NOT NULL CHECK (rollcall_is_date(date_of_birth)),
  sex text NOT NULL,
  year_group integer NOT NULL,
  class_id bigint,
  UNIQUE (school_id, upn),
  UNIQUE (school_id, id),
  FOREIGN KEY (school_id, class_id) REFERENCES classes (school_id, id)
);
CREATE INDEX pupils_by_class ON pupils (school_id, class_id);

CREATE TABLE pupil_flags (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  pupil_id bigint NOT NULL,
  flag text NOT NULL,
  from_date text NOT NULL CHECK (rollcall_is_date(from_date)),
  to_date text CHECK (to_date IS NULL OR rollcall_is_date(to_date)),
  FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);
CREATE INDEX pupil_flags_by_pupil ON pupil_flags (school_id, pupil_id);

CREATE TABLE enrolments (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  pupil_id bigint NOT NULL,
  start_date text NOT NULL CHECK (rollcall_is_date(start_date)),
  end_date text CHECK (end_date IS NULL OR rollcall_is_date(end_date)),
  deletion_ground text NOT NULL,
  destination text NOT NULL,
  FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);
CREATE INDEX enrolments_by_pupil ON enrolments (school_id, pupil_id);

CREATE TABLE contacts (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  pupil_id bigint NOT NULL,
  priority integer NOT NULL,
  name text NOT NULL,
  relationship text NOT NULL,
  phone text NOT NULL,
  email text NOT NULL,
  user_id bigint,
  FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id),
  FOREIGN KEY (school_id, user_id) REFERENCES users (school_id, id)
);
CREATE INDEX contacts_by_pupil ON contacts (school_id, pupil_id);
CREATE INDEX contacts_by_user ON contacts (school_id, user_id);

-- Parents' accounts and their children: User.pupil_ids.
CREATE TABLE parent_links (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  user_id bigint NOT NULL,
  pupil_id bigint NOT NULL,
  PRIMARY KEY (school_id, user_id, pupil_id),
  FOREIGN KEY (school_id, user_id) REFERENCES users (school_id, id),
  FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);
CREATE INDEX parent_links_by_pupil ON parent_links (school_id, pupil_id, user_id);

-- recorded_by is not a foreign key: imports and the system record marks too,
-- and the audit row keeps the name and role anyway.
CREATE TABLE marks (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  pupil_id bigint NOT NULL,
  date text NOT NULL CHECK (rollcall_is_date(date)),
  session integer NOT NULL CHECK (session IN (1, 2)),
  code integer NOT NULL,
  arrival_minute integer CHECK (arrival_minute BETWEEN 0 AND 1439),
  recorded_at bigint NOT NULL,
  recorded_by bigint NOT NULL,
  PRIMARY KEY (school_id, pupil_id, date, session),
  FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);
CREATE INDEX marks_by_slot ON marks (school_id, date, session, pupil_id);

-- Append-only: the triggers below reject every UPDATE and DELETE. Ids run
-- 1, 2, 3, ... within each school with no gap, as with SQLite's
-- AUTOINCREMENT (a sequence would leave one after each rollback): the
-- trigger numbers each row, under the school's write lock.
CREATE TABLE mark_audit (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  id bigint NOT NULL,
  pupil_id bigint NOT NULL,
  date text NOT NULL CHECK (rollcall_is_date(date)),
  session integer NOT NULL CHECK (session IN (1, 2)),
  old_code integer,
  old_arrival_minute integer,
  new_code integer NOT NULL,
  new_arrival_minute integer,
  reason text NOT NULL,
  at bigint NOT NULL,
  by_user_id bigint NOT NULL,
  by_name text NOT NULL,
  by_role integer NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  PRIMARY KEY (school_id, id),
  FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);
CREATE FUNCTION rollcall_mark_audit_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM mark_audit WHERE school_id = NEW.school_id);
  RETURN NEW;
END $$;
CREATE TRIGGER mark_audit_number BEFORE INSERT ON mark_audit
FOR EACH ROW EXECUTE FUNCTION rollcall_mark_audit_number();
CREATE INDEX mark_audit_by_pupil ON mark_audit (school_id, pupil_id, id);
CREATE TRIGGER mark_audit_append_only BEFORE UPDATE OR DELETE ON mark_audit
FOR EACH ROW EXECUTE FUNCTION rollcall_append_only();

CREATE TABLE auth_sessions (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  token_hash text NOT NULL,
  user_id bigint NOT NULL,
  csrf_token text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (school_id, token_hash),
  FOREIGN KEY (school_id, user_id) REFERENCES users (school_id, id)
);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions (school_id, expires_at);
CREATE INDEX auth_sessions_by_user ON auth_sessions (school_id, user_id);
