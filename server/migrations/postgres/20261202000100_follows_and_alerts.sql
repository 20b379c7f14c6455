-- Following: who follows which case, and the places people watch for new cases. Both are a person's
-- own wishes, not facts about a case: the notices they bring are derived from the cases' events.
CREATE TABLE case_follows (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    since      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, case_id)
);

CREATE INDEX case_follows_by_case ON case_follows (case_id);

-- A watched place is an area of the catalogue, or a rectangle drawn on the map.
CREATE TABLE area_alerts (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    area_code  TEXT REFERENCES areas (code),
    west       DOUBLE PRECISION,
    south      DOUBLE PRECISION,
    east       DOUBLE PRECISION,
    north      DOUBLE PRECISION,
    frequency  TEXT NOT NULL CHECK (frequency IN ('at_once', 'daily')),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((area_code IS NULL) = (west IS NOT NULL AND south IS NOT NULL AND east IS NOT NULL AND north IS NOT NULL))
);

CREATE INDEX area_alerts_by_account ON area_alerts (account_id);

-- The categories an alert is limited to; none means every category.
CREATE TABLE area_alert_categories (
    alert_id      BIGINT NOT NULL REFERENCES area_alerts (id) ON DELETE CASCADE,
    category_code TEXT NOT NULL REFERENCES categories (code),
    PRIMARY KEY (alert_id, category_code)
);

-- Which alert messages went out (one per case for an alert sent at once, one per day for a
-- daily one), so that several servers never send one twice; as notice_deliveries, a failed one is
-- claimed again from retry_at.
CREATE TABLE alert_deliveries (
    alert_id   BIGINT NOT NULL REFERENCES area_alerts (id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL,
    outcome    TEXT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    retry_at   TIMESTAMPTZ,
    PRIMARY KEY (alert_id, subject)
);

-- New cases are found by their screening event and their place.
CREATE INDEX case_events_by_kind_and_time ON case_events (kind, occurred_at);
CREATE INDEX cases_by_area ON cases (area_code);

-- When the person last opened their notices: what arrived after is unread.
ALTER TABLE accounts ADD COLUMN notices_read_at TIMESTAMPTZ;
