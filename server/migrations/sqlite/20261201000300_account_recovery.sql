-- Account recovery: a person's own e-mail address (verified by opening a link sent to it) and phone
-- number, and the links mailed to verify that address or to reset a forgotten password. Only the
-- SHA-256 of a link's token is kept; an account holds at most one link of each purpose, which a new
-- one replaces; used_at makes a link single-use.
ALTER TABLE accounts ADD COLUMN email TEXT;
ALTER TABLE accounts ADD COLUMN email_verified_at TEXT;
ALTER TABLE accounts ADD COLUMN phone TEXT;
CREATE INDEX accounts_by_verified_email ON accounts (lower(email)) WHERE email_verified_at IS NOT NULL;

CREATE TABLE account_links (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash TEXT NOT NULL UNIQUE,
    -- The address the link was sent to: a verification link verifies this address only.
    email      TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (account_id, purpose)
) STRICT;
