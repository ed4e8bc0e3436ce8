-- 0027_second_factor.sql: staff's second factor (one-time codes from an
-- authenticator app, RFC 6238), their recovery codes, the log of changes to
-- them, and the school's setting that requires them (docs/second-factor.md).
-- The twin of migrations/postgres/0027_second_factor.sql.
--
-- second_factors: one row per account that has begun enrolling. secret is
-- the 20 random bytes the app shares, as hex: it signs codes, so it cannot
-- be hashed; the pages show it only until the first code confirms it
-- (confirmed_at), never after. last_step is the newest 30-second step whose
-- code was accepted: a code of that step or an older one is refused, so a
-- code seen over someone's shoulder cannot be used again. recovery_key is
-- the random key that recovery codes are hashed with.
--
-- recovery_codes: the hashes of the codes shown once at enrolment; each
-- works once (used_at). second_factor_events: enrolled, turned off, reset by
-- the head, a recovery code used; append-only. second_factor_policy: each
-- change of the school's "second factor required" setting, the newest
-- row counting; none means not required.

CREATE TABLE second_factors (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  secret TEXT NOT NULL CHECK (length(secret) = 40),
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_step INTEGER NOT NULL DEFAULT 0 CHECK (last_step >= 0),
  recovery_key TEXT NOT NULL CHECK (length(recovery_key) = 64)
);

CREATE TABLE recovery_codes (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  code_hash TEXT NOT NULL CHECK (length(code_hash) = 64),
  used_at INTEGER,
  UNIQUE (user_id, code_hash)
);

CREATE TABLE second_factor_events (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL CHECK (kind IN ('enrolled', 'turned_off', 'reset', 'recovery_code_used',
                                     'new_recovery_codes')),
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL
);
CREATE INDEX second_factor_events_by_user ON second_factor_events (user_id, id);
CREATE TRIGGER second_factor_events_no_update BEFORE UPDATE ON second_factor_events
BEGIN
  SELECT RAISE(ABORT, 'second_factor_events is append-only');
END;
CREATE TRIGGER second_factor_events_no_delete BEFORE DELETE ON second_factor_events
BEGIN
  SELECT RAISE(ABORT, 'second_factor_events is append-only');
END;

CREATE TABLE second_factor_policy (
  id INTEGER PRIMARY KEY,
  required INTEGER NOT NULL CHECK (required IN (0, 1)),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);
