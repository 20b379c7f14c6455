-- The admin console: agency contacts, the areas a coordinator screens, and the log of every catalogue change.
ALTER TABLE agencies ADD COLUMN contact TEXT NOT NULL DEFAULT '';

-- A coordinator with no rows here works on the whole province.
CREATE TABLE coordinator_areas (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    area_code  TEXT NOT NULL REFERENCES areas (code),
    PRIMARY KEY (account_id, area_code)
) STRICT;

-- before/after: the entry as JSON; NULL before a creation and after a removal.
CREATE TABLE catalogue_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    changed_at TEXT NOT NULL,
    actor_id   INTEGER REFERENCES accounts (id),
    entity     TEXT NOT NULL,
    entry_key  TEXT NOT NULL,
    before     TEXT,
    after      TEXT
) STRICT;

CREATE INDEX catalogue_changes_by_entry ON catalogue_changes (entity, entry_key);
