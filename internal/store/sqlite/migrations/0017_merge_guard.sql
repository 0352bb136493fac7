-- Exactly one merge of an organisation at a time: at most one open (not
-- undone) merge per organisation merged away. A second merge of the same
-- organisation waits on this index for the first and then fails.
-- from_slug lets a merge named by slug find that the organisation was
-- merged already.
ALTER TABLE organisation_merges ADD COLUMN from_slug TEXT NOT NULL DEFAULT '';

-- Merges recorded twice by the race this closes: the earliest stays open,
-- the later copies are marked undone (they moved nothing).
UPDATE organisation_merges SET undone_at = merged_at, undone_by = 'migration 0017: duplicate of an earlier merge'
WHERE undone_at IS NULL AND EXISTS (
    SELECT 1 FROM organisation_merges m2
    WHERE m2.from_id = organisation_merges.from_id AND m2.undone_at IS NULL
      AND (m2.merged_at < organisation_merges.merged_at OR (m2.merged_at = organisation_merges.merged_at AND m2.id < organisation_merges.id)));

CREATE UNIQUE INDEX organisation_merges_open_from ON organisation_merges (from_id) WHERE undone_at IS NULL;
