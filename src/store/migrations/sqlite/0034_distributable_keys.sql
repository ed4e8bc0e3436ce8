-- 0034_distributable_keys.sql: nothing to do on SQLite.
--
-- The PostgreSQL twin makes every per-school table's keys start with
-- school_id, so that the tables of many schools could be spread over several
-- database servers by school. An SQLite file holds one school and has no
-- school_id column at all, so it keeps the same version number with no
-- change.
SELECT 1;
