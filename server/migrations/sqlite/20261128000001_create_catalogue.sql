-- The catalogue: categories, agencies and served areas.
CREATE TABLE categories (
    code          TEXT PRIMARY KEY,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    deadline_days INTEGER NOT NULL CHECK (deadline_days > 0),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE agencies (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- shape: the area's polygons as JSON ({"polygons":[{"rings":[[[lon,lat],...]]}]}).
CREATE TABLE areas (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    shape  TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
