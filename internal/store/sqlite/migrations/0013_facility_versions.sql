-- Facilities and their resources are editable records: a version, 1 on
-- insert and +1 on every update, lets a write name the version it was
-- based on (If-Match) and be refused when someone else changed the record
-- meanwhile.
ALTER TABLE facilities ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE facility_resources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
