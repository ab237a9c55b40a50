-- +goose Up
-- One row per login. The refresh token itself is never stored: it is derived
-- from (id, generation) under a server key.
CREATE TABLE sessions (
    id              TEXT     NOT NULL PRIMARY KEY,
    user_id         TEXT     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    generation      INTEGER  NOT NULL CHECK (generation > 0),
    user_agent      TEXT     NOT NULL DEFAULT '',
    ip              TEXT     NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    last_used_at    DATETIME NOT NULL,
    rotated_at      DATETIME NOT NULL,
    idle_expires_at DATETIME NOT NULL,
    expires_at      DATETIME NOT NULL,
    revoked_at      DATETIME,
    revoke_reason   TEXT     NOT NULL DEFAULT ''
);

-- Serves listing, revoke-all and the session cap (all "sessions of user X"),
-- and the cascade when a user is deleted.
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- +goose Down
DROP INDEX sessions_user_id_idx;
DROP TABLE sessions;
