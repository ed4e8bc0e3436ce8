-- 0030_indexable_read_policy.sql: every table's read policy as one
-- comparison with an array, which PostgreSQL can use as an index condition.
--
-- The read policy of 0001 was `school_id = rollcall_school_id() OR school_id
-- IN (the LA's schools)`. The OR keeps the planner from using school_id in an
-- index, and the store's SQL (shared with SQLite) never names school_id, so
-- every index, all of which start with school_id, was useless: each lookup of
-- one mark read the whole marks table of every school. The same rows are
-- readable as before: the school's own, or those of the LA's schools.
CREATE FUNCTION rollcall_readable_schools() RETURNS bigint[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(SELECT rollcall_school_id() WHERE rollcall_school_id() IS NOT NULL
               UNION SELECT id FROM schools WHERE la_code = rollcall_la_code())
$$;

DO $$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT p.polrelid::regclass FROM pg_policy p WHERE p.polname = 'school_read' LOOP
    EXECUTE format('ALTER POLICY school_read ON %s '
                   'USING (school_id = ANY (rollcall_readable_schools()))', t);
  END LOOP;
END $$;

-- Tables created by later migrations get the same read policy.
CREATE OR REPLACE FUNCTION rollcall_secure_tables() RETURNS integer LANGUAGE plpgsql AS $$
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
    EXECUTE format('CREATE POLICY school_read ON %s FOR SELECT '
                   'USING (school_id = ANY (rollcall_readable_schools()))', t);
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
