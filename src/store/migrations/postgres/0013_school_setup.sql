-- 0013_school_setup.sql: the school's establishment number and postal
-- address. The twin of migrations/sqlite/0013_school_setup.sql; tenancy as in
-- 0001_initial.sql.

ALTER TABLE school ADD COLUMN establishment_number text NOT NULL DEFAULT '';
ALTER TABLE school ADD COLUMN address text NOT NULL DEFAULT '';  -- a line per line
ALTER TABLE school ADD COLUMN postcode text NOT NULL DEFAULT '';
