-- The tamper-evident record: each event carries the SHA-256 that chains it to the event before it
-- (services/src/chain.rs computes it for both databases), and the database refuses to change or
-- remove an event.
ALTER TABLE case_events ADD COLUMN hash TEXT;

-- Events stored before this migration are hashed by the server at start-up (and by `migrate`), not
-- here: the hash is SHA-256 over canonical JSON computed in Rust, the one function both databases
-- share, so that their chains are identical. Sealing only fills missing hashes, from each case's
-- first event on, so servers starting together compute the same values and a second run does nothing.
-- This index holds only unsealed events: empty once they are sealed, it makes that start-up check free.
CREATE INDEX case_events_unsealed ON case_events (case_id, seq) WHERE hash IS NULL;

-- The one update allowed is sealing: giving an event without a hash its hash, every other column
-- (those of today and any added later) unchanged.
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - 'hash') = (to_jsonb(OLD) - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER case_events_refuse_update BEFORE UPDATE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_refuse_delete BEFORE DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_refuse_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
