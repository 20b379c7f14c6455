-- The private receipt link of an anonymous report, which opens the reporter's own view of the
-- case. Only the SHA-256 of its token is kept.
CREATE TABLE case_receipts (
    token_hash TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL UNIQUE REFERENCES cases (id)
) STRICT;

-- The one-time claim code of a phoned-in report, which the operator reads to the caller. Only a
-- hash of it is kept, with the attempts made at it: a case takes a bounded number of guesses.
CREATE TABLE case_claims (
    case_id   INTEGER PRIMARY KEY REFERENCES cases (id),
    code_hash TEXT NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Each account's claim attempts in the current window: an account takes a bounded number of
-- guesses across all cases.
CREATE TABLE account_claim_attempts (
    account_id   INTEGER PRIMARY KEY REFERENCES accounts (id),
    window_start TEXT NOT NULL,
    attempts     INTEGER NOT NULL
) STRICT;
