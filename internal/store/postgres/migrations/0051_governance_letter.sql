-- The Letter of Commitment (issue 15, item 1): its versions, each in one
-- or more languages, and the clusters that signed each version — in
-- escnet by a manager, or recorded from paper. One signature per version
-- and cluster.
CREATE TABLE governance_letter_versions (
    id           TEXT PRIMARY KEY,
    number       INTEGER NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    published_on TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE TABLE governance_letter_texts (
    version_id TEXT NOT NULL REFERENCES governance_letter_versions (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (version_id, lang)
);
CREATE TABLE governance_letter_signatures (
    version_id     TEXT NOT NULL REFERENCES governance_letter_versions (id) ON DELETE CASCADE,
    cluster_id     TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    signer_name    TEXT NOT NULL,
    signer_user_id TEXT NOT NULL DEFAULT '',
    signed_on      TEXT NOT NULL,
    place          TEXT NOT NULL DEFAULT '',
    paper          BOOLEAN NOT NULL DEFAULT FALSE,
    scan_ref       TEXT NOT NULL DEFAULT '',
    recorded_by    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (version_id, cluster_id)
);
CREATE INDEX governance_letter_signatures_cluster ON governance_letter_signatures (cluster_id);
