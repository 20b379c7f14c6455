-- The access log: each time staff see a reporter's contact or a caller's number, who saw it (the
-- account and its role then), when, on which page, and which cases and calls it showed. The server
-- records the view before it shows the data, and shows nothing when the record fails.
CREATE TABLE staff_accesses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    role        TEXT NOT NULL,
    purpose     TEXT NOT NULL CHECK (purpose IN ('staff_case', 'call_log', 'verification_queue')),
    accessed_at TEXT NOT NULL
) STRICT;

CREATE INDEX staff_accesses_by_account ON staff_accesses (account_id, id);
CREATE INDEX staff_accesses_by_time ON staff_accesses (accessed_at);

-- What one view showed, one row each: a case's contact, or a call's number with its case if any.
-- One row per case is what lets the administrator find every view of one case.
CREATE TABLE staff_access_subjects (
    access_id INTEGER NOT NULL REFERENCES staff_accesses (id),
    case_id   INTEGER REFERENCES cases (id),
    call_id   INTEGER REFERENCES calls (id),
    CHECK (case_id IS NOT NULL OR call_id IS NOT NULL)
) STRICT;

CREATE INDEX staff_access_subjects_by_access ON staff_access_subjects (access_id);
CREATE INDEX staff_access_subjects_by_case ON staff_access_subjects (case_id, access_id);

-- Append-only, as the case events are: the database refuses to change or remove a recorded view.
CREATE TRIGGER staff_accesses_refuse_update BEFORE UPDATE ON staff_accesses
BEGIN
    SELECT RAISE(ABORT, 'staff_accesses is append-only: UPDATE refused');
END;

CREATE TRIGGER staff_accesses_refuse_delete BEFORE DELETE ON staff_accesses
BEGIN
    SELECT RAISE(ABORT, 'staff_accesses is append-only: DELETE refused');
END;

CREATE TRIGGER staff_access_subjects_refuse_update BEFORE UPDATE ON staff_access_subjects
BEGIN
    SELECT RAISE(ABORT, 'staff_access_subjects is append-only: UPDATE refused');
END;

CREATE TRIGGER staff_access_subjects_refuse_delete BEFORE DELETE ON staff_access_subjects
BEGIN
    SELECT RAISE(ABORT, 'staff_access_subjects is append-only: DELETE refused');
END;
