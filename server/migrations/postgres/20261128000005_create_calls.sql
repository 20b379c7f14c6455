-- The hotline's call log, and a case's address in words.
CREATE TABLE calls (
    id               BIGSERIAL PRIMARY KEY,
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- Personal data: shown to operators and coordinators only.
    phone            TEXT NOT NULL,
    purpose          TEXT,
    outcome          TEXT NOT NULL,
    case_id          BIGINT REFERENCES cases (id),
    duration_seconds BIGINT NOT NULL CHECK (duration_seconds >= 0),
    callback_at      TIMESTAMPTZ,
    note             TEXT,
    operator_account BIGINT REFERENCES accounts (id),
    logged_at        TIMESTAMPTZ NOT NULL
);

CREATE INDEX calls_by_time ON calls (logged_at);
CREATE INDEX calls_by_case ON calls (case_id);

ALTER TABLE cases ADD COLUMN address TEXT;
