-- The alliance directory: capability taxonomy, clusters, organisations,
-- people, memberships, facilities, and the change feed.
CREATE TABLE capabilities (
    code       TEXT PRIMARY KEY,
    parent     TEXT REFERENCES capabilities (code) ON DELETE RESTRICT,
    label_en   TEXT NOT NULL,
    label_nl   TEXT NOT NULL,
    label_fr   TEXT NOT NULL,
    label_de   TEXT NOT NULL,
    nature     TEXT NOT NULL CHECK (nature IN ('safety', 'security', 'both')),
    source     TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE clusters (
    id                   TEXT PRIMARY KEY,
    slug                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    sort_key             TEXT NOT NULL,
    search_text          TEXT NOT NULL,
    country              TEXT NOT NULL CHECK (length(country) = 2),
    region               TEXT NOT NULL DEFAULT '',
    city                 TEXT NOT NULL DEFAULT '',
    website              TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    joined               TEXT NOT NULL DEFAULT '',
    commitment_signed    BOOLEAN NOT NULL DEFAULT FALSE,
    commitment_signed_on TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX clusters_sort ON clusters (sort_key, id);

CREATE TABLE cluster_themes (
    cluster_id      TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    capability_code TEXT NOT NULL REFERENCES capabilities (code) ON DELETE RESTRICT,
    position        INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, capability_code)
);
CREATE INDEX cluster_themes_code ON cluster_themes (capability_code);

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    sort_key    TEXT NOT NULL,
    search_text TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('company', 'research', 'higher_education', 'public_body', 'other')),
    sme         BOOLEAN NOT NULL DEFAULT FALSE,
    country     TEXT NOT NULL CHECK (length(country) = 2),
    city        TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    pic         TEXT UNIQUE,
    vat         TEXT UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX organisations_sort ON organisations (sort_key, id);
CREATE INDEX organisations_country ON organisations (country, sort_key);

CREATE TABLE organisation_roles (
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, role)
);
CREATE INDEX organisation_roles_role ON organisation_roles (role);

CREATE TABLE organisation_capabilities (
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    capability_code TEXT NOT NULL REFERENCES capabilities (code) ON DELETE RESTRICT,
    position        INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, capability_code)
);
CREATE INDEX organisation_capabilities_code ON organisation_capabilities (capability_code);

CREATE TABLE memberships (
    cluster_id      TEXT NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('member', 'founder', 'partner')),
    since           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cluster_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    sort_key        TEXT NOT NULL,
    search_text     TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    title           TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '',
    listed          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX people_sort ON people (sort_key, id);
CREATE INDEX people_organisation ON people (organisation_id);

CREATE TABLE person_expertise (
    person_id       TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    capability_code TEXT NOT NULL REFERENCES capabilities (code) ON DELETE RESTRICT,
    position        INTEGER NOT NULL,
    PRIMARY KEY (person_id, capability_code)
);

CREATE TABLE facilities (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    sort_key        TEXT NOT NULL,
    search_text     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    cluster_id      TEXT REFERENCES clusters (id) ON DELETE RESTRICT,
    country         TEXT NOT NULL CHECK (length(country) = 2),
    city            TEXT NOT NULL DEFAULT '',
    website         TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX facilities_sort ON facilities (sort_key, id);

CREATE TABLE facility_capabilities (
    facility_id     TEXT NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
    capability_code TEXT NOT NULL REFERENCES capabilities (code) ON DELETE RESTRICT,
    position        INTEGER NOT NULL,
    PRIMARY KEY (facility_id, capability_code)
);

-- The change feed: an append-only log with a monotonic id that keeps each
-- node's in-memory indexes fresh.
CREATE TABLE changes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op        TEXT NOT NULL,
    at        TIMESTAMP NOT NULL
);
