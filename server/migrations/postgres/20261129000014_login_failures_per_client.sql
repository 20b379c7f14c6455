-- Failed sign-ins are counted per client address as well as per username, so that guessing an
-- account's password from one address never locks its owner out at another. Each attempt is
-- recorded before its password is checked; the id orders attempts made at the same moment.
-- Failures counted the old way, per username alone, are dropped with the old table.
DROP TABLE login_failures;

CREATE TABLE login_failures (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client       TEXT NOT NULL,
    username     TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX login_failures_by_client ON login_failures (client, id);
CREATE INDEX login_failures_by_client_and_username ON login_failures (client, username);
CREATE INDEX login_failures_by_time ON login_failures (attempted_at);
