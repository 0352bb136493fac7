-- A cluster's desk staff list carries a version (1 until it is first
-- set), so that two managers changing it at once do not overwrite each
-- other: the API's If-Match and the desk form's hidden version check it.
CREATE TABLE inquiry_desk_versions (
    cluster_id TEXT PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL
);
