-- Staff digests: which went out (an agency's daily digest to each of its officers, the weekly summary
-- to each leader, one per period), so that several servers never send one twice; as notice_deliveries,
-- a failed one is claimed again from retry_at. Escalation mail to staff is recorded in
-- notice_deliveries, on the channel 'staff' for the step and 'staff:ACCOUNT' for each person told.
CREATE TABLE staff_digest_deliveries (
    kind       TEXT NOT NULL CHECK (kind IN ('agency_daily', 'leader_weekly')),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    period     TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    retry_at   TEXT,
    PRIMARY KEY (kind, account_id, period)
) STRICT;

-- An agency's new cases are found by when they were routed to it.
CREATE INDEX cases_routed_to_agency ON cases (lead_agency, screened_at);
