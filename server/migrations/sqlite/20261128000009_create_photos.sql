-- Photos of reports and results. Their pixels live in blob storage under content-addressed keys;
-- the database records which case holds which photo, which decides who may see it.
CREATE TABLE photos (
    -- The SHA-256 of the display image, which is also its blob key.
    id            TEXT PRIMARY KEY,
    thumbnail_key TEXT NOT NULL,
    width         INTEGER NOT NULL CHECK (width > 0),
    height        INTEGER NOT NULL CHECK (height > 0),
    uploaded_at   TEXT NOT NULL
) STRICT;

CREATE INDEX photos_by_thumbnail ON photos (thumbnail_key);
CREATE INDEX photos_by_upload ON photos (uploaded_at);

-- The photos a case holds: those of the report come with its first event, a result's with its event.
CREATE TABLE case_photos (
    case_id   INTEGER NOT NULL,
    event_seq INTEGER NOT NULL,
    position  INTEGER NOT NULL CHECK (position BETWEEN 0 AND 4),
    photo_id  TEXT NOT NULL REFERENCES photos (id),
    PRIMARY KEY (case_id, event_seq, position),
    FOREIGN KEY (case_id, event_seq) REFERENCES case_events (case_id, seq)
) STRICT;

CREATE INDEX case_photos_by_photo ON case_photos (photo_id);
