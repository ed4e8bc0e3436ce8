-- 0030_indexable_read_policy.sql: nothing to do on SQLite.
--
-- The PostgreSQL twin rewrites each table's row-level read policy so that
-- PostgreSQL can use the school_id at the front of every index. An SQLite
-- database holds one school and has no row-level security, so it keeps the
-- same version number with no change.
SELECT 1;
