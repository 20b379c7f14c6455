-- The approved result's summary in force, the case's public answer, kept beside the other facts
-- the exports read. Cases approved before answers were published have none.
ALTER TABLE cases ADD COLUMN published_result TEXT;
