-- The joint roadmap (issue 15, item 2): goals, actions under goals and
-- milestones under actions, owned by clusters, with their status and the
-- history of status updates.
CREATE TABLE governance_roadmap_items (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('goal', 'action', 'milestone')),
    parent_id   TEXT REFERENCES governance_roadmap_items (id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts      TEXT NOT NULL DEFAULT '',
    ends        TEXT NOT NULL DEFAULT '',
    due         TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('planned', 'running', 'done', 'dropped')),
    version     INTEGER NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE governance_roadmap_owners (
    item_id    TEXT NOT NULL REFERENCES governance_roadmap_items (id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, cluster_id)
);
CREATE TABLE governance_roadmap_updates (
    item_id TEXT NOT NULL REFERENCES governance_roadmap_items (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      TIMESTAMPTZ NOT NULL,
    status  TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    author  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, seq)
);
