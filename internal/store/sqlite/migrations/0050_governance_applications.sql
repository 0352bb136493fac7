-- Clusters and regions applying to join the alliance (issue 15, item 4):
-- the criteria the alliance administrator sets (one row), the applications
-- (the profile as JSON beside the columns that are searched or decided
-- on), and each application's history of notes, append-only. Invitations
-- may carry the clusters the invited account will manage.
CREATE TABLE governance_criteria (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    data       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE governance_applications (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('submitted', 'more_info', 'accepted', 'refused')),
    reason     TEXT NOT NULL DEFAULT '',
    cluster_id TEXT REFERENCES clusters (id) ON DELETE SET NULL,
    data       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX governance_applications_state ON governance_applications (state, created_at);
CREATE TABLE governance_application_notes (
    application_id TEXT NOT NULL REFERENCES governance_applications (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    at             TIMESTAMP NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('comment', 'ask', 'reply', 'decision')),
    author         TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL,
    PRIMARY KEY (application_id, seq)
);
ALTER TABLE invitations ADD COLUMN managed_clusters TEXT NOT NULL DEFAULT '';
