-- Keys that let other systems file reports through Open311. Only a hash of each key is kept.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
