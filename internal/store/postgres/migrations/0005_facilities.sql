-- Shared facilities: the catalogue fields of a facility, its bookable
-- resources with their availability rules, blackout and maintenance
-- periods, named approvers, bookings, and secret calendar feed addresses.

-- btree_gist lets the exclusion constraint below compare resource ids
-- with =. It goes into public explicitly: created in a schema of the
-- search path, it would be dropped with that schema.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

ALTER TABLE facilities ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE facilities ADD COLUMN longitude DOUBLE PRECISION;
ALTER TABLE facilities ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facilities ADD COLUMN uses TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN certifications TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN restrictions TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN access_conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN price_model TEXT NOT NULL DEFAULT 'on_request' CHECK (price_model IN ('free', 'fixed', 'on_request'));
ALTER TABLE facilities ADD COLUMN price_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE facilities ADD COLUMN price_unit TEXT NOT NULL DEFAULT '';

-- Opening hours and quotas are small lists read and written with their
-- resource, kept as JSON text.
CREATE TABLE facility_resources (
    id             TEXT PRIMARY KEY,
    facility_id    TEXT NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
    slug           TEXT NOT NULL,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    capacity       INTEGER NOT NULL DEFAULT 0,
    approval       TEXT NOT NULL CHECK (approval IN ('auto', 'approvers')),
    min_minutes    INTEGER NOT NULL,
    max_minutes    INTEGER NOT NULL,
    lead_minutes   INTEGER NOT NULL DEFAULT 0,
    buffer_minutes INTEGER NOT NULL DEFAULT 0,
    opening_hours  TEXT NOT NULL DEFAULT '[]',
    quotas         TEXT NOT NULL DEFAULT '[]',
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    -- lock_version is bumped by every booking write of the resource: the
    -- row lock serialises bookings of one resource across nodes.
    lock_version   BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT uq_facility_resources_slug UNIQUE (facility_id, slug)
);

CREATE TABLE facility_blackouts (
    id          TEXT PRIMARY KEY,
    facility_id TEXT NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
    resource_id TEXT REFERENCES facility_resources (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('blackout', 'maintenance')),
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX facility_blackouts_facility ON facility_blackouts (facility_id, starts_at);

CREATE TABLE facility_approvers (
    facility_id TEXT NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (facility_id, user_id)
);

-- Times are UTC; time_zone is the zone the booking was asked in.
-- blocked_until is ends_at plus the resource's buffer time.
CREATE TABLE bookings (
    id              TEXT PRIMARY KEY,
    resource_id     TEXT NOT NULL REFERENCES facility_resources (id) ON DELETE RESTRICT,
    facility_id     TEXT NOT NULL REFERENCES facilities (id) ON DELETE RESTRICT,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    cluster_id      TEXT NOT NULL DEFAULT '',
    requester_id    TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('requested', 'waitlisted', 'approved', 'confirmed', 'declined', 'cancelled', 'completed')),
    starts_at       TIMESTAMPTZ NOT NULL,
    ends_at         TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    blocked_until   TIMESTAMPTZ NOT NULL CHECK (blocked_until >= ends_at),
    time_zone       TEXT NOT NULL,
    purpose         TEXT NOT NULL DEFAULT '',
    participants    INTEGER NOT NULL DEFAULT 0,
    reason          TEXT NOT NULL DEFAULT '',
    decided_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    -- No double booking: two bookings of one resource that hold their slot
    -- (approved or confirmed) never overlap, buffers included, whichever
    -- node writes them.
    CONSTRAINT ex_bookings_slot EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, blocked_until) WITH &&)
        WHERE (status IN ('approved', 'confirmed'))
);
CREATE INDEX bookings_resource ON bookings (resource_id, starts_at);
CREATE INDEX bookings_facility ON bookings (facility_id, starts_at);
CREATE INDEX bookings_organisation ON bookings (organisation_id, starts_at);
CREATE INDEX bookings_requester ON bookings (requester_id, starts_at);

CREATE TABLE calendar_tokens (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL CONSTRAINT uq_calendar_tokens_hash UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('facility', 'resource', 'user')),
    target_id  TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX calendar_tokens_user ON calendar_tokens (user_id);
