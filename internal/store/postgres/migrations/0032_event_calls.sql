-- An event may be linked to open calls (their ids, as JSON): at a
-- brokerage event the meeting suggestions then use the consortium builder
-- for those calls.
ALTER TABLE events ADD COLUMN calls TEXT NOT NULL DEFAULT '[]';
