-- Push notices (Web Push): the server's VAPID key pair, made at the first start and kept from then
-- on, and the browsers that asked to be told of cases. One key row only: servers starting at once
-- each try to insert theirs, and all read back the one that won.
CREATE TABLE push_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    private_key TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- A subscription is an account's (its cases, those it follows, an officer's agency's) or the
-- holder's of one case's receipt, never both; the receipt's token itself is never kept.
CREATE TABLE push_subscriptions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint   TEXT NOT NULL,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    account_id INTEGER REFERENCES accounts (id),
    case_id    INTEGER REFERENCES cases (id),
    created_at TEXT NOT NULL,
    CHECK ((account_id IS NULL) <> (case_id IS NULL)),
    UNIQUE (endpoint, account_id),
    UNIQUE (endpoint, case_id)
) STRICT;

CREATE INDEX push_subscriptions_by_account ON push_subscriptions (account_id);
CREATE INDEX push_subscriptions_by_case ON push_subscriptions (case_id);
