-- A commit as one statement, so that it costs one round trip to the database instead of four (BEGIN, the row lock,
-- the write, COMMIT): called on its own (autocommit), the statement is its transaction, and PostgreSQL answers it
-- only once its COMMIT is flushed to disk (synchronous_commit stays on: acknowledged means durable).
--
-- Refusals write nothing: STALE_REVISION (with the current revision), NOT_FOUND, DUPLICATE_SLUG. Otherwise it takes
-- the next seq from the counter row, writes the record and the change, rings the doorbell (pg_notify, delivered at
-- COMMIT) and answers COMMITTED with the seq and the time stamp. `work_ms` is the time spent inside the function
-- (locks and writes); the rest of the round trip is the COMMIT and the network, which bench:replicas shows apart.
--
-- Locks are always taken in one order, record row then counter row, so racing commits queue instead of deadlocking:
-- - an update locks its record row (SELECT ... FOR UPDATE) and then checks its revision: of two replicas racing on
--   one record, the second waits for the first's COMMIT, then sees the new revision and is refused STALE_REVISION;
-- - a creation has no row to lock yet, so it locks the counter row first: a racing creation of the same slug has
--   then either committed (and the check below sees it: DUPLICATE_SLUG, nothing written, no seq lost) or not begun.
-- Each statement of a PL/pgSQL function in READ COMMITTED takes a fresh snapshot, so every check after a lock wait
-- sees what the holder of the lock committed.
CREATE FUNCTION dateline_commit(
  p_type text, p_slug text, p_expected integer, p_record json, p_date text,
  p_editor text, p_kind text, p_note text, p_fields text[], p_before json, p_channel text,
  OUT outcome text, OUT current_revision integer, OUT committed_seq bigint, OUT committed_at timestamptz,
  OUT work_ms double precision
) LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
  -- Fixed table names, chosen here and never taken from the input.
  tbl text := CASE p_type WHEN 'Event' THEN 'events' WHEN 'Place' THEN 'places' WHEN 'Actor' THEN 'actors' WHEN 'Source' THEN 'sources' END;
BEGIN
  IF tbl IS NULL THEN
    RAISE EXCEPTION 'dateline_commit: unknown entity type %', p_type;
  END IF;
  IF p_expected IS NULL THEN
    PERFORM 1 FROM change_counter FOR UPDATE;
    EXECUTE format('SELECT revision FROM %I WHERE slug = $1', tbl) INTO current_revision USING p_slug;
  ELSE
    EXECUTE format('SELECT revision FROM %I WHERE slug = $1 FOR UPDATE', tbl) INTO current_revision USING p_slug;
  END IF;
  outcome := CASE
    WHEN p_expected IS NULL AND current_revision IS NOT NULL THEN 'DUPLICATE_SLUG'
    WHEN p_expected IS NOT NULL AND current_revision IS NULL THEN 'NOT_FOUND'
    WHEN p_expected IS NOT NULL AND current_revision <> p_expected THEN 'STALE_REVISION'
    ELSE 'COMMITTED'
  END;
  IF outcome = 'COMMITTED' THEN
    current_revision := coalesce(current_revision, 0) + 1;
    UPDATE change_counter SET last_seq = last_seq + 1
      RETURNING last_seq, date_trunc('milliseconds', clock_timestamp()) INTO committed_seq, committed_at;
    IF p_expected IS NOT NULL THEN
      EXECUTE format('UPDATE %I SET record = $2, revision = $3, updated_at = $4%s WHERE slug = $1', tbl, CASE WHEN tbl = 'events' THEN ', date = $5' ELSE '' END)
        USING p_slug, p_record, current_revision, committed_at, p_date;
    ELSIF tbl = 'events' THEN
      INSERT INTO events (slug, record, revision, updated_at, date) VALUES (p_slug, p_record, current_revision, committed_at, p_date);
    ELSE
      EXECUTE format('INSERT INTO %1$I (slug, record, revision, updated_at, position)
        VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position), -1) + 1 FROM %1$I))', tbl)
        USING p_slug, p_record, current_revision, committed_at;
    END IF;
    INSERT INTO changes (seq, at, editor, kind, entity_type, entity_slug, revision, note, changed_fields, before, after)
      VALUES (committed_seq, committed_at, p_editor, p_kind, p_type, p_slug, current_revision, p_note, p_fields, p_before, p_record);
    PERFORM pg_notify(p_channel, committed_seq::text);
  END IF;
  work_ms := extract(epoch FROM clock_timestamp() - started) * 1000;
END;
$$;
