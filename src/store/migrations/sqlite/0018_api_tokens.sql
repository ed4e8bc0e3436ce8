-- 0018_api_tokens.sql: API tokens the head creates for other systems, and a
-- log of every request made with one.
--
-- Only a hash of each token is kept, never the token itself. A token is
-- never deleted: revoking it sets revoked_at, so its uses still name it.
-- Scopes are the scopes' names, space-separated. Uses are append-only.
-- The twin of migrations/postgres/0018_api_tokens.sql.

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name != ''),
  scopes TEXT NOT NULL CHECK (scopes != ''),
  token_hash TEXT NOT NULL UNIQUE,
  created_by_user_id INTEGER NOT NULL REFERENCES users (id),
  created_by_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
  revoked_at INTEGER,
  revoked_by TEXT NOT NULL DEFAULT '',
  last_used_at INTEGER
);

CREATE TABLE api_token_uses (
  id INTEGER PRIMARY KEY,
  token_id INTEGER NOT NULL REFERENCES api_tokens (id),
  at INTEGER NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
  remote_addr TEXT NOT NULL
);
CREATE INDEX api_token_uses_by_token ON api_token_uses (token_id, id);
CREATE TRIGGER api_token_uses_no_update BEFORE UPDATE ON api_token_uses
BEGIN
  SELECT RAISE(ABORT, 'api_token_uses is append-only');
END;
CREATE TRIGGER api_token_uses_no_delete BEFORE DELETE ON api_token_uses
BEGIN
  SELECT RAISE(ABORT, 'api_token_uses is append-only');
END;
CREATE TRIGGER api_tokens_no_delete BEFORE DELETE ON api_tokens
BEGIN
  SELECT RAISE(ABORT, 'api_tokens are revoked, never deleted');
END;
