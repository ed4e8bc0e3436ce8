-- 0033_change_feed.sql: how a server process learns, cheaply and on every
-- request, what other processes committed to its school.
--
-- Marks change many times a minute in the morning, so they are followed row
-- by row: each row carries changed_xid, the transaction that last wrote it
-- (the default on INSERT, the trigger below on UPDATE). A reader remembers
-- the oldest transaction still running when it last read
-- (pg_snapshot_xmin(pg_current_snapshot())); every row committed since then
-- has changed_xid at or above it, including a row whose transaction was
-- already running then but committed later, so the next read of the rows at
-- or above it misses nothing. A row may be read twice; the reader applies it
-- again, which changes nothing.
--
-- Everything else the server keeps in memory (the school, settings,
-- calendar, accounts, classes, pupils and what hangs off them, part-time
-- timetables, leave) changes rarely, so one counter a school says that some
-- of it changed and the reader reads the whole school again. Statement
-- triggers bump it, once per statement, in the writing transaction, so it
-- moves exactly when the change commits. A deleted mark (the retention
-- purge) bumps it too: a row that is gone cannot be followed.
ALTER TABLE marks ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX marks_by_change ON marks (school_id, changed_xid);

CREATE FUNCTION rollcall_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_xid := pg_current_xact_id();
  RETURN NEW;
END $$;
CREATE TRIGGER marks_changed BEFORE UPDATE ON marks
  FOR EACH ROW EXECUTE FUNCTION rollcall_mark_changed();

CREATE TABLE school_changes (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  version bigint NOT NULL,
  PRIMARY KEY (school_id)
);

-- A connection opened for an LA writes nothing and one not yet scoped to a
-- school (registering it) has no school to count: both are skipped.
CREATE FUNCTION rollcall_school_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF rollcall_school_id() IS NOT NULL THEN
    INSERT INTO school_changes (school_id, version) VALUES (rollcall_school_id(), 1)
      ON CONFLICT (school_id) DO UPDATE SET version = school_changes.version + 1;
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['schools', 'school', 'settings', 'terms', 'closures', 'users',
                           'classes', 'class_teachers', 'pupils', 'pupil_flags', 'enrolments',
                           'contacts', 'parent_links', 'part_time_timetables',
                           'part_time_reviews', 'leave_requests', 'leave_decisions'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION rollcall_school_changed()',
                   t || '_school_changed', t);
  END LOOP;
END $$;
CREATE TRIGGER marks_school_changed AFTER DELETE ON marks
  FOR EACH STATEMENT EXECUTE FUNCTION rollcall_school_changed();

-- Every read of every table asks rollcall_readable_schools() (0030) once per
-- scan. As an SQL function its query was planned again on each call, which
-- made the change check above cost ten times a bare round trip; in PL/pgSQL
-- the plan is kept for the connection's life. Same rows, same result.
CREATE OR REPLACE FUNCTION rollcall_readable_schools() RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN ARRAY(SELECT rollcall_school_id() WHERE rollcall_school_id() IS NOT NULL
               UNION SELECT id FROM schools WHERE la_code = rollcall_la_code());
END $$;
