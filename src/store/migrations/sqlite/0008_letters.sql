-- 0008_letters.sql: every letter sent to a pupil's parents, exactly as sent:
-- its template, addressee, subject and text, and the figures it quoted (a
-- JSON object), so a letter can be reprinted years later without being
-- recomputed. Letters generated together share a batch (the first letter's
-- id). Append-only.

CREATE TABLE letters (
  id INTEGER PRIMARY KEY,
  batch INTEGER NOT NULL,
  pupil_id INTEGER NOT NULL REFERENCES pupils (id),
  template TEXT NOT NULL,
  addressee TEXT NOT NULL,
  subject TEXT NOT NULL CHECK (subject != ''),
  body TEXT NOT NULL CHECK (body != ''),
  figures TEXT NOT NULL CHECK (json_valid(figures) AND json_type(figures) = 'object'),
  at INTEGER NOT NULL,
  by_user_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  by_role INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  CHECK (batch <= id)
);
CREATE INDEX letters_by_pupil ON letters (pupil_id, id);
CREATE INDEX letters_by_batch ON letters (batch, id);

CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
BEGIN
  SELECT RAISE(ABORT, 'letters is append-only');
END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN
  SELECT RAISE(ABORT, 'letters is append-only');
END;
