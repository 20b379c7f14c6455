-- Which e-mail notices went out, so that several servers never send one twice. A record of a side
-- effect, not a statistic: notices themselves are derived from case events.
CREATE TABLE notice_deliveries (
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    seq          INTEGER NOT NULL,
    channel      TEXT NOT NULL,
    claimed_at   TEXT NOT NULL,
    PRIMARY KEY (case_id, seq, channel),
    FOREIGN KEY (case_id, seq) REFERENCES case_events (case_id, seq)
) STRICT;
