-- The sign-in before the last one, so that the home page can say what is
-- new since a member's previous visit.
ALTER TABLE users ADD COLUMN previous_login_at TIMESTAMP;
