-- Who supports a case ("me too"), one row beside each of its `supported` events: a signed-in
-- citizen's account, or an anonymous device's key as its SHA-256 only (a reporter of a merged
-- duplicate who had no account has neither). The unique keys make one support per account and per
-- device, checked by the database so two supports at once cannot both count.
CREATE TABLE case_supporters (
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    event_seq   INTEGER NOT NULL,
    account_id  INTEGER REFERENCES accounts (id),
    device_hash TEXT,
    PRIMARY KEY (case_id, event_seq),
    UNIQUE (case_id, account_id),
    UNIQUE (case_id, device_hash)
) STRICT;
