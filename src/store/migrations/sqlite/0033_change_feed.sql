-- 0033_change_feed.sql: nothing to do on SQLite.
--
-- The PostgreSQL twin records which transaction last wrote each mark and
-- counts every other change of a school, so that each server process learns
-- what the others committed. An SQLite connection asks the engine instead
-- (PRAGMA data_version moves when another connection commits) and reads the
-- school again, so the file keeps the same version number with no change.
SELECT 1;
