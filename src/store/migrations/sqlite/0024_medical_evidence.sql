-- 0024_medical_evidence.sql: medical evidence for illness absence
-- (docs/evidence.md). The twin of migrations/postgres/0024_medical_evidence.sql.
--
-- medical_evidence: one file a parent or the office sent in (a PDF, JPEG or
--   PNG, at most 10 MB), the illness days it covers (from_date..to_date),
--   the name it came with (shown only, never used to serve it), the type
--   read from its bytes, its size and SHA-256 (hex), and who sent it when.
--   Append-only: a wrong file is answered by sending the right one.
-- evidence_requests: the school asked the family for evidence of one
--   illness episode (from_date..to_date) under one rule ('long_illness',
--   'repeated_illness', 'next_to_holiday'); asked at most once a pupil,
--   rule and first day. outbox_key is the idempotency key of the message
--   queued with it; resolved_at is set when evidence covering it arrives.
-- evidence_rules: when to ask, versioned like settings (the newest row is in
--   force): an episode of long_illness_days school days or more; the
--   repeated_illness_count-th episode of a term; an episode next to a
--   holiday, half-term or closure (next_to_holiday 1/0).
-- condition_reviews: a pupil's known condition; no request is raised for
--   them until review_date. The newest row a pupil is in force.

CREATE TABLE medical_evidence (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL CHECK (to_date >= from_date),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  content BLOB NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  uploaded_by INTEGER NOT NULL,
  uploaded_by_name TEXT NOT NULL,
  role TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL
);
CREATE INDEX medical_evidence_by_pupil ON medical_evidence (pupil_id, id);
CREATE INDEX medical_evidence_by_time ON medical_evidence (uploaded_at);

CREATE TRIGGER medical_evidence_no_update BEFORE UPDATE ON medical_evidence
BEGIN
  SELECT RAISE(ABORT, 'medical_evidence is append-only');
END;
CREATE TRIGGER medical_evidence_no_delete BEFORE DELETE ON medical_evidence
BEGIN
  SELECT RAISE(ABORT, 'medical_evidence is append-only');
END;

CREATE TABLE evidence_requests (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  rule TEXT NOT NULL CHECK (rule IN ('long_illness', 'repeated_illness', 'next_to_holiday')),
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL CHECK (to_date >= from_date),
  raised_at INTEGER NOT NULL,
  outbox_key TEXT NOT NULL DEFAULT '',
  resolved_at INTEGER,
  UNIQUE (pupil_id, rule, from_date)
);
CREATE INDEX evidence_requests_open ON evidence_requests (pupil_id) WHERE resolved_at IS NULL;

CREATE TABLE evidence_rules (
  id INTEGER PRIMARY KEY,
  long_illness_days INTEGER NOT NULL CHECK (long_illness_days BETWEEN 1 AND 100),
  repeated_illness_count INTEGER NOT NULL CHECK (repeated_illness_count BETWEEN 1 AND 100),
  next_to_holiday INTEGER NOT NULL CHECK (next_to_holiday IN (0, 1)),
  set_at INTEGER NOT NULL,
  set_by TEXT NOT NULL
);

CREATE TABLE condition_reviews (
  id INTEGER PRIMARY KEY,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  note TEXT NOT NULL,
  review_date TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL
);
CREATE INDEX condition_reviews_by_pupil ON condition_reviews (pupil_id, id);
