-- An organisation asks to join a cluster; the cluster's manager (or the
-- alliance administrator) accepts or refuses. At most one open request per
-- organisation and cluster.
CREATE TABLE membership_requests (
    id              TEXT PRIMARY KEY,
    cluster_id      TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('member', 'founder', 'partner')),
    note            TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'refused', 'withdrawn')),
    requested_by    TEXT NOT NULL DEFAULT '',
    decided_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    decided_at      TIMESTAMP
);
CREATE UNIQUE INDEX membership_requests_open ON membership_requests (cluster_id, organisation_id) WHERE state = 'open';
CREATE INDEX membership_requests_cluster ON membership_requests (cluster_id, state);
CREATE INDEX membership_requests_organisation ON membership_requests (organisation_id);
