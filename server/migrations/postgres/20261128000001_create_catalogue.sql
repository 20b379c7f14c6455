-- The catalogue: categories, agencies and served areas.
CREATE TABLE categories (
    code          TEXT PRIMARY KEY,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    deadline_days BIGINT NOT NULL CHECK (deadline_days > 0),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    -- Seed order, so that listings follow the catalogue's own order.
    position      BIGSERIAL
);

CREATE TABLE agencies (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

-- shape: the area's polygons ({"polygons":[{"rings":[[[lon,lat],...]]}]}).
CREATE TABLE areas (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    shape  JSONB NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
