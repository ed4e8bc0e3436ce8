-- 0037_rewards_settings.sql: the school's choice for rewards and recognition.
--
-- rewards_exclude_medical: 1 when pupils with a known medical condition in
-- force are left out of the rewards' class tables and lists (their sessions
-- leave their class's figure), 0 (the default) when they count like
-- everyone else (docs/rewards.md).

ALTER TABLE settings ADD COLUMN rewards_exclude_medical INTEGER NOT NULL DEFAULT 0
  CHECK (rewards_exclude_medical IN (0, 1));
