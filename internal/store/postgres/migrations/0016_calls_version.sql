-- Calls carry a version (1 on insert, +1 on every update) for ETag / If-Match.
ALTER TABLE calls ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
