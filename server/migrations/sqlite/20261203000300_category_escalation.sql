-- A category's own escalation ladder, in working days: the agency reminded this many working days
-- before the deadline's day, the leader told this many after it. NULL keeps the province's setting.
ALTER TABLE categories ADD COLUMN reminder_days_before INTEGER CHECK (reminder_days_before BETWEEN 1 AND 10);
ALTER TABLE categories ADD COLUMN leader_days_after INTEGER CHECK (leader_days_after BETWEEN 1 AND 10);
