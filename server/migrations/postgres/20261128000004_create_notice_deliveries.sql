-- Which e-mail notices went out, so that several servers never send one twice.
CREATE TABLE notice_deliveries (
    case_id    BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    channel    TEXT NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, seq, channel),
    FOREIGN KEY (case_id, seq) REFERENCES case_events (case_id, seq)
);
