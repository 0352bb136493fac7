-- Partner search postings: an organisation seeks partners for a call
-- topic or offers its expertise for calls like one; other organisations
-- express interest (one interest per organisation and posting).
CREATE TABLE postings (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('seek', 'offer')),
    call_id         TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    roles           TEXT NOT NULL DEFAULT '',
    capabilities    TEXT NOT NULL DEFAULT '',
    countries       TEXT NOT NULL DEFAULT '',
    visibility      TEXT NOT NULL,
    tlp             TEXT NOT NULL DEFAULT 'CLEAR',
    reach           INTEGER NOT NULL,
    expires_on      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX postings_org ON postings (organisation_id);
CREATE INDEX postings_call ON postings (call_id, expires_on);

CREATE TABLE posting_interests (
    id              TEXT PRIMARY KEY,
    posting_id      TEXT NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL DEFAULT '',
    message         TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX posting_interests_once ON posting_interests (posting_id, organisation_id);
