-- Editable directory records carry a version: 1 on insert, +1 on every
-- update, so that a write can name the version it was based on (If-Match,
-- the edit forms' hidden field) and be refused when someone else changed
-- the record meanwhile.
ALTER TABLE clusters ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organisations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE people ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE capabilities ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
