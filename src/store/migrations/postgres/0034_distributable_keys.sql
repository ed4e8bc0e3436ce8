-- 0034_distributable_keys.sql: every per-school table keyed by school_id
-- first, so the tables could be spread over several database servers by
-- school (docs/scaling.md).
--
-- A distribution layer that places all rows of one school on one server
-- (Citus, distributing by school_id) can enforce a primary key, a unique
-- constraint or a foreign key only when it includes school_id: then each
-- check, and each join along the key, stays on the school's server. Rows
-- already referred to each other by (school_id, id), but most tables had
-- `id ... PRIMARY KEY` alone, with a second index UNIQUE (school_id, id) for
-- the foreign keys to point at. After this migration, on every table with a
-- school_id except the reference tables named below:
--   - the primary key starts with school_id: (school_id, id) for the tables
--     keyed by an id (the identity columns and their sequences stay as they
--     were, so ids are still handed out once across all schools);
--   - a unique constraint that now only repeated the primary key is dropped
--     (one index less to write on each insert); every other unique
--     constraint or unique index starts with school_id;
--   - every foreign key from one per-school table to another pairs
--     school_id with school_id. Those that pointed at a key changed here are
--     made again, with their actions and deferrability, and so validated.
--
-- It is written from the catalog, not table by table, so it covers every
-- table the earlier migrations made, whichever they are. Row-level security
-- and its policies are untouched. The store's SQL is unchanged: it never
-- names a constraint, and its ON CONFLICT clauses name no columns, except
-- school_changes' ON CONFLICT (school_id), whose key is already school_id.
--
-- Each table is locked for the length of the migration, and the foreign
-- keys that are made again each read their whole table once: stop the
-- servers while it runs (docs/scaling.md gives the time on the demo school).
-- A merged migration is never edited: a fix is a new number.

DO $$
DECLARE
  -- The tables shared by every school, which are left as they are; the
  -- reasons are in tests/store/postgres_keys_test.cc, which checks the rest.
  reference_tables constant name[] := ARRAY['schools', 'schema_migrations'];
  per_school oid[];
  forced oid[];
  t oid;
  sid int2;
  pk record;
  pk_cols int2[];
  k record;
  new_cols int2[];
  subcommands text[];
  key_changes text[] := '{}';
  dropped_indexes oid[] := '{}';
  index_drops text[] := '{}';
  index_creates text[] := '{}';
  fk record;
  fk_drops text[] := '{}';
  fk_adds text[] := '{}';
  definition text;
  unpaired boolean;
  statement text;
