-- Cases, the reporter's contact kept apart as personal data, and the events every change makes.
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_key TEXT NOT NULL UNIQUE,
    category_code  TEXT NOT NULL REFERENCES categories (code),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    lat            REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon            REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    -- NULL: the pin lies outside every served area.
    area_code      TEXT REFERENCES areas (code),
    channel        TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    -- Projection of the events, written in the same transaction as each event.
    status         TEXT NOT NULL,
    -- Number of events; the optimistic-concurrency version.
    version        INTEGER NOT NULL CHECK (version > 0)
) STRICT;

CREATE INDEX cases_by_submitted_at ON cases (submitted_at);
CREATE INDEX cases_by_status ON cases (status);

CREATE TABLE case_contacts (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    name    TEXT,
    phone   TEXT,
    email   TEXT
) STRICT;

CREATE TABLE case_events (
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    kind        TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    -- The acting account, once accounts exist; NULL for anonymous citizens and the system.
    actor_id    INTEGER,
    occurred_at TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT,
    public      INTEGER NOT NULL CHECK (public IN (0, 1)),
    -- Event-specific facts as JSON (the area found at intake, a routed agency, ...).
    data        TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (case_id, seq)
) STRICT;

CREATE INDEX case_events_by_time ON case_events (occurred_at);
