-- 0011_register_opening.sql: the twin of migrations/sqlite/0011_register_opening.sql.
-- When each session's register opens, as minutes before the session starts
-- (the opening time is the start less these). Kept as a lead rather than a
-- time of day so that settings saved before this migration open 15 minutes
-- before their own start times without updating any row, and a new start
-- time carries its opening time with it. The lead is at most the start
-- minute, so the opening time is a time of the same day.

ALTER TABLE settings
  ADD COLUMN am_opens_before_minutes integer NOT NULL DEFAULT 15,
  ADD COLUMN pm_opens_before_minutes integer NOT NULL DEFAULT 15,
  ADD CHECK (am_opens_before_minutes BETWEEN 0 AND am_start_minute),
  ADD CHECK (pm_opens_before_minutes BETWEEN 0 AND pm_start_minute);
