-- The hotline's call log, and a case's address in words.
CREATE TABLE calls (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- Personal data: shown to operators and coordinators only.
    phone            TEXT NOT NULL,
    purpose          TEXT,
    outcome          TEXT NOT NULL,
    case_id          INTEGER REFERENCES cases (id),
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds >= 0),
    callback_at      TEXT,
    note             TEXT,
    operator_account INTEGER REFERENCES accounts (id),
    logged_at        TEXT NOT NULL
) STRICT;

CREATE INDEX calls_by_time ON calls (logged_at);
CREATE INDEX calls_by_case ON calls (case_id);

ALTER TABLE cases ADD COLUMN address TEXT;
