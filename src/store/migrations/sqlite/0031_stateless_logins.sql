-- 0031_stateless_logins.sql: what a login needs remembered between
-- requests, and who runs each scheduled job, kept in the database so that
-- any number of server processes share them (docs/postgresql.md, "Several
-- processes"). The twin of migrations/postgres/0031_stateless_logins.sql.
--
-- login_failures: one row per failed login, wrong code or wrong
-- set-password link, by the throttle's username and address
-- (service/sessions.cc). A right password clears its pair's rows (cleared =
-- 1), which then count only towards the address's ceiling; rows no count
-- needs any more (older than the window, and cleared or of a pair gone
-- quiet for the window) are deleted as each new failure is recorded.
--
-- pending_logins: a right password that still needs a one-time code or an
-- enrolment, by the hash of its token (the token itself is only in the
-- person's cookie), with the wrong codes tried against it.
--
-- job_leases: which process runs each scheduled job that must run once
-- (the daily share, the nightly purge, ...) and until when; another process
-- takes the job over only once `until` has passed.

CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  address TEXT NOT NULL,
  at INTEGER NOT NULL,
  cleared INTEGER NOT NULL DEFAULT 0 CHECK (cleared IN (0, 1))
);
CREATE INDEX login_failures_by_pair ON login_failures (username, address, at);
CREATE INDEX login_failures_by_address ON login_failures (address, at);
CREATE INDEX login_failures_by_time ON login_failures (at);

CREATE TABLE pending_logins (
  token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
  user_id INTEGER NOT NULL REFERENCES users (id),
  must_enrol INTEGER NOT NULL CHECK (must_enrol IN (0, 1)),
  enrolment_begun INTEGER NOT NULL DEFAULT 0 CHECK (enrolment_begun IN (0, 1)),
  wrong_codes INTEGER NOT NULL DEFAULT 0 CHECK (wrong_codes >= 0),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX pending_logins_by_expiry ON pending_logins (expires_at);

CREATE TABLE job_leases (
  job TEXT PRIMARY KEY CHECK (length(job) BETWEEN 1 AND 64),
  holder TEXT NOT NULL CHECK (length(holder) BETWEEN 1 AND 200),
  until INTEGER NOT NULL
) WITHOUT ROWID;
