-- 0032_audit_numbering.sql: nothing to do on SQLite.
--
-- The PostgreSQL twin numbers each school's mark_audit rows from a counter
-- instead of reading the largest number so far. SQLite numbers them with
-- AUTOINCREMENT, which already costs one lookup per row, so it keeps the
-- same version number with no change.
SELECT 1;
