-- A notice's delivery ends sent, skipped (nothing to tell, or no address) or failed; a failed one is
-- claimed again from retry_at, so a relay that was down delays a notice rather than losing it.
-- Deliveries recorded before this were sent.
ALTER TABLE notice_deliveries ADD COLUMN outcome TEXT NOT NULL DEFAULT 'sent';
ALTER TABLE notice_deliveries ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notice_deliveries ADD COLUMN retry_at TIMESTAMPTZ;
