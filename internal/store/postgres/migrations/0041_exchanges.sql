-- The exchange of people: offers by host organisations, requests by
-- people, applications approved by both organisations, the signed plan
-- (tasks, dates, supervisor, the host records the guest may use during
-- the stay) and the reports of guest and host.
CREATE TABLE exchange_offers (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('visiting_researcher', 'secondment', 'job_shadowing', 'traineeship')),
    topic           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    capabilities    TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    weeks           INTEGER NOT NULL,
    place           TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL,
    facilities      TEXT NOT NULL DEFAULT '',
    visibility      TEXT NOT NULL,
    tlp             TEXT NOT NULL DEFAULT 'CLEAR',
    reach           INTEGER NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX exchange_offers_org ON exchange_offers (organisation_id);

CREATE TABLE exchange_requests (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    topic           TEXT NOT NULL,
    capabilities    TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL,
    country         TEXT NOT NULL DEFAULT '',
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    visibility      TEXT NOT NULL,
    tlp             TEXT NOT NULL DEFAULT 'CLEAR',
    reach           INTEGER NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE exchange_applications (
    id               TEXT PRIMARY KEY,
    offer_id         TEXT NOT NULL REFERENCES exchange_offers (id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL,
    guest_org_id     TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    tasks            TEXT NOT NULL,
    supervisor       TEXT NOT NULL,
    starts_on        TEXT NOT NULL,
    ends_on          TEXT NOT NULL,
    records          TEXT NOT NULL DEFAULT '',
    cross_sector     BOOLEAN NOT NULL DEFAULT FALSE,
    home_approved_by TEXT NOT NULL DEFAULT '',
    host_approved_by TEXT NOT NULL DEFAULT '',
    guest_signed_at  TIMESTAMPTZ,
    host_signed_at   TIMESTAMPTZ,
    guest_report     TEXT NOT NULL DEFAULT '',
    host_report      TEXT NOT NULL DEFAULT '',
    report_entry_id  TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX exchange_applications_offer ON exchange_applications (offer_id);
CREATE INDEX exchange_applications_user ON exchange_applications (user_id);
