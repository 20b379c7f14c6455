-- The tamper-evident record: each event carries the SHA-256 that chains it to the event before it
-- (services/src/chain.rs computes it for both databases), and the database refuses to change or
-- remove an event.
ALTER TABLE case_events ADD COLUMN hash TEXT;

-- Events stored before this migration are hashed by the server at start-up (and by `migrate`), not
-- here: the hash is SHA-256 over canonical JSON that SQLite's SQL cannot compute, and one Rust
-- function for both databases is what keeps their chains identical. Sealing only fills missing
-- hashes, from each case's first event on, so it is deterministic and a second run does nothing.
-- This index holds only unsealed events: empty once they are sealed, it makes that start-up check free.
CREATE INDEX case_events_unsealed ON case_events (case_id, seq) WHERE hash IS NULL;

CREATE TRIGGER case_events_refuse_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: DELETE refused');
END;

-- The one update allowed is sealing: giving an event without a hash its hash, changing nothing else.
-- A column added to case_events later must be added to this list.
CREATE TRIGGER case_events_refuse_update BEFORE UPDATE ON case_events
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL
    OR NEW.case_id IS NOT OLD.case_id OR NEW.seq IS NOT OLD.seq OR NEW.kind IS NOT OLD.kind
    OR NEW.actor_role IS NOT OLD.actor_role OR NEW.actor_id IS NOT OLD.actor_id
    OR NEW.occurred_at IS NOT OLD.occurred_at OR NEW.from_status IS NOT OLD.from_status
    OR NEW.to_status IS NOT OLD.to_status OR NEW.note IS NOT OLD.note OR NEW.public IS NOT OLD.public
    OR NEW.data IS NOT OLD.data
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: UPDATE refused');
END;
