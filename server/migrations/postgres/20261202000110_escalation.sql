-- The escalation step taken for the deadline in force (reminder, overdue, leader), projected from
-- the case's events like the other columns, so that the job finds the cases still to escalate by
-- index instead of replaying every open case.
ALTER TABLE cases ADD COLUMN escalated TEXT;
CREATE INDEX cases_to_escalate ON cases (status, deadline);
