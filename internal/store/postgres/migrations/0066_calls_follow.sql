-- Following the calls that match one's organisation: a secret Atom feed
-- address per user (only its hash is kept), the users who get the e-mail
-- digest of new and closing calls, and what each digest announced, so
-- that a call is announced as new, and as closing, once per user.
CREATE TABLE call_feeds (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE call_digests (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE call_digest_sent (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    call_id TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('new', 'closing')),
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, call_id, kind)
);
