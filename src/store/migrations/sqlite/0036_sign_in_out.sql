-- 0036_sign_in_out.sql: the reception desk (docs/sign-in-out.md). The twin
-- of migrations/postgres/0036_sign_in_out.sql.
--
-- transport_routes: the school's bus and taxi routes, by a name unique
-- whatever its case. route_riders: each pupil's route (at most one), with
-- who set it and when. route_delays: a route's transport late for one
-- session, once per route and session, with who recorded it; append-only,
-- as the marks it turned from U to L keep their own audit rows.
-- sign_events: each pupil signed in late or signed out early at reception,
-- append-only: the time, the reason, whether a departure's session still
-- counts, the code recorded (NULL when the mark was kept), and who
-- recorded it when.

CREATE TABLE transport_routes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE UNIQUE INDEX transport_routes_by_name ON transport_routes (lower(name));

CREATE TABLE route_riders (
  pupil_id INTEGER PRIMARY KEY REFERENCES pupils (id),
  route_id INTEGER NOT NULL REFERENCES transport_routes (id),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);
CREATE INDEX route_riders_by_route ON route_riders (route_id, pupil_id);

CREATE TABLE route_delays (
  id INTEGER PRIMARY KEY,
  route_id INTEGER NOT NULL REFERENCES transport_routes (id),
  date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
  session INTEGER NOT NULL CHECK (session IN (1, 2)),
  note TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by_id INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  UNIQUE (route_id, date, session)
);
CREATE INDEX route_delays_by_date ON route_delays (date, session);
CREATE TRIGGER route_delays_no_update BEFORE UPDATE ON route_delays
BEGIN
  SELECT RAISE(ABORT, 'route_delays is append-only');
END;
CREATE TRIGGER route_delays_no_delete BEFORE DELETE ON route_delays
BEGIN
  SELECT RAISE(ABORT, 'route_delays is append-only');
END;

CREATE TABLE sign_events (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
  session INTEGER NOT NULL CHECK (session IN (1, 2)),
  minute INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439),
  reason TEXT NOT NULL,
  counts INTEGER NOT NULL CHECK (counts IN (0, 1)),
  code INTEGER,
  recorded_at INTEGER NOT NULL,
  recorded_by_id INTEGER NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX sign_events_by_date ON sign_events (date, id);
CREATE TRIGGER sign_events_no_update BEFORE UPDATE ON sign_events
BEGIN
  SELECT RAISE(ABORT, 'sign_events is append-only');
END;
CREATE TRIGGER sign_events_no_delete BEFORE DELETE ON sign_events
BEGIN
  SELECT RAISE(ABORT, 'sign_events is append-only');
END;
