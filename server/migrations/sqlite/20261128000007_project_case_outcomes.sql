-- Projections of the events that maps and statistics aggregate, written with each event, and the
-- time of the last write so that every server can follow changes.
ALTER TABLE cases ADD COLUMN changed_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000000Z';
ALTER TABLE cases ADD COLUMN rejection TEXT;
ALTER TABLE cases ADD COLUMN handled_on_time INTEGER CHECK (handled_on_time IN (0, 1));
ALTER TABLE cases ADD COLUMN rating TEXT;

UPDATE cases SET rejection = (
    SELECT json_extract(e.data, '$.reason') FROM case_events e
    WHERE e.case_id = cases.id AND e.kind = 'rejected' ORDER BY e.seq DESC LIMIT 1
) WHERE status = 'rejected';

CREATE INDEX cases_by_changed_at ON cases (changed_at);
