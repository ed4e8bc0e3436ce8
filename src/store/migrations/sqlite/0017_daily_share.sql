-- 0017_daily_share.sql: the daily attendance share (docs/share.md).
--
-- Two settings: where the share goes (a folder on this machine or an https
-- address; '' for nowhere yet) and the time of day (UK, minutes after
-- midnight) after which the scheduled share runs, 18:00 unless set.
--
-- `shares` is the log, one row per attempt; its id is the share's version,
-- the number the extract carries (and the start of the Idempotency-Key an
-- https receiver sees), so a resend after a crash between sending and
-- recording carries the same number. A failed attempt is logged too, and changes
-- nothing else: the next share sends the same marks again. So does a
-- one-off share (one_off = 1), sent to a folder or address given for that
-- share only: the configured destination has still not had its marks.
--
-- `shared_marks` holds, per pupil and session, the mark as last shared and
-- the share that sent it. The next share sends every mark that differs from
-- it (new or amended since). It is replaced only in the transaction that
-- logs a successful share. The twin of migrations/postgres/0017_daily_share.sql.

ALTER TABLE settings ADD COLUMN share_destination TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN share_minute INTEGER NOT NULL DEFAULT 1080
  CHECK (share_minute BETWEEN 0 AND 1439);

CREATE TABLE shares (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  at INTEGER NOT NULL,
  destination_kind TEXT NOT NULL CHECK (destination_kind IN ('folder', 'https')),
  destination TEXT NOT NULL,
  row_count INTEGER NOT NULL CHECK (row_count >= 0),
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  detail TEXT NOT NULL,
  by_name TEXT NOT NULL,
  one_off INTEGER NOT NULL DEFAULT 0 CHECK (one_off IN (0, 1))
);

CREATE TABLE shared_marks (
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
  session INTEGER NOT NULL CHECK (session IN (1, 2)),
  code INTEGER NOT NULL,
  arrival_minute INTEGER CHECK (arrival_minute BETWEEN 0 AND 1439),
  share_id INTEGER NOT NULL REFERENCES shares (id),
  PRIMARY KEY (pupil_id, date, session)
) WITHOUT ROWID;
