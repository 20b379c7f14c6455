-- Projections of the events that the open data exports and the case index read as plain columns:
-- when the screening decision in force was made, when the latest result was submitted and when it
-- was approved. Written with each event, like the projections before them.
ALTER TABLE cases ADD COLUMN screened_at TEXT;
ALTER TABLE cases ADD COLUMN result_submitted_at TEXT;
ALTER TABLE cases ADD COLUMN resolved_at TEXT;

-- The decision in force is the latest acceptance or rejection; a case waiting for screening
-- (new, or returned by an agency) has none.
UPDATE cases SET screened_at = (
    SELECT e.occurred_at FROM case_events e
    WHERE e.case_id = cases.id AND e.kind IN ('accepted', 'rejected') ORDER BY e.seq DESC LIMIT 1
) WHERE status <> 'submitted';

UPDATE cases SET
    result_submitted_at = json_extract(facts, '$.result_submitted_at'),
    resolved_at = json_extract(facts, '$.resolved_at');

-- The facts hold times as RFC 3339 with as many fractional digits as they need; the columns hold
-- them as every other time column does, with exactly six, so that they sort as text.
UPDATE cases SET result_submitted_at = substr(result_submitted_at, 1, 19) || '.' || substr(
    CASE WHEN substr(result_submitted_at, 20, 1) = '.'
         THEN substr(result_submitted_at, 21, length(result_submitted_at) - 21) ELSE '' END || '000000', 1, 6) || 'Z'
WHERE result_submitted_at IS NOT NULL;
UPDATE cases SET resolved_at = substr(resolved_at, 1, 19) || '.' || substr(
    CASE WHEN substr(resolved_at, 20, 1) = '.'
         THEN substr(resolved_at, 21, length(resolved_at) - 21) ELSE '' END || '000000', 1, 6) || 'Z'
WHERE resolved_at IS NOT NULL;

-- The facts carry the screening time too, as the state machine now derives it.
UPDATE cases SET facts = json_set(facts, '$.screened_at', screened_at) WHERE screened_at IS NOT NULL;
