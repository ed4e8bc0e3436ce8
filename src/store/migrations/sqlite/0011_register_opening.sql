-- 0011_register_opening.sql: when each session's register opens, as minutes
-- before the session starts (the opening time is the start less these). A
-- mark for a session is refused before its register opens, and the day's
-- figures count a session only once it has. Kept as a lead rather than a
-- time of day so that settings saved before this migration open 15 minutes
-- before their own start times, and a new start time carries its opening
-- time with it. The opening time is a time of the same day: the lead is at
-- most the start minute.

ALTER TABLE settings ADD COLUMN am_opens_before_minutes INTEGER NOT NULL DEFAULT 15
  CHECK (am_opens_before_minutes BETWEEN 0 AND am_start_minute);
ALTER TABLE settings ADD COLUMN pm_opens_before_minutes INTEGER NOT NULL DEFAULT 15
  CHECK (pm_opens_before_minutes BETWEEN 0 AND pm_start_minute);
