-- PostgreSQL's 0019 adds a NOTIFY trigger to the change feed. SQLite has
-- nothing to add: a commit in this process wakes the feed's followers
-- directly, and other processes are found by polling. The number is kept
-- so that both engines share schema versions.
SELECT 1;
