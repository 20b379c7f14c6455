-- The review queue selects its cases in SQL: whether a case awaits the coordinator (a result to
-- review, an extension to decide, an unsatisfied rating) is projected with each event, as the
-- status is. The backfill below is this rule's one copy outside CaseFacts::awaits_review.
ALTER TABLE cases ADD COLUMN awaits_review INTEGER NOT NULL DEFAULT 0 CHECK (awaits_review IN (0, 1));

UPDATE cases SET awaits_review = CASE
    WHEN status = 'result_review' THEN 1
    WHEN status IN ('assigned', 'in_progress') AND json_extract(facts, '$.pending_extension_days') IS NOT NULL THEN 1
    WHEN status = 'resolved' AND rating = 'unsatisfied' THEN 1
    ELSE 0
END;

-- Each queue reads one page at a time in its own order.
CREATE INDEX cases_by_status_and_submission ON cases (status, submitted_at, id);
CREATE INDEX cases_awaiting_review ON cases (submitted_at, id) WHERE awaits_review;

-- Uploads no case holds yet are bounded per client, in number and in bytes on disk. Photos
-- recorded before this count as nobody's and as taking no room.
ALTER TABLE photos ADD COLUMN uploaded_by TEXT;
ALTER TABLE photos ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0 CHECK (stored_bytes >= 0);

CREATE INDEX photos_by_uploader ON photos (uploaded_by);
