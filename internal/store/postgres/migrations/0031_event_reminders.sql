-- A registration remembers when the scheduled reminder went out: serve
-- claims it with one conditional UPDATE (reminded_at IS NULL), so that a
-- reminder is sent once even when several nodes run the job.
ALTER TABLE registrations ADD COLUMN reminded_at TIMESTAMPTZ;
-- The attendee's organisation (the one they act for when they register),
-- for the meeting suggestions of brokerage events. No foreign key: a
-- registration outlives the directory entry; a merge moves it.
ALTER TABLE registrations ADD COLUMN organisation_id TEXT NOT NULL DEFAULT '';
CREATE INDEX registrations_reminder ON registrations (event_id) WHERE reminded_at IS NULL;
