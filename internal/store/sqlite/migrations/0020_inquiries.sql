-- The contact point: questions from outside the alliance, routed to
-- experts across clusters and followed to an answer.

-- People who agreed to be suggested as experts for questions (on top of
-- being listed in the directory), with a short description of what they
-- can answer.
CREATE TABLE inquiry_experts (
    person_id  TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    summary    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

-- Desk staff a cluster's manager names, besides the managers themselves.
CREATE TABLE inquiry_desk (
    cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (cluster_id, user_id)
);

CREATE TABLE inquiries (
    id              TEXT PRIMARY KEY,
    number          INTEGER NOT NULL UNIQUE,
    cluster_id      TEXT NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,
    handoff_to      TEXT REFERENCES clusters (id) ON DELETE SET NULL,
    state           TEXT NOT NULL CHECK (state IN ('new', 'triaged', 'assigned', 'answered', 'closed')),
    question        TEXT NOT NULL,
    lang            TEXT NOT NULL,
    requester_name  TEXT NOT NULL,
    requester_email TEXT NOT NULL,
    requester_org   TEXT NOT NULL DEFAULT '',
    requester_kind  TEXT NOT NULL,
    country         TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('low', 'normal', 'high')),
    consent         BOOLEAN NOT NULL,
    tlp             TEXT NOT NULL DEFAULT 'AMBER',
    capabilities    TEXT NOT NULL DEFAULT '',
    domain          TEXT NOT NULL DEFAULT '',
    token_hash      TEXT NOT NULL UNIQUE,
    merged_into     TEXT REFERENCES inquiries (id) ON DELETE SET NULL,
    handoffs        INTEGER NOT NULL DEFAULT 0,
    rating          INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    rating_comment  TEXT NOT NULL DEFAULT '',
    close_reason    TEXT NOT NULL DEFAULT '',
    first_answer_at TIMESTAMP,
    reminded_at     TIMESTAMP,
    escalated_at    TIMESTAMP,
    closed_at       TIMESTAMP,
    anonymised      BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX inquiries_cluster ON inquiries (cluster_id, created_at);
CREATE INDEX inquiries_email ON inquiries (requester_email);
CREATE INDEX inquiries_state ON inquiries (state, created_at);

CREATE TABLE inquiry_assignments (
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined')),
    reason     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    PRIMARY KEY (inquiry_id, person_id)
);
CREATE INDEX inquiry_assignments_person ON inquiry_assignments (person_id);

CREATE TABLE inquiry_messages (
    id          TEXT PRIMARY KEY,
    inquiry_id  TEXT NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('requester', 'expert', 'desk')),
    author_id   TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    internal    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX inquiry_messages_inquiry ON inquiry_messages (inquiry_id, created_at);

-- Files live under the configured attachment directory, never in the web
-- root; stored_name is the file's name there.
CREATE TABLE inquiry_attachments (
    id           TEXT PRIMARY KEY,
    inquiry_id   TEXT NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    message_id   TEXT NOT NULL REFERENCES inquiry_messages (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    stored_name  TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL
);

-- Every submission of the public form (accepted, throttled or caught as
-- spam), by hashed address and e-mail, for throttling across nodes. No
-- person reads this table; old rows are pruned.
CREATE TABLE inquiry_submissions (
    id         TEXT PRIMARY KEY,
    ip_hash    TEXT NOT NULL,
    email_hash TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX inquiry_submissions_ip ON inquiry_submissions (ip_hash, at);
CREATE INDEX inquiry_submissions_email ON inquiry_submissions (email_hash, at);
