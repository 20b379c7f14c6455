-- A staff account made with a one-time password must set its own before anything else; until then
-- one_time_password_until says when the one-time password stops working.
-- Sessions end after a spell of disuse as well as at their absolute end: idle_until moves forward while
-- the session is used. Existing sessions keep their absolute end as their idle end.
ALTER TABLE sessions ADD COLUMN idle_until TEXT NOT NULL DEFAULT '';
UPDATE sessions SET idle_until = expires_at;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
ALTER TABLE accounts ADD COLUMN one_time_password_until TEXT;
