-- The case index as a server last saved it, so that a start reads one row and catches up from
-- `taken_at` instead of reading every case. Tagged with the schema it was saved under: after a
-- migration it is ignored until a server saves a new one.
CREATE TABLE case_index_snapshots (
    name           TEXT PRIMARY KEY,
    taken_at       TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    bytes          BLOB NOT NULL
);
