-- 0032_audit_numbering.sql: mark_audit rows numbered from a counter per
-- school, not by reading the largest number so far.
--
-- 0001 numbered each new row `MAX(id) + 1` over the school's rows. With the
-- row-level read policy in the query, PostgreSQL answered that by reading
-- every audit row of the school through the by-pupil index, so each mark
-- recorded cost time in proportion to all the marks ever recorded: 20,000
-- rows took 39 s to insert into an empty table, and a busy school's
-- registers slowed down all year. The counter keeps the numbering as it was
-- (1, 2, 3, ... within each school, no gap: a rolled-back insert rolls the
-- counter back too) at one indexed update per row. Writers to one school
-- already queue on the school's write lock, so the counter's row lock adds
-- no waiting. A school's counter starts, at its first audit row after this
-- migration, from the rows it already has (the migration itself cannot read
-- them: row-level security hides every school's rows from it).
CREATE TABLE mark_audit_numbers (
  school_id bigint NOT NULL DEFAULT rollcall_school_id() REFERENCES schools (id),
  last_id bigint NOT NULL,
  PRIMARY KEY (school_id)
);

CREATE OR REPLACE FUNCTION rollcall_mark_audit_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE mark_audit_numbers SET last_id = last_id + 1 WHERE school_id = NEW.school_id
  RETURNING last_id INTO NEW.id;
  IF NOT FOUND THEN
    NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM mark_audit WHERE school_id = NEW.school_id);
    INSERT INTO mark_audit_numbers (school_id, last_id) VALUES (NEW.school_id, NEW.id);
  END IF;
  RETURN NEW;
END $$;