BEGIN
  per_school := ARRAY(
    SELECT c.oid FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
    WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
      AND c.relname <> ALL (reference_tables)
    ORDER BY c.relname);

  -- Plan every change from the catalog as it is, before changing anything.
  FOREACH t IN ARRAY per_school LOOP
    SELECT a.attnum INTO sid FROM pg_attribute a
    WHERE a.attrelid = t AND a.attname = 'school_id';
    subcommands := '{}';

    -- The primary key: school_id first, then its other columns in order. A
    -- table without one is left for the test to name: its key cannot be
    -- guessed.
    pk_cols := NULL;
    SELECT c.conname, c.conkey, c.conindid INTO pk FROM pg_constraint c
    WHERE c.conrelid = t AND c.contype = 'p';
    IF FOUND THEN
      pk_cols := pk.conkey;
      IF pk.conkey[1] <> sid THEN
        pk_cols := sid || array_remove(pk.conkey, sid);
        subcommands := subcommands
          || format('DROP CONSTRAINT %I', pk.conname)
          || format('ADD CONSTRAINT %I PRIMARY KEY (%s)', pk.conname,
                    (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY n.ord)
                     FROM unnest(pk_cols) WITH ORDINALITY n (attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t AND a.attnum = n.attnum));
        dropped_indexes := dropped_indexes || pk.conindid;
      END IF;
    END IF;

    -- Unique constraints: dropped when they repeat the primary key, else
    -- made to start with school_id.
    FOR k IN
      SELECT c.conname, c.conkey, c.conindid, c.condeferrable, c.condeferred,
             i.indnullsnotdistinct, i.indnkeyatts <> i.indnatts AS has_include
      FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid
      WHERE c.conrelid = t AND c.contype = 'u'
      ORDER BY c.conname
    LOOP
      new_cols := k.conkey;
      IF k.conkey[1] <> sid THEN
        new_cols := sid || array_remove(k.conkey, sid);
      END IF;
      IF new_cols = pk_cols THEN
        subcommands := subcommands || format('DROP CONSTRAINT %I', k.conname);
        dropped_indexes := dropped_indexes || k.conindid;
      ELSIF new_cols <> k.conkey THEN
        IF k.has_include THEN
          RAISE EXCEPTION 'unique constraint % on % has INCLUDE columns: widen it by hand',
            k.conname, t::regclass;
        END IF;
        subcommands := subcommands
          || format('DROP CONSTRAINT %I', k.conname)
          || format('ADD CONSTRAINT %I UNIQUE%s (%s)%s', k.conname,
                    CASE WHEN k.indnullsnotdistinct THEN ' NULLS NOT DISTINCT' ELSE '' END,
                    (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY n.ord)
                     FROM unnest(new_cols) WITH ORDINALITY n (attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t AND a.attnum = n.attnum),
                    CASE WHEN k.condeferred THEN ' DEFERRABLE INITIALLY DEFERRED'
                         WHEN k.condeferrable THEN ' DEFERRABLE' ELSE '' END);
        dropped_indexes := dropped_indexes || k.conindid;
      END IF;
    END LOOP;
    IF cardinality(subcommands) > 0 THEN
      key_changes := key_changes
        || format('ALTER TABLE %s %s', t::regclass, array_to_string(subcommands, ', '));
    END IF;

    -- Unique indexes of no constraint (partial ones, say): the same
    -- definition with school_id put in front of its columns.
    FOR k IN
      SELECT i.indexrelid, i.indkey, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i
      WHERE i.indrelid = t AND i.indisunique
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY i.indexrelid
    LOOP
      CONTINUE WHEN k.indkey[0] = sid;
      IF sid = ANY (k.indkey::int2[]) THEN
        RAISE EXCEPTION 'unique index % has school_id after other columns: reorder it by hand',
          k.indexrelid::regclass;
      END IF;
      definition := regexp_replace(k.definition, ' USING (\w+) \(', ' USING \1 (school_id, ');
      IF definition = k.definition THEN
        RAISE EXCEPTION 'cannot read the columns of unique index %', k.indexrelid::regclass;
      END IF;
      index_drops := index_drops || format('DROP INDEX %s', k.indexrelid::regclass);
      index_creates := index_creates || definition;
      dropped_indexes := dropped_indexes || k.indexrelid;
    END LOOP;
  END LOOP;

  -- Foreign keys: those pointing at an index dropped above are made again
  -- as they were; those between per-school tables without school_id on
  -- both sides get it put in front of their columns.
  FOR fk IN
    SELECT c.oid, c.conname, c.conrelid, c.confrelid, c.conkey, c.confkey, c.confupdtype,
           c.confdeltype, c.confmatchtype, c.condeferrable, c.condeferred, c.convalidated,
           c.confdelsetcols, c.conindid, s.attnum AS sid, rs.attnum AS ref_sid
    FROM pg_constraint c
    LEFT JOIN pg_attribute s ON s.attrelid = c.conrelid AND s.attname = 'school_id'
    LEFT JOIN pg_attribute rs ON rs.attrelid = c.confrelid AND rs.attname = 'school_id'
    WHERE c.contype = 'f'
      AND (c.conindid = ANY (dropped_indexes)
           OR (c.conrelid = ANY (per_school) AND c.confrelid = ANY (per_school)))
    ORDER BY c.conrelid::regclass::text, c.conname
  LOOP
    unpaired := fk.conrelid = ANY (per_school) AND fk.confrelid = ANY (per_school)
      AND NOT EXISTS (SELECT 1 FROM generate_subscripts(fk.conkey, 1) AS n
                      WHERE fk.conkey[n] = fk.sid AND fk.confkey[n] = fk.ref_sid);
    -- A key that is right and points at an index kept is left alone: making
    -- it again would only read its table once more.
    CONTINUE WHEN NOT unpaired AND fk.conindid <> ALL (dropped_indexes);
    IF unpaired THEN
      IF fk.sid = ANY (fk.conkey) OR fk.ref_sid = ANY (fk.confkey) THEN
        RAISE EXCEPTION 'foreign key % on % pairs school_id with another column: fix it by hand',
          fk.conname, fk.conrelid::regclass;
      END IF;
      IF fk.confupdtype IN ('n', 'd') THEN
        RAISE EXCEPTION 'foreign key % on % sets columns on update, which would reach '
                        'school_id: fix it by hand', fk.conname, fk.conrelid::regclass;
      END IF;
      -- MATCH FULL would refuse a row whose own columns are all NULL, as
      -- school_id never is. For one column the default MATCH SIMPLE is
      -- the same rule once school_id is in front; for more it is not.
      IF fk.confmatchtype = 'f' AND cardinality(fk.conkey) > 1 THEN
        RAISE EXCEPTION 'foreign key % on % is MATCH FULL over several columns: fix it by hand',
          fk.conname, fk.conrelid::regclass;
      END IF;
      definition := format(
        'FOREIGN KEY (school_id, %s) REFERENCES %s (school_id, %s)%s%s%s%s',
        (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY n.ord)
         FROM unnest(fk.conkey) WITH ORDINALITY n (attnum, ord)
         JOIN pg_attribute a ON a.attrelid = fk.conrelid AND a.attnum = n.attnum),
        fk.confrelid::regclass,
        (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY n.ord)
         FROM unnest(fk.confkey) WITH ORDINALITY n (attnum, ord)
         JOIN pg_attribute a ON a.attrelid = fk.confrelid AND a.attnum = n.attnum),
        CASE fk.confupdtype WHEN 'r' THEN ' ON UPDATE RESTRICT'
                            WHEN 'c' THEN ' ON UPDATE CASCADE' ELSE '' END,
        -- SET NULL and SET DEFAULT name their columns, so that deleting
        -- the row referred to never touches school_id.
        CASE WHEN fk.confdeltype IN ('n', 'd') THEN
               format(' ON DELETE SET %s (%s)',
                      CASE fk.confdeltype WHEN 'n' THEN 'NULL' ELSE 'DEFAULT' END,
                      (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY n.ord)
                       FROM unnest(COALESCE(fk.confdelsetcols, fk.conkey))
                            WITH ORDINALITY n (attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = fk.conrelid AND a.attnum = n.attnum))
             WHEN fk.confdeltype = 'r' THEN ' ON DELETE RESTRICT'
             WHEN fk.confdeltype = 'c' THEN ' ON DELETE CASCADE' ELSE '' END,
        CASE WHEN fk.condeferred THEN ' DEFERRABLE INITIALLY DEFERRED'
             WHEN fk.condeferrable THEN ' DEFERRABLE' ELSE '' END,
        CASE WHEN fk.convalidated THEN '' ELSE ' NOT VALID' END);
    ELSE
      definition := pg_get_constraintdef(fk.oid);
    END IF;
    fk_drops := fk_drops
      || format('ALTER TABLE %s DROP CONSTRAINT %I', fk.conrelid::regclass, fk.conname);
    fk_adds := fk_adds || format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.conrelid::regclass,
                                 fk.conname, definition);
  END LOOP;

  -- Row-level security is forced on the tables, so their owner, which runs
  -- the migrations, would see no rows when PostgreSQL validates a foreign
  -- key, and any key would pass. It is lifted while the keys are made, and
  -- forced again before the transaction ends: no other session sees the
  -- tables meanwhile.
  forced := ARRAY(SELECT c.oid FROM pg_class c
                  WHERE c.oid = ANY (per_school) AND c.relforcerowsecurity);
  FOREACH t IN ARRAY forced LOOP
    EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', t::regclass);
  END LOOP;

  -- Then change: foreign keys off, keys swapped, foreign keys on again.
  FOREACH statement IN ARRAY fk_drops || key_changes || index_drops || index_creates || fk_adds
  LOOP
    EXECUTE statement;
  END LOOP;

  FOREACH t IN ARRAY forced LOOP
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t::regclass);
  END LOOP;
END $$;
