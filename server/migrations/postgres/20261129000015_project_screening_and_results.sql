-- Projections of the events that the open data exports and the case index read as plain columns:
-- when the screening decision in force was made, when the latest result was submitted and when it
-- was approved. Written with each event, like the projections before them.
ALTER TABLE cases ADD COLUMN screened_at TIMESTAMPTZ;
ALTER TABLE cases ADD COLUMN result_submitted_at TIMESTAMPTZ;
ALTER TABLE cases ADD COLUMN resolved_at TIMESTAMPTZ;

-- The decision in force is the latest acceptance or rejection; a case waiting for screening
-- (new, or returned by an agency) has none.
UPDATE cases SET screened_at = (
    SELECT e.occurred_at FROM case_events e
    WHERE e.case_id = cases.id AND e.kind IN ('accepted', 'rejected') ORDER BY e.seq DESC LIMIT 1
) WHERE status <> 'submitted';

UPDATE cases SET
    result_submitted_at = (facts ->> 'result_submitted_at')::timestamptz,
    resolved_at = (facts ->> 'resolved_at')::timestamptz
WHERE facts ->> 'result_submitted_at' IS NOT NULL OR facts ->> 'resolved_at' IS NOT NULL;

-- The facts carry the screening time too, as the state machine now derives it.
UPDATE cases SET facts = jsonb_set(
    facts, '{screened_at}', to_jsonb(to_char(screened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
) WHERE screened_at IS NOT NULL;
