-- Accounts and sessions, the routing table, the holiday calendar, and the case projections the queues sort by.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    agency_code   TEXT REFERENCES agencies (code),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    CHECK ((role = 'officer') = (agency_code IS NOT NULL))
) STRICT;

-- token_hash: SHA-256 of the cookie's token, so a copy of the table does not hand out sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_account ON sessions (account_id);

-- Failed logins per username, counted in a sliding window to slow down guessing.
CREATE TABLE login_failures (
    username     TEXT NOT NULL,
    attempted_at TEXT NOT NULL
) STRICT;

CREATE INDEX login_failures_by_username ON login_failures (username, attempted_at);

CREATE TABLE routes (
    category_code TEXT NOT NULL REFERENCES categories (code),
    area_code     TEXT NOT NULL REFERENCES areas (code),
    agency_code   TEXT NOT NULL REFERENCES agencies (code),
    PRIMARY KEY (category_code, area_code)
) STRICT;

CREATE TABLE holidays (
    day  TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

-- Projections of each case's events, written in the same transaction as the event.
ALTER TABLE cases ADD COLUMN reporter_account INTEGER REFERENCES accounts (id);
ALTER TABLE cases ADD COLUMN lead_agency TEXT REFERENCES agencies (code);
ALTER TABLE cases ADD COLUMN deadline TEXT;
-- The whole of core::workflow::CaseFacts as JSON.
ALTER TABLE cases ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';

CREATE INDEX cases_by_agency ON cases (lead_agency, status, deadline);
CREATE INDEX cases_by_reporter ON cases (reporter_account);
CREATE INDEX case_events_by_actor ON case_events (actor_id);
