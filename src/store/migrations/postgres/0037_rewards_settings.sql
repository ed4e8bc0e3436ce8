-- 0037_rewards_settings.sql: the school's choice for rewards and recognition.
-- The twin of migrations/sqlite/0037_rewards_settings.sql (which says more).

ALTER TABLE settings ADD COLUMN rewards_exclude_medical integer NOT NULL DEFAULT 0
  CHECK (rewards_exclude_medical IN (0, 1));
