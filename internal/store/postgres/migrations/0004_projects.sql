-- EU research projects imported from CORDIS, the participations of
-- organisations in them, the state of imports, and the identifiers and
-- merges of organisations found to be duplicates.

-- Call topics: code → title, from the CORDIS topics reference file.
CREATE TABLE topics (
    code           TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    call_name      TEXT NOT NULL DEFAULT '',
    work_programme TEXT NOT NULL DEFAULT '',
    content_hash   TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

-- Projects by their CORDIS id. Amounts are euro cents; NULL is unknown.
-- source_updated is the export's contentUpdateDate ('' in the older
-- layout): an older export does not overwrite a newer one.
CREATE TABLE projects (
    id                    TEXT PRIMARY KEY,
    rcn                   TEXT NOT NULL DEFAULT '',
    acronym               TEXT NOT NULL,
    title                 TEXT NOT NULL,
    sort_key              TEXT COLLATE "C" NOT NULL,
    search_text           TEXT NOT NULL,
    objective             TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL DEFAULT '',
    framework             TEXT NOT NULL DEFAULT '',
    programmes            TEXT NOT NULL DEFAULT '',
    call_id               TEXT NOT NULL DEFAULT '',
    funding_scheme        TEXT NOT NULL DEFAULT '',
    start_date            TEXT NOT NULL DEFAULT '',
    end_date              TEXT NOT NULL DEFAULT '',
    website               TEXT NOT NULL DEFAULT '',
    total_cost_cents      BIGINT,
    eu_contribution_cents BIGINT,
    source_updated        TEXT NOT NULL DEFAULT '',
    content_hash          TEXT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX projects_sort ON projects (sort_key, id);

CREATE TABLE project_topics (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (project_id, code)
);
CREATE INDEX project_topics_code ON project_topics (code);

CREATE TABLE project_subjects (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (project_id, subject)
);

-- What CORDIS last said about each participant (PIC), and the directory
-- organisation it is. The values let a newer export update the fields
-- that nobody has changed by hand since; source_rank orders exports.
CREATE TABLE cordis_organisations (
    pic             TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    short_name      TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    sme             BOOLEAN NOT NULL DEFAULT FALSE,
    country         TEXT NOT NULL,
    city            TEXT NOT NULL DEFAULT '',
    website         TEXT NOT NULL DEFAULT '',
    vat             TEXT NOT NULL DEFAULT '',
    source_rank     TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX cordis_organisations_organisation ON cordis_organisations (organisation_id);

-- A participation is keyed by the project and the PIC as CORDIS names
-- it; organisation_id is the directory organisation, which a merge moves.
CREATE TABLE participations (
    project_id            TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pic                   TEXT NOT NULL,
    organisation_id       TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role                  TEXT NOT NULL,
    eu_contribution_cents BIGINT,
    terminated            BOOLEAN NOT NULL DEFAULT FALSE,
    position              INTEGER NOT NULL DEFAULT 0,
    source_updated        TEXT NOT NULL DEFAULT '',
    content_hash          TEXT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, pic)
);
CREATE INDEX participations_organisation ON participations (organisation_id, project_id);

-- Identifiers an organisation holds besides its own pic and vat columns:
-- those of organisations merged into it, and VAT numbers that another
-- organisation already holds.
CREATE TABLE organisation_identifiers (
    scheme          TEXT NOT NULL CHECK (scheme IN ('pic', 'vat')),
    value           TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    source          TEXT NOT NULL,
    PRIMARY KEY (scheme, value, organisation_id)
);
CREATE INDEX organisation_identifiers_organisation ON organisation_identifiers (organisation_id);

-- Merges: what moved from the merged organisation (kept as a snapshot),
-- so that undo restores it exactly. Rows stay after an undo.
CREATE TABLE organisation_merges (
    id        TEXT PRIMARY KEY,
    into_id   TEXT NOT NULL,
    from_id   TEXT NOT NULL,
    into_name TEXT NOT NULL,
    from_name TEXT NOT NULL,
    snapshot  TEXT NOT NULL,
    actor     TEXT NOT NULL,
    merged_at TIMESTAMPTZ NOT NULL,
    undone_at TIMESTAMPTZ,
    undone_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX organisation_merges_into ON organisation_merges (into_id);
CREATE INDEX organisation_merges_from ON organisation_merges (from_id);

-- Pairs an administrator marked as different organisations: no longer
-- merge candidates.
CREATE TABLE organisation_distinct (
    a_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    b_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    actor     TEXT NOT NULL,
    marked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (a_id, b_id),
    CHECK (a_id < b_id)
);

-- How far the import of each file (by content hash) got: a resumed run
-- skips the rows up to line.
CREATE TABLE import_files (
    hash       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    layout     TEXT NOT NULL,
    line       INTEGER NOT NULL,
    done       BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
