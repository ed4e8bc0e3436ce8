-- 0028_backups.sql: the scheduled backup a server makes of its own SQLite
-- database, and the log of each one made.
--
-- backup_settings: at most one row (id 1). The server writes
-- <folder>/rollcall-YYYY-MM-DD.db once a day at at_minute (UK local time,
-- minutes after midnight) and then deletes the oldest of those files beyond
-- `keep`. No row, or an empty folder, means no scheduled backups.
--
-- backup_runs: one row per backup attempted, kept (a few hundred bytes a
-- day). for_date is the school day the backup was due on, so one day's
-- backup is tried once; status 'failed' keeps the reason in detail for the
-- head's page. Only the log: the backup files live in the folder.

CREATE TABLE backup_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  folder TEXT NOT NULL,
  at_minute INTEGER NOT NULL CHECK (at_minute BETWEEN 0 AND 1439),
  keep INTEGER NOT NULL CHECK (keep BETWEEN 1 AND 366),
  updated_at INTEGER NOT NULL,
  updated_by_name TEXT NOT NULL
);

CREATE TABLE backup_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  for_date TEXT NOT NULL CHECK (date(for_date, '+0 days') IS for_date),
  started_at INTEGER NOT NULL,
  file TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  bytes INTEGER NOT NULL CHECK (bytes >= 0),
  milliseconds INTEGER NOT NULL CHECK (milliseconds >= 0),
  pruned INTEGER NOT NULL CHECK (pruned >= 0),
  detail TEXT NOT NULL
);
CREATE INDEX backup_runs_by_date ON backup_runs (for_date);
