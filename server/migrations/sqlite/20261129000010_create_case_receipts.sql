-- The private receipt link of an anonymous report, which opens the reporter's own view of the
-- case. Only the SHA-256 of its token is kept.
CREATE TABLE case_receipts (
    token_hash TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL UNIQUE REFERENCES cases (id)
) STRICT;
