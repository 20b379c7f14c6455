-- Sessions end after a spell of disuse as well as at their absolute end: idle_until moves forward while
-- the session is used. Existing sessions keep their absolute end as their idle end.
ALTER TABLE sessions ADD COLUMN idle_until TEXT NOT NULL DEFAULT '';
UPDATE sessions SET idle_until = expires_at;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
