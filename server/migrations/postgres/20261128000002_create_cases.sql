-- Cases, the reporter's contact kept apart as personal data, and the events every change makes.
CREATE TABLE cases (
    id             BIGSERIAL PRIMARY KEY,
    submission_key TEXT NOT NULL UNIQUE,
    category_code  TEXT NOT NULL REFERENCES categories (code),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    lat            DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon            DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    -- NULL: the pin lies outside every served area.
    area_code      TEXT REFERENCES areas (code),
    channel        TEXT NOT NULL,
    submitted_at   TIMESTAMPTZ NOT NULL,
    -- Projection of the events, written in the same transaction as each event.
    status         TEXT NOT NULL,
    -- Number of events; the optimistic-concurrency version.
    version        BIGINT NOT NULL CHECK (version > 0)
);

CREATE INDEX cases_by_submitted_at ON cases (submitted_at);
CREATE INDEX cases_by_status ON cases (status);

CREATE TABLE case_contacts (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    name    TEXT,
    phone   TEXT,
    email   TEXT
);

CREATE TABLE case_events (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    seq         BIGINT NOT NULL CHECK (seq > 0),
    kind        TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    actor_id    BIGINT,
    occurred_at TIMESTAMPTZ NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT,
    public      BOOLEAN NOT NULL,
    data        JSONB NOT NULL,
    PRIMARY KEY (case_id, seq)
);

CREATE INDEX case_events_by_time ON case_events (occurred_at);
