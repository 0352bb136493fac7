-- Accounts, sessions, resets, invitations, API tokens; and the sharing
-- model: visibility and TLP on every shareable record, with the effective
-- reach (0 organisation .. 3 public) kept beside them for filtering.
CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL DEFAULT '',
    organisation_id TEXT REFERENCES organisations (id) ON DELETE RESTRICT,
    person_id       TEXT REFERENCES people (id) ON DELETE SET NULL,
    alliance_admin  BOOLEAN NOT NULL DEFAULT FALSE,
    org_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash   TEXT NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    last_login_at   TIMESTAMP
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE cluster_managers (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, cluster_id)
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY, -- SHA-256 of the cookie value
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_resets (
    hash       TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

CREATE TABLE invitations (
    id              TEXT PRIMARY KEY,
    hash            TEXT NOT NULL UNIQUE,
    email           TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    org_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    invited_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    accepted_at     TIMESTAMP
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'read-write')),
    hash         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

ALTER TABLE organisations ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('organisation', 'cluster', 'alliance', 'public'));
ALTER TABLE organisations ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'));
ALTER TABLE organisations ADD COLUMN reach INTEGER NOT NULL DEFAULT 3;
ALTER TABLE people ADD COLUMN visibility TEXT NOT NULL DEFAULT 'alliance' CHECK (visibility IN ('organisation', 'cluster', 'alliance', 'public'));
ALTER TABLE people ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'));
ALTER TABLE people ADD COLUMN reach INTEGER NOT NULL DEFAULT 2;
ALTER TABLE facilities ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('organisation', 'cluster', 'alliance', 'public'));
ALTER TABLE facilities ADD COLUMN tlp TEXT NOT NULL DEFAULT 'CLEAR' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'));
ALTER TABLE facilities ADD COLUMN reach INTEGER NOT NULL DEFAULT 3;

CREATE INDEX audit_log_action ON audit_log (action, entity_id, at);
CREATE INDEX audit_log_ip ON audit_log (ip, action, at);
