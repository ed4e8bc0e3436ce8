-- 0029_session_idle.sql: login sessions end after a spell without activity.
--
-- last_seen_at is when the session last made a request, written at most
-- once a minute per session (service/sessions.cc), so a busy register page
-- does not write on every click. Sessions open when this migration runs
-- count as seen when they were opened.
--
-- session_idle_minutes is the school's setting: a session not seen for this
-- many minutes ends (60 unless the head changes it), within the 8-hour cap
-- every login has anyway.

ALTER TABLE auth_sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE auth_sessions SET last_seen_at = created_at;

ALTER TABLE settings ADD COLUMN session_idle_minutes INTEGER NOT NULL DEFAULT 60
  CHECK (session_idle_minutes BETWEEN 5 AND 480);
