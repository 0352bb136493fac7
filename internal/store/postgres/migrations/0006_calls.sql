-- Call topics (Funding & Tenders) with their eligibility rules. The
-- rules, the sentences left for a person to check and the keywords are
-- small lists read and written with their call, never queried by field,
-- so they are kept as JSON text.
--
-- sort_key is the deadline (or '9999-12-31' without one) followed by the
-- folded title, so lists show the calls that close first. source_hash is
-- the digest of the call as last imported ('' for a call typed in): an
-- import of the same topic compares it and writes only what changed.
CREATE TABLE calls (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    sort_key        TEXT COLLATE "C" NOT NULL,
    search_text     TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    programme       TEXT NOT NULL DEFAULT '',
    call_identifier TEXT NOT NULL DEFAULT '',
    action_type     TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL DEFAULT '',
    deadline        TEXT NOT NULL DEFAULT '' CHECK (deadline = '' OR length(deadline) = 10),
    budget_min      BIGINT NOT NULL DEFAULT 0 CHECK (budget_min >= 0),
    budget_max      BIGINT NOT NULL DEFAULT 0 CHECK (budget_max >= 0),
    expected_grants INTEGER NOT NULL DEFAULT 0 CHECK (expected_grants >= 0),
    keywords        TEXT NOT NULL DEFAULT '[]',
    portal_url      TEXT NOT NULL DEFAULT '',
    conditions      TEXT NOT NULL DEFAULT '',
    text_repaired   BOOLEAN NOT NULL DEFAULT FALSE,
    rules           TEXT NOT NULL DEFAULT '[]',
    unparsed        TEXT NOT NULL DEFAULT '[]',
    source_hash     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX calls_sort ON calls (sort_key, id);
CREATE INDEX calls_deadline ON calls (deadline);
