-- Events (workshops, conferences, international meetings, webinars,
-- trainings), their programme, registrations, and the 1:1 meetings of
-- brokerage events. Times are UTC; time_zone is the venue's IANA zone.
-- Lists kept with their record (translations, questions, tags, speakers,
-- answers, brokerage settings) are JSON text.
CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('workshop', 'conference', 'meeting', 'webinar', 'training')),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL,
    translations  TEXT NOT NULL DEFAULT '{}',
    venue_kind    TEXT NOT NULL CHECK (venue_kind IN ('facility', 'address', 'online')),
    facility_id   TEXT REFERENCES facilities (id) ON DELETE RESTRICT,
    venue         TEXT NOT NULL DEFAULT '',
    online_url    TEXT NOT NULL DEFAULT '',
    time_zone     TEXT NOT NULL,
    starts_at     TIMESTAMP NOT NULL,
    ends_at       TIMESTAMP NOT NULL CHECK (ends_at > starts_at),
    visibility    TEXT NOT NULL CHECK (visibility IN ('cluster', 'alliance', 'public')),
    reach         INTEGER NOT NULL,
    capabilities  TEXT NOT NULL DEFAULT '[]',
    capacity      INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    waitlist      BOOLEAN NOT NULL DEFAULT FALSE,
    approval      BOOLEAN NOT NULL DEFAULT FALSE,
    questions     TEXT NOT NULL DEFAULT '[]',
    brokerage     TEXT NOT NULL DEFAULT '',
    -- training catalogue fields (kind 'training')
    audience      TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    -- lock_version is bumped by every registration write of the event: the
    -- row lock that serialises them on engines with concurrent writers.
    lock_version  BIGINT NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_organisers (
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,
    position   INTEGER NOT NULL,
    PRIMARY KEY (event_id, cluster_id)
);
CREATE INDEX event_organisers_cluster ON event_organisers (cluster_id);

CREATE TABLE event_sessions (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    room       TEXT NOT NULL DEFAULT '',
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL CHECK (ends_at > starts_at),
    capacity   INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    speakers   TEXT NOT NULL DEFAULT '[]',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, starts_at);

CREATE TABLE registrations (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    person_id       TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    organisation    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waiting', 'declined', 'cancelled')),
    answers         TEXT NOT NULL DEFAULT '{}',
    share_email     BOOLEAN NOT NULL DEFAULT FALSE,
    share_org       BOOLEAN NOT NULL DEFAULT FALSE,
    offer           TEXT NOT NULL DEFAULT '',
    seek            TEXT NOT NULL DEFAULT '',
    checked_in_at   TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
-- One live registration per person and event; a cancelled one may be
-- followed by a new one.
CREATE UNIQUE INDEX registrations_live ON registrations (event_id, user_id) WHERE status NOT IN ('cancelled', 'declined');
CREATE INDEX registrations_event ON registrations (event_id, status, created_at);
CREATE INDEX registrations_user ON registrations (user_id);

CREATE TABLE session_registrations (
    session_id      TEXT NOT NULL REFERENCES event_sessions (id) ON DELETE CASCADE,
    registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting')),
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, registration_id)
);

CREATE TABLE meeting_requests (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    from_id       TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    to_id         TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'cancelled')),
    message       TEXT NOT NULL DEFAULT '',
    slot          INTEGER NOT NULL DEFAULT -1,
    table_no      INTEGER NOT NULL DEFAULT -1,
    starts_at     TIMESTAMP,
    ends_at       TIMESTAMP,
    announced     BOOLEAN NOT NULL DEFAULT FALSE,
    outcome_from  TEXT NOT NULL DEFAULT '',
    outcome_to    TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX meeting_requests_pair ON meeting_requests (event_id, from_id, to_id) WHERE status IN ('requested', 'accepted');
CREATE INDEX meeting_requests_event ON meeting_requests (event_id, status);

CREATE TABLE meeting_unavailable (
    registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    starts_at       TIMESTAMP NOT NULL,
    ends_at         TIMESTAMP NOT NULL CHECK (ends_at > starts_at)
);
CREATE INDEX meeting_unavailable_reg ON meeting_unavailable (registration_id);

-- A person's secret agenda feed address (events, sessions and meetings of
-- all their registrations); only the SHA-256 of the token is kept.
CREATE TABLE event_feeds (
    user_id    TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
