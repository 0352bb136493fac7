-- Linking organisations to their CORDIS records (internal/projects/link.go).
--
-- A claim: a cluster took an organisation known only from EU records as
-- its member instead of entering a twin. One claim per organisation: of
-- two claims at once exactly one wins (the primary key).
CREATE TABLE organisation_claims (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    cluster_id      TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    claimed_by      TEXT NOT NULL,
    claimed_at      TIMESTAMP NOT NULL
);

-- An invitation a cluster manager sent to an organisation known only from
-- EU records, to join the cluster.
CREATE TABLE organisation_invitations (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    cluster_id      TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    invited_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX organisation_invitations_organisation ON organisation_invitations (organisation_id);
