-- Assignment inside an agency: the officers who head an agency hand its cases out to its officers,
-- and the officer holding each case is projected from its events like the other columns, so that an
-- officer's own cases are found by index.
ALTER TABLE accounts ADD COLUMN agency_head INTEGER NOT NULL DEFAULT 0 CHECK (agency_head IN (0, 1));
ALTER TABLE cases ADD COLUMN assignee INTEGER REFERENCES accounts (id);
CREATE INDEX cases_by_assignee ON cases (assignee, deadline) WHERE assignee IS NOT NULL;
