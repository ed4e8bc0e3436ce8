-- 0013_school_setup.sql: the school's establishment number and postal
-- address, which set-up (`rollcall init` and the first-run page) asks for.
-- Existing schools have none until the head adds them.

ALTER TABLE school ADD COLUMN establishment_number TEXT NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN address TEXT NOT NULL DEFAULT '';  -- a line per line
ALTER TABLE school ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
