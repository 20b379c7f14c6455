-- When each case was closed or rejected: where the retention period of its personal data starts.
-- A projection of the events like the others, written with each event.
ALTER TABLE cases ADD COLUMN finished_at TEXT;

-- Closed and rejected are final: the first event that reached one of them finished the case.
UPDATE cases SET finished_at = (
    SELECT MIN(e.occurred_at) FROM case_events e
    WHERE e.case_id = cases.id AND e.to_status IN ('closed', 'rejected')
) WHERE status IN ('closed', 'rejected');

UPDATE cases SET facts = json_set(facts, '$.finished_at', finished_at) WHERE finished_at IS NOT NULL;

-- The retention job looks only at finished cases, oldest first.
CREATE INDEX cases_by_finished_at ON cases (finished_at) WHERE finished_at IS NOT NULL;
-- Calls that belong to no case are erased by the time they were logged.
CREATE INDEX calls_without_case_by_time ON calls (logged_at) WHERE case_id IS NULL;
-- A person's download finds the calls logged with their number.
CREATE INDEX calls_by_phone ON calls (phone);
