-- The access log: each time staff see a reporter's contact or a caller's number, who saw it (the
-- account and its role then), when, on which page, and which cases and calls it showed. The server
-- records the view before it shows the data, and shows nothing when the record fails.
CREATE TABLE staff_accesses (
    id          BIGSERIAL PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    role        TEXT NOT NULL,
    purpose     TEXT NOT NULL CHECK (purpose IN ('staff_case', 'call_log', 'verification_queue')),
    accessed_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX staff_accesses_by_account ON staff_accesses (account_id, id);
CREATE INDEX staff_accesses_by_time ON staff_accesses (accessed_at);

-- What one view showed, one row each: a case's contact, or a call's number with its case if any.
-- One row per case is what lets the administrator find every view of one case.
CREATE TABLE staff_access_subjects (
    access_id BIGINT NOT NULL REFERENCES staff_accesses (id),
    case_id   BIGINT REFERENCES cases (id),
    call_id   BIGINT REFERENCES calls (id),
    CHECK (case_id IS NOT NULL OR call_id IS NOT NULL)
);

CREATE INDEX staff_access_subjects_by_access ON staff_access_subjects (access_id);
CREATE INDEX staff_access_subjects_by_case ON staff_access_subjects (case_id, access_id);

-- Append-only, as the case events are: the database refuses to change, remove or truncate a
-- recorded view, whoever asks.
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER staff_accesses_refuse_update BEFORE UPDATE ON staff_accesses
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER staff_accesses_refuse_delete BEFORE DELETE ON staff_accesses
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER staff_accesses_refuse_truncate BEFORE TRUNCATE ON staff_accesses
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER staff_access_subjects_refuse_update BEFORE UPDATE ON staff_access_subjects
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER staff_access_subjects_refuse_delete BEFORE DELETE ON staff_access_subjects
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER staff_access_subjects_refuse_truncate BEFORE TRUNCATE ON staff_access_subjects
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
