-- The practices library: entries (lessons learned, case studies, ...) with
-- a visibility and a TLP label, their language versions, authors,
-- capability tags, revision history, comments, attachments, shareable
-- summaries of restricted entries, and the analysed terms that search
-- reads (entries, their attachments' text and summaries).
CREATE TABLE practice_entries (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('lesson_learned', 'case_study', 'guideline', 'exercise_report', 'project_result', 'position_paper')),
    organisation_id    TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    axis               TEXT NOT NULL CHECK (axis IN ('safety', 'security', 'both')),
    visibility         TEXT NOT NULL CHECK (visibility IN ('organisation', 'cluster', 'alliance', 'public')),
    tlp                TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
    reach              INTEGER NOT NULL,
    sort_key           TEXT NOT NULL,
    related_projects   TEXT NOT NULL DEFAULT '',
    related_facilities TEXT NOT NULL DEFAULT '',
    related_events     TEXT NOT NULL DEFAULT '',
    created_by         TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX practice_entries_sort ON practice_entries (sort_key, id);
CREATE INDEX practice_entries_org ON practice_entries (organisation_id);
CREATE INDEX practice_entries_updated ON practice_entries (updated_at);

-- One language version per language: a second one is refused.
CREATE TABLE practice_texts (
    entry_id   TEXT NOT NULL REFERENCES practice_entries (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL CHECK (lang IN ('en', 'nl', 'fr', 'de')),
    original   BOOLEAN NOT NULL DEFAULT FALSE,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entry_id, lang)
);
CREATE INDEX practice_texts_lang ON practice_texts (lang);

CREATE TABLE practice_authors (
    entry_id  TEXT NOT NULL REFERENCES practice_entries (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (entry_id, person_id)
);

CREATE TABLE practice_capabilities (
    entry_id        TEXT NOT NULL REFERENCES practice_entries (id) ON DELETE CASCADE,
    capability_code TEXT NOT NULL REFERENCES capabilities (code) ON DELETE RESTRICT,
    position        INTEGER NOT NULL,
    PRIMARY KEY (entry_id, capability_code)
);
CREATE INDEX practice_capabilities_code ON practice_capabilities (capability_code);

-- Who changed what: one row per version of an entry.
CREATE TABLE practice_revisions (
    entry_id   TEXT NOT NULL REFERENCES practice_entries (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    user_name  TEXT NOT NULL DEFAULT '',
    fields     TEXT NOT NULL DEFAULT '',
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entry_id, version)
);

CREATE TABLE practice_comments (
    id         TEXT PRIMARY KEY,
    entry_id   TEXT NOT NULL REFERENCES practice_entries (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    user_name  TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX practice_comments_entry ON practice_comments (entry_id, created_at);

CREATE TABLE practice_attachments (
    id         TEXT PRIMARY KEY,
    entry_id   TEXT NOT NULL REFERENCES practice_entries (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       BIGINT NOT NULL,
    sha256     TEXT NOT NULL,
    path       TEXT NOT NULL,
    text       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX practice_attachments_entry ON practice_attachments (entry_id);

-- A reviewed GREEN or CLEAR abstract of an AMBER or RED entry. entry_id
-- is cleared (and withdrawn_at set) when the original is withdrawn or
-- narrowed.
CREATE TABLE practice_summaries (
    id              TEXT PRIMARY KEY,
    entry_id        TEXT REFERENCES practice_entries (id) ON DELETE SET NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    visibility      TEXT NOT NULL CHECK (visibility IN ('alliance', 'public')),
    tlp             TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN')),
    reach           INTEGER NOT NULL,
    lang            TEXT NOT NULL,
    title           TEXT NOT NULL,
    abstract        TEXT NOT NULL,
    contact_id      TEXT REFERENCES people (id) ON DELETE SET NULL,
    reviewed_by     TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    withdrawn_at    TIMESTAMPTZ
);
CREATE INDEX practice_summaries_entry ON practice_summaries (entry_id);

-- Analysed terms (stemmed, folded) of an entry (kind 'e') or summary
-- ('s'): the inverted index search reads.
CREATE TABLE practice_terms (
    term   TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    PRIMARY KEY (term, doc_id)
);
CREATE INDEX practice_terms_doc ON practice_terms (doc_id);
