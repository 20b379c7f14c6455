-- Accounts and sessions, the routing table, the holiday calendar, and the case projections the queues sort by.
CREATE TABLE accounts (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    agency_code   TEXT REFERENCES agencies (code),
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL,
    CHECK ((role = 'officer') = (agency_code IS NOT NULL))
);

-- token_hash: SHA-256 of the cookie's token, so a copy of the table does not hand out sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE login_failures (
    username     TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX login_failures_by_username ON login_failures (username, attempted_at);

CREATE TABLE routes (
    category_code TEXT NOT NULL REFERENCES categories (code),
    area_code     TEXT NOT NULL REFERENCES areas (code),
    agency_code   TEXT NOT NULL REFERENCES agencies (code),
    PRIMARY KEY (category_code, area_code)
);

CREATE TABLE holidays (
    day  DATE PRIMARY KEY,
    name TEXT NOT NULL
);

ALTER TABLE cases ADD COLUMN reporter_account BIGINT REFERENCES accounts (id);
ALTER TABLE cases ADD COLUMN lead_agency TEXT REFERENCES agencies (code);
ALTER TABLE cases ADD COLUMN deadline TIMESTAMPTZ;
-- The whole of core::workflow::CaseFacts.
ALTER TABLE cases ADD COLUMN facts JSONB NOT NULL DEFAULT '{}';

CREATE INDEX cases_by_agency ON cases (lead_agency, status, deadline);
CREATE INDEX cases_by_reporter ON cases (reporter_account);
CREATE INDEX case_events_by_actor ON case_events (actor_id);
