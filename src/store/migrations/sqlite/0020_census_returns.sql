-- 0020_census_returns.sql: the school census attendance returns the school
-- has downloaded (docs/census.md): which census (spring, summer or autumn)
-- of which year, when and by whom, its totals, how many problems the checks
-- still found, and the XML itself, so the school and its LA can see what was
-- sent. Append-only: a new download is a new row. The twin of
-- migrations/postgres/0020_census_returns.sql.

CREATE TABLE census_returns (
  id INTEGER PRIMARY KEY,
  census TEXT NOT NULL CHECK (census IN ('spring', 'summer', 'autumn')),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  produced_at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  pupils INTEGER NOT NULL CHECK (pupils >= 0),
  enrolments INTEGER NOT NULL CHECK (enrolments >= 0),
  possible INTEGER NOT NULL CHECK (possible >= 0),
  authorised INTEGER NOT NULL CHECK (authorised >= 0),
  unauthorised INTEGER NOT NULL CHECK (unauthorised >= 0),
  problems INTEGER NOT NULL CHECK (problems >= 0),
  xml TEXT NOT NULL
);

CREATE TRIGGER census_returns_no_update BEFORE UPDATE ON census_returns
BEGIN
  SELECT RAISE(ABORT, 'census_returns is append-only');
END;
CREATE TRIGGER census_returns_no_delete BEFORE DELETE ON census_returns
BEGIN
  SELECT RAISE(ABORT, 'census_returns is append-only');
END;
