-- 0029_session_idle.sql: login sessions end after a spell without activity.
-- The twin of migrations/sqlite/0029_session_idle.sql (which says more).

ALTER TABLE auth_sessions ADD COLUMN last_seen_at bigint NOT NULL DEFAULT 0;
UPDATE auth_sessions SET last_seen_at = created_at;

ALTER TABLE settings ADD COLUMN session_idle_minutes integer NOT NULL DEFAULT 60
  CHECK (session_idle_minutes BETWEEN 5 AND 480);
