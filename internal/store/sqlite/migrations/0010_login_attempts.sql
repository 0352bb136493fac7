-- Sign-in attempts, counted before the password is checked: one row per
-- account (e-mail address) and per client address, holding the attempts
-- of the current window. An upsert counts atomically, so parallel guesses
-- (and several nodes on one database) cannot slip past the limit.
CREATE TABLE login_attempts (
    key          TEXT PRIMARY KEY, -- 'account:<e-mail>' or 'ip:<address>'
    window_start TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);
